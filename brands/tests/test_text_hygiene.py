"""A brand registered through the API: a name with a right-to-left mark is a 400 naming it."""

from brands.models import Brand


def test_the_api_refuses_a_brand_name_with_a_bidi_mark(xuhui_api, three_series):
    body = {"series": three_series[2].pk, "founded_year": 2020, "overview": "联系群众的平台"}
    refused = xuhui_api.post("/api/v1/brands/", {**body, "name": "委员会客厅\u200f"}, format="json")
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"name"}
    assert not Brand.objects.exists()
    created = xuhui_api.post("/api/v1/brands/", {**body, "name": "“协商于民”\u200b"}, format="json")
    assert created.status_code == 201, created.content
    assert Brand.objects.get().name == "“协商于民”"
