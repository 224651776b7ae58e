"""Portal pages: login with lockout, the home page, the committee directory scoped to the user."""

from django.urls import reverse

from members.tests.factories import UserFactory


def test_login_page_in_chinese_with_local_css(client, db):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "登录" in page.text
    assert "/static/bootstrap/css/bootstrap.min.css" in page.text
    assert "Content-Security-Policy" in page.headers
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_chinese_by_default_english_on_request(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert 'lang="zh-hans"' in page.text and "登录" in page.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login"))
    assert 'lang="en"' in page.text
    assert "Sign in" in page.text


def test_login_then_home_shows_committee_and_roles(client, xuhui_office):
    response = client.post(
        reverse("login"), {"username": "xh_office", "password": "pass-word-123"}, follow=True
    )
    assert response.status_code == 200
    assert xuhui_office.committee.name in response.text
    assert "提案委办公室" in response.text


def test_lockout_after_five_failures(client, xuhui_office):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "xh_office", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "xh_office", "password": "pass-word-123"})
    assert response.status_code == 429
    assert "锁定" in response.text
    assert "_auth_user_id" not in client.session


def test_committee_pages_are_scoped(client, xuhui_office, xuhui, huangpu, xuhui_unit):
    client.force_login(xuhui_office)
    listing = client.get(reverse("members:committee-list"))
    assert xuhui.name in listing.text and huangpu.name not in listing.text
    detail = client.get(reverse("members:committee-detail", args=[xuhui.pk]))
    assert "区教育局" in detail.text
    assert client.get(reverse("members:committee-detail", args=[huangpu.pk])).status_code == 404


def test_municipal_user_sees_its_districts(client, shanghai_office, xuhui, huangpu):
    client.force_login(shanghai_office)
    detail = client.get(reverse("members:committee-detail", args=[xuhui.pk]))
    assert detail.status_code == 200


def test_pages_need_login(client, xuhui):
    response = client.get(reverse("members:committee-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_user_without_roles_gets_a_hint(client, xuhui):
    client.force_login(UserFactory(committee=xuhui))
    assert "尚未分配角色" in client.get(reverse("home")).text
