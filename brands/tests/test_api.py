"""The brands API of the district offices: series, brands, rounds, nominations and published
results — each door working through the workflow and refusing what it must."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brands import workflow
from brands.models import Brand, Candidate, Round
from brands.tests import factories
from cppcc_portal.urls import router

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominating(shanghai, sh_brands, three_series):
    """The municipal round, open for nominations."""
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    workflow.open_nominations(round_obj, by=sh_brands)
    return round_obj


@pytest.fixture
def xh_brand(xuhui, xh_brands, three_series):
    return factories.brand(xuhui, xh_brands, three_series[2], "协商于民")


@pytest.fixture
def hp_brand(huangpu, hp_brands, three_series):
    return factories.brand(huangpu, hp_brands, three_series[2], "黄浦议事厅")


def _publish(round_obj, office):
    """Voting ends (its window moved into the past), results computed, published."""
    Round.objects.filter(pk=round_obj.pk).update(
        voting_closes_at=timezone.now() - timedelta(minutes=1)
    )
    workflow.close_voting(round_obj, by=office)
    workflow.publish(round_obj, by=office)


# --- Series ---------------------------------------------------------------------------------------


def test_a_district_sees_its_own_and_the_municipal_series(xuhui, huangpu, xuhui_api, three_series):
    own = factories.series(xuhui, "徐汇系列")[0]
    other = factories.series(huangpu, "黄浦系列")[0]
    rows = xuhui_api.get("/api/v1/series/").json()["results"]
    ids = {row["id"] for row in rows}
    assert ids == {own.pk, *(s.pk for s in three_series)}
    assert other.pk not in ids
    assert xuhui_api.get(f"/api/v1/series/{three_series[0].pk}/").status_code == 200
    assert xuhui_api.get(f"/api/v1/series/{other.pk}/").status_code == 404


# --- Brands ---------------------------------------------------------------------------------------


def test_a_district_registers_edits_and_retires_its_brand(xuhui, xuhui_api, three_series):
    created = xuhui_api.post(
        "/api/v1/brands/",
        {
            "series": three_series[2].pk,
            "name": "委员会客厅",
            "founded_year": 2020,
            "overview": "区政协委员联系群众的平台",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["committee"] == xuhui.pk
    assert body["status"] == "active"
    assert body["figures"] == body["milestones"] == body["images"] == []
    brand = Brand.objects.get(pk=body["id"])
    assert brand.history.first().history_change_reason == "登记品牌"

    url = f"/api/v1/brands/{brand.pk}/"
    changed = xuhui_api.patch(url, {"highlights": "五个好"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["highlights"] == "五个好"
    # A PUT repeats what cannot change (the committee): accepted while it stays the same.
    put = xuhui_api.put(url, {**body, "highlights": "六个好"}, format="json")
    assert put.status_code == 200, put.content

    refused = xuhui_api.post(f"{url}status/", {"status": "retired"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["fields"]
    retired = xuhui_api.post(
        f"{url}status/", {"status": "retired", "reason": "整合到新品牌"}, format="json"
    )
    assert retired.status_code == 200, retired.content
    assert retired.json()["status"] == "retired"
    again = xuhui_api.post(
        f"{url}status/", {"status": "retired", "reason": "再次停用"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "wrong_state"


def test_brand_detail_lists_its_parts(xuhui, xh_brands, xuhui_api, xh_brand):
    workflow.save_part(xh_brand, "figure", by=xh_brands, label="服务群众", value=1200, unit="人次")
    workflow.save_part(
        xh_brand, "milestone", by=xh_brands, happened_on=timezone.localdate(), title="揭牌"
    )
    body = xuhui_api.get(f"/api/v1/brands/{xh_brand.pk}/").json()
    assert [f["label"] for f in body["figures"]] == ["服务群众"]
    assert [m["title"] for m in body["milestones"]] == ["揭牌"]
    assert body["owner"] == "徐汇区政协"


def test_refusals_of_the_brand_acts_name_their_field(xuhui_api, huangpu, three_series, xh_brand):
    other_series = factories.series(huangpu, "黄浦系列")[0]
    foreign = xuhui_api.post(
        "/api/v1/brands/",
        {"series": other_series.pk, "name": "越界", "founded_year": 2020, "overview": "x"},
        format="json",
    )
    assert foreign.status_code == 400
    assert "series" in foreign.json()["fields"]
    duplicate = xuhui_api.post(
        "/api/v1/brands/",
        {"series": three_series[2].pk, "name": "协商于民", "founded_year": 2020, "overview": "x"},
        format="json",
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["fields"] == {"name": ["本政协已有同名品牌。"]}
    future = xuhui_api.patch(
        f"/api/v1/brands/{xh_brand.pk}/", {"founded_year": 2099}, format="json"
    )
    assert future.status_code == 400
    assert "founded_year" in future.json()["fields"]


def test_another_districts_brand_is_not_found(xuhui_api, hp_brand):
    url = f"/api/v1/brands/{hp_brand.pk}/"
    assert xuhui_api.get(url).status_code == 404
    assert xuhui_api.patch(url, {"highlights": "x"}, format="json").status_code == 404
    answer = xuhui_api.post(f"{url}status/", {"status": "retired", "reason": "x"}, format="json")
    assert answer.status_code == 404
    assert hp_brand.pk not in {r["id"] for r in xuhui_api.get("/api/v1/brands/").json()["results"]}
    hp_brand.refresh_from_db()
    assert hp_brand.status == "active"


def test_brand_filters(xuhui, xh_brands, xuhui_api, three_series, xh_brand):
    other = factories.brand(xuhui, xh_brands, three_series[0], "政协书院")
    rows = xuhui_api.get("/api/v1/brands/", {"q": "书院"}).json()["results"]
    assert [r["id"] for r in rows] == [other.pk]
    rows = xuhui_api.get("/api/v1/brands/", {"series": three_series[2].pk}).json()["results"]
    assert [r["id"] for r in rows] == [xh_brand.pk]
    assert xuhui_api.get("/api/v1/brands/", {"status": "bogus"}).status_code == 400
    assert xuhui_api.get("/api/v1/brands/", {"q": "\x00"}).status_code == 400


def test_brand_list_queries_are_constant(
    xuhui, xh_brands, xuhui_api, three_series, assert_constant_list_queries
):
    made = iter(range(1000))

    def make_rows(committee, n):
        for _ in range(n):
            factories.brand(committee, xh_brands, three_series[2], f"品牌{next(made)}")

    assert_constant_list_queries(xuhui_api, "/api/v1/brands/", make_rows, xuhui)


# --- Nominations ----------------------------------------------------------------------------------


def test_a_district_nominates_its_brand_to_the_municipal_round(xuhui_api, nominating, xh_brand):
    answer = xuhui_api.post(
        "/api/v1/nominations/",
        {"round": nominating.pk, "brand": xh_brand.pk, "materials": "品牌简介与成效"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["round"], body["brand"], body["number"]) == (nominating.pk, xh_brand.pk, 1)
    assert body["state"] == "nominated"
    assert body["result"] is None
    candidate = Candidate.objects.get(pk=body["id"])
    assert candidate.nominated_by.committee_id == xh_brand.committee_id
    listed = xuhui_api.get("/api/v1/nominations/").json()["results"]
    assert [row["id"] for row in listed] == [candidate.pk]
    # The round is readable to the district that nominates to it.
    assert xuhui_api.get(f"/api/v1/brand-rounds/{nominating.pk}/").status_code == 200


def test_a_nomination_may_carry_a_pdf(
    xuhui_api, nominating, xh_brand, hp_brands, api_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    answer = xuhui_api.post(
        "/api/v1/nominations/",
        {
            "round": nominating.pk,
            "brand": xh_brand.pk,
            "materials": "见附件",
            "material_file": upload,
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    # The address of the material action (which checks the caller's scope), never /media/.
    url = answer.json()["material_file"]
    assert url.endswith(f"/api/v1/nominations/{answer.json()['id']}/material/")
    download = xuhui_api.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert quote(f"{xh_brand.name}.pdf") in download["Content-Disposition"]
    api_client.force_authenticate(hp_brands)
    assert api_client.get(url).status_code == 404
    not_pdf = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    refused = xuhui_api.post(
        "/api/v1/nominations/",
        {"round": nominating.pk, "brand": xh_brand.pk, "materials": "x", "material_file": not_pdf},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "material_file" in refused.json()["fields"]


def test_a_district_cannot_nominate_another_districts_brand(xuhui_api, nominating, hp_brand):
    answer = xuhui_api.post(
        "/api/v1/nominations/",
        {"round": nominating.pk, "brand": hp_brand.pk, "materials": "x"},
        format="json",
    )
    assert answer.status_code == 400
    assert "brand" in answer.json()["fields"]
    assert not Candidate.objects.exists()


def test_a_district_cannot_nominate_to_another_districts_round(
    xuhui_api, huangpu, hp_brands, xh_brand
):
    series = factories.series(huangpu, "黄浦系列")
    theirs = factories.round_(huangpu, hp_brands, series, title="黄浦区评选")
    answer = xuhui_api.post(
        "/api/v1/nominations/",
        {"round": theirs.pk, "brand": xh_brand.pk, "materials": "x"},
        format="json",
    )
    assert answer.status_code == 400
    assert "round" in answer.json()["fields"]
    assert xuhui_api.get(f"/api/v1/brand-rounds/{theirs.pk}/").status_code == 404


def test_nomination_refusals_of_the_act(
    xuhui_api, nominating, xh_brand, xuhui, xh_brands, sh_brands
):
    url = "/api/v1/nominations/"
    empty = xuhui_api.post(
        url, {"round": nominating.pk, "brand": xh_brand.pk, "materials": " "}, format="json"
    )
    assert empty.status_code == 400
    assert "materials" in empty.json()["fields"]
    first = {"round": nominating.pk, "brand": xh_brand.pk, "materials": "材料"}
    assert xuhui_api.post(url, first, format="json").status_code == 201
    twice = xuhui_api.post(url, first, format="json")
    assert twice.status_code == 400
    assert "brand" in twice.json()["fields"]
    workflow.close_nominations(nominating, by=sh_brands)
    late = factories.brand(xuhui, xh_brands, xh_brand.series, "迟到品牌")
    closed = xuhui_api.post(
        url, {"round": nominating.pk, "brand": late.pk, "materials": "材料"}, format="json"
    )
    assert closed.status_code == 409


def test_a_district_withdraws_its_nomination(xuhui_api, nominating, xh_brand, xh_brands):
    candidate = workflow.nominate(nominating, xh_brand, by=xh_brands, materials="材料")
    url = f"/api/v1/nominations/{candidate.pk}/withdraw/"
    without = xuhui_api.post(url, {}, format="json")
    assert without.status_code == 400
    assert "reason" in without.json()["fields"]
    answer = xuhui_api.post(url, {"reason": "材料需完善"}, format="json")
    assert answer.status_code == 204
    assert not Candidate.objects.filter(pk=candidate.pk).exists()


def test_another_districts_nomination_is_not_found(xuhui_api, nominating, hp_brand, hp_brands):
    candidate = workflow.nominate(nominating, hp_brand, by=hp_brands, materials="材料")
    assert xuhui_api.get(f"/api/v1/nominations/{candidate.pk}/").status_code == 404
    answer = xuhui_api.post(
        f"/api/v1/nominations/{candidate.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert answer.status_code == 404
    assert xuhui_api.get("/api/v1/nominations/").json()["results"] == []
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_nomination_list_queries_are_constant(
    xuhui, xh_brands, xuhui_api, nominating, three_series, assert_constant_list_queries
):
    made = iter(range(1000))

    def make_rows(committee, n):
        for _ in range(n):
            brand = factories.brand(committee, xh_brands, three_series[2], f"品牌{next(made)}")
            workflow.nominate(nominating, brand, by=xh_brands, materials="材料")

    assert_constant_list_queries(xuhui_api, "/api/v1/nominations/", make_rows, xuhui)


# --- Rounds and results ---------------------------------------------------------------------------


def test_results_only_once_published(xuhui_api, voting_round, sh_brands):
    round_obj, candidates = voting_round
    url = f"/api/v1/brand-rounds/{round_obj.pk}/results/"
    early = xuhui_api.get(url)
    assert early.status_code == 409
    assert early.json()["code"] == "wrong_state"
    mine = next(c for c in candidates if c.brand.committee.short_name == "徐汇区政协")
    detail = xuhui_api.get(f"/api/v1/nominations/{mine.pk}/").json()
    assert detail["result"] is None

    _publish(round_obj, sh_brands)
    answer = xuhui_api.get(url)
    assert answer.status_code == 200, answer.content
    rows = answer.json()
    assert {row["brand_name"] for row in rows} == {"政协头条", "协商于民徐汇", "黄浦议事厅"}
    assert all(row["award"] and row["certificate_no"] for row in rows)
    assert set(rows[0]) == {
        "number",
        "brand",
        "brand_name",
        "series",
        "series_name",
        "owner",
        "expert_score",
        "votes",
        "composite",
        "rank",
        "award",
        "award_display",
        "certificate_no",
    }
    detail = xuhui_api.get(f"/api/v1/nominations/{mine.pk}/").json()
    assert detail["result"]["certificate_no"]
    # The district sees only its own brand's candidacy, the organiser every one of its round.
    assert [r["id"] for r in xuhui_api.get("/api/v1/nominations/").json()["results"]] == [mine.pk]


def test_results_of_another_districts_round_are_not_found(xuhui_api, huangpu, hp_brands):
    series = factories.series(huangpu, "黄浦系列")
    theirs = factories.round_(huangpu, hp_brands, series, title="黄浦区评选")
    assert xuhui_api.get(f"/api/v1/brand-rounds/{theirs.pk}/results/").status_code == 404
    assert theirs.pk not in {
        r["id"] for r in xuhui_api.get("/api/v1/brand-rounds/").json()["results"]
    }


def test_rounds_are_read_only(xuhui_api, nominating):
    url = f"/api/v1/brand-rounds/{nominating.pk}/"
    assert xuhui_api.patch(url, {"title": "x"}, format="json").status_code == 405
    assert xuhui_api.post("/api/v1/brand-rounds/", {}, format="json").status_code == 405
    assert xuhui_api.get("/api/v1/brand-rounds/", {"year": "abc"}).status_code == 400


def test_no_score_is_readable_through_the_api(xuhui_api, voting_round, sh_brands):
    """Individual scores never leave the workflow: no route for them, no field naming them."""
    round_obj, _candidates = voting_round
    assert not any("score" in prefix for prefix, _v, _b in router.registry)
    _publish(round_obj, sh_brands)
    bodies = [
        xuhui_api.get("/api/v1/nominations/").json(),
        xuhui_api.get(f"/api/v1/brand-rounds/{round_obj.pk}/").json(),
        xuhui_api.get(f"/api/v1/brand-rounds/{round_obj.pk}/results/").json(),
    ]
    text = str(bodies)
    assert "scores" not in text and "criterion" not in text and "expert'" not in text
