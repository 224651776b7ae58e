"""A piece's attachments: random stored names, checked content, downloads only for those who may
read the piece (its authors, the offices of its committee and above), in the portal and the API."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from core.errors import Invalid
from opinions import workflow
from opinions.tests.helpers import draft
from tests import samples

pytestmark = pytest.mark.django_db

NAME = "现场照片.png"


@pytest.fixture
def attached(xuhui, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_SERVER = ""
    piece = draft(xuhui, member)
    attachment = workflow.attach(piece, upload=samples.upload(NAME, samples.PNG), by=member[0])
    workflow.submit(piece, by=member[0])
    return attachment


def _url(attachment):
    return reverse("opinions:attachment", args=[attachment.pk])


def test_stored_under_a_random_name_and_served_under_the_original(client, attached, member):
    assert attached.file.name.startswith("opinions/") and "现场照片" not in attached.file.name
    client.force_login(member[0])
    response = client.get(_url(attached))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"
    assert b"".join(response.streaming_content) == samples.PNG


def test_only_readers_of_the_piece_download_it(
    client, attached, other_member, office, city_office, huangpu_op
):
    assert client.get(_url(attached)).status_code == 404
    for outsider in (other_member[0], huangpu_op):
        client.force_login(outsider)
        assert client.get(_url(attached)).status_code == 404
    for reader in (office, city_office):
        client.force_login(reader)
        assert client.get(_url(attached)).status_code == 200


def test_a_renamed_executable_is_refused(xuhui, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    piece = draft(xuhui, member)
    with pytest.raises(Invalid) as refused:
        workflow.attach(piece, upload=samples.upload("照片.jpg", samples.EXE), by=member[0])
    assert refused.value.field == "file" and ".jpg" in refused.value.message
    assert not piece.attachments.exists()


def test_pages_admin_and_api_link_to_the_download_views(
    client, attached, member, office, xuhui_api
):
    piece = attached.piece
    client.force_login(member[0])
    assert (
        f'href="{_url(attached)}"' in client.get(reverse("opinions:detail", args=[piece.pk])).text
    )
    client.force_login(office)
    admin_page = client.get(reverse("admin:opinions_piece_change", args=[piece.pk]))
    assert f'href="{_url(attached)}"' in admin_page.text and "/media/" not in admin_page.text
    (listed,) = xuhui_api.get(f"/api/v1/opinion-pieces/{piece.pk}/").json()["attachments"]
    assert listed["url"] == f"/api/v1/opinion-pieces/{piece.pk}/attachments/{attached.pk}/"
    response = xuhui_api.get(listed["url"])
    assert response.status_code == 200 and quote(NAME) in response["Content-Disposition"]


def test_the_api_answers_404_for_another_district(attached, huangpu_op, api_client):
    api_client.force_authenticate(huangpu_op)
    url = f"/api/v1/opinion-pieces/{attached.piece_id}/attachments/{attached.pk}/"
    assert api_client.get(url).status_code == 404
