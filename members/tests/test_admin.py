"""The admin is committee-scoped: other districts' records are invisible, the municipal office
reads its districts' records without changing them."""

from django.urls import reverse

from members.models import ApiToken


def test_changelist_shows_only_own_district(client, xuhui_office, xuhui_unit, huangpu_unit):
    client.force_login(xuhui_office)
    response = client.get(reverse("admin:members_handlingunit_changelist"))
    assert response.status_code == 200
    assert "区教育局" in response.text
    assert "黄浦区教育局" not in response.text


def test_other_districts_record_does_not_exist(client, xuhui_office, huangpu_unit):
    client.force_login(xuhui_office)
    url = reverse("admin:members_handlingunit_change", args=[huangpu_unit.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "黄浦区教育局" not in response.text
    response = client.post(url, {"committee": huangpu_unit.committee_id, "name": "篡改"})
    huangpu_unit.refresh_from_db()
    assert huangpu_unit.name == "黄浦区教育局"


def test_municipal_office_reads_district_records_read_only(client, shanghai_office, xuhui_unit):
    client.force_login(shanghai_office)
    url = reverse("admin:members_handlingunit_change", args=[xuhui_unit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    response = client.post(
        url, {"committee": xuhui_unit.committee_id, "name": "改名", "kind": "government"}
    )
    assert response.status_code == 403
    xuhui_unit.refresh_from_db()
    assert xuhui_unit.name == "区教育局"


def test_committee_choices_are_the_writable_ones(client, xuhui_office, xuhui, huangpu):
    client.force_login(xuhui_office)
    page = client.get(reverse("admin:members_handlingunit_add"))
    assert page.status_code == 200
    assert xuhui.short_name in page.text
    assert huangpu.short_name not in page.text


def test_admin_is_in_chinese(client, xuhui_office):
    page = client.get(reverse("admin:login"))
    assert "政协工作平台管理" in page.text
    assert "用户名" in page.text


def test_issue_token_in_admin_shows_key_once(client, xuhui_admin, xuhui):
    client.force_login(xuhui_admin)
    response = client.post(
        reverse("admin:members_apitoken_add"),
        {"name": "徐汇区政协办公室系统", "committee": xuhui.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    key = messages[0].rsplit("：", 1)[1]
    assert ApiToken.find(key) == token
    assert key not in client.get(reverse("admin:members_apitoken_change", args=[token.pk])).text


def test_revoke_action(client, xuhui_admin, xuhui_token):
    client.force_login(xuhui_admin)
    token, key = xuhui_token
    client.post(
        reverse("admin:members_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.find(key) is None
