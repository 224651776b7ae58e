"""Attachments: stored under random names, accepted by their content, downloaded only by those who
may read the proposal (portal view, API, admin links); MEDIA_ROOT is not served."""

import importlib
from urllib.parse import quote

import pytest
from django.urls import clear_url_caches, reverse

from core.errors import Invalid
from proposals import workflow
from proposals.tests.helpers import draft, filed
from tests import samples

pytestmark = pytest.mark.django_db

NAME = "调研报告.pdf"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_SERVER = ""
    return tmp_path


@pytest.fixture
def attached(xuhui, session, category, member, media):
    """A submitted proposal with one PDF attached while it was a draft."""
    proposal = draft(xuhui, session, category, member)
    attachment = workflow.attach(proposal, upload=samples.upload(NAME, samples.PDF), by=member[0])
    workflow.submit(proposal, by=member[0])
    return attachment


def _url(attachment):
    return reverse("proposals:attachment", args=[attachment.pk])


def test_new_uploads_are_stored_under_random_names(attached, media):
    stored = attached.file.name
    assert stored.startswith("proposals/") and stored.endswith(".pdf")
    assert "调研报告" not in stored and len(stored.rsplit("/", 1)[-1]) == 32 + len(".pdf")
    assert attached.name == NAME
    assert (media / stored).read_bytes() == samples.PDF


def test_the_proposer_downloads_it_under_its_original_name(client, attached, member):
    client.force_login(member[0])
    response = client.get(_url(attached))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_and_other_districts_get_404(client, attached, huangpu_office):
    assert client.get(_url(attached)).status_code == 404
    client.force_login(huangpu_office)
    assert client.get(_url(attached)).status_code == 404


def test_staff_above_and_the_assigned_unit_read_it(
    client, attached, xuhui_office, shanghai_office, staff, unit, unit_user
):
    for reader in (xuhui_office, shanghai_office):
        client.force_login(reader)
        assert client.get(_url(attached)).status_code == 200
    client.force_login(unit_user)
    assert client.get(_url(attached)).status_code == 404  # not assigned yet
    proposal = filed(attached.proposal, staff)
    workflow.assign(proposal, units=[(unit, "lead")], by=xuhui_office)
    assert client.get(_url(attached)).status_code == 200


def test_a_draft_attachment_stays_with_its_author(
    client, xuhui, session, category, member, cosigner, xuhui_office, media
):
    proposal = draft(xuhui, session, category, member, kind="joint")
    attachment = workflow.attach(
        proposal, upload=samples.upload("表.xlsx", samples.xlsx()), by=member[0]
    )
    client.force_login(xuhui_office)
    assert client.get(_url(attachment)).status_code == 404
    client.force_login(cosigner[0])
    assert client.get(_url(attachment)).status_code == 404
    workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    assert client.get(_url(attachment)).status_code == 200


def test_x_accel_redirect_hands_the_file_to_nginx(client, attached, member, settings):
    settings.PROTECTED_MEDIA_SERVER = "nginx"
    client.force_login(member[0])
    response = client.get(_url(attached))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{attached.file.name}"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"


def test_x_sendfile_hands_the_file_to_apache(client, attached, member, settings, media):
    settings.PROTECTED_MEDIA_SERVER = "apache"
    client.force_login(member[0])
    response = client.get(_url(attached))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"] == str(media / attached.file.name)


def test_a_missing_file_answers_404(client, attached, member, media):
    (media / attached.file.name).unlink()
    client.force_login(member[0])
    assert client.get(_url(attached)).status_code == 404


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` builds it (DEBUG on), restored afterwards."""
    import cppcc_portal.urls

    debug = settings.DEBUG
    settings.DEBUG = True
    importlib.reload(cppcc_portal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = debug
    importlib.reload(cppcc_portal.urls)
    clear_url_caches()


def test_media_root_is_not_served(client, attached, member, debug_urls):
    client.force_login(member[0])
    assert client.get(f"/media/{attached.file.name}").status_code == 404
    assert client.get(_url(attached)).status_code == 200


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", samples.EXE),  # an executable renamed .pdf
        ("照片.pdf", samples.PNG),  # an image named as a PDF
        ("报告.docx", samples.xlsx()),  # a workbook named as a Word document
        ("表格.xls", samples.doc()),  # a Word 97 document named as a workbook
        ("空.pdf", b""),
    ],
)
def test_content_must_agree_with_the_extension(
    xuhui, session, category, member, media, name, content
):
    proposal = draft(xuhui, session, category, member)
    with pytest.raises(Invalid) as refused:
        workflow.attach(proposal, upload=samples.upload(name, content), by=member[0])
    assert refused.value.field == "file"
    assert not proposal.attachments.exists() and not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", samples.PDF),
        ("b.docx", samples.docx()),
        ("c.xlsx", samples.xlsx()),
        ("d.doc", samples.doc()),
        ("e.xls", samples.xls()),
        ("f.JPG", samples.JPEG),
        ("g.jpeg", samples.JPEG),
        ("h.png", samples.PNG),
    ],
)
def test_every_allowed_type_is_accepted(xuhui, session, category, member, media, name, content):
    proposal = draft(xuhui, session, category, member)
    attachment = workflow.attach(proposal, upload=samples.upload(name, content), by=member[0])
    assert attachment.name == name


def test_the_api_refuses_a_disguised_executable_with_a_field_error(
    api_client, xuhui, session, category, member, media
):
    proposal = draft(xuhui, session, category, member)
    api_client.force_login(member[0])
    answer = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/attachments/",
        {"file": samples.upload("说明.pdf", samples.EXE)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert "与扩展名 .pdf 不符" in answer.json()["fields"]["file"][0]


def test_the_api_lists_and_serves_attachments_in_scope(
    xuhui_api, attached, huangpu, huangpu_office, api_client
):
    proposal = attached.proposal
    body = xuhui_api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    (listed,) = body["attachments"]
    assert listed["url"] == f"/api/v1/proposals/{proposal.pk}/attachments/{attached.pk}/"
    response = xuhui_api.get(listed["url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == samples.PDF
    assert quote(NAME) in response["Content-Disposition"]
    assert (
        xuhui_api.get(f"/api/v1/proposals/{proposal.pk + 1}/attachments/{attached.pk}/").status_code
        == 404
    )
    api_client.force_authenticate(huangpu_office)
    assert api_client.get(listed["url"]).status_code == 404


def test_the_admin_links_to_the_download_view(client, attached, xuhui_office):
    client.force_login(xuhui_office)
    page = client.get(reverse("admin:proposals_proposal_change", args=[attached.proposal.pk]))
    assert page.status_code == 200
    assert f'href="{_url(attached)}"' in page.text and "/media/" not in page.text


def test_the_detail_page_links_to_the_download_view(client, attached, member):
    client.force_login(member[0])
    page = client.get(reverse("proposals:detail", args=[attached.proposal.pk]))
    assert f'href="{_url(attached)}"' in page.text and NAME in page.text
