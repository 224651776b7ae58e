"""Removing a draft's attachment, and the reply letter 答复函: uploaded by the unit with its
reply, downloaded by whoever may read the proposal, shown in the admin and the workspaces."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Invalid, WrongState
from core.roles import Role
from members.tests.factories import HandlingUnitFactory, UserFactory
from proposals import workflow
from proposals.models import Attachment
from proposals.tests.helpers import draft, filed, submitted
from tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_MEDIA_SERVER = ""
    return tmp_path


def test_the_proposer_removes_an_attachment_while_drafting_only(
    client, xuhui, session, category, member, cosigner, media, django_capture_on_commit_callbacks
):
    proposal = draft(xuhui, session, category, member)
    kept, removed = (
        workflow.attach(proposal, upload=samples.upload(name, samples.PDF), by=member[0])
        for name in ("保留.pdf", "删除.pdf")
    )
    url = reverse("proposals:attachment-delete", args=[removed.pk])
    client.force_login(cosigner[0])
    assert client.post(url).status_code == 404  # may not even read it
    client.force_login(member[0])
    assert "删除</button>" in client.get(reverse("proposals:detail", args=[proposal.pk])).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    assert list(Attachment.objects.values_list("name", flat=True)) == ["保留.pdf"]
    assert not (media / removed.file.name).exists() and (media / kept.file.name).exists()
    workflow.submit(proposal, by=member[0])
    with pytest.raises(WrongState):
        workflow.remove_attachment(kept, by=member[0])
    assert "删除</button>" not in client.get(reverse("proposals:detail", args=[proposal.pk])).text


def test_the_unit_replies_with_its_letter_and_who_may_download_it(
    client, xuhui, session, category, member, staff, unit, unit_user, xuhui_office, media
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=xuhui_office)
    workflow.accept(assignment, by=unit_user)
    client.force_login(unit_user)
    page = reverse("proposals:unit-assignment", args=[assignment.pk])
    assert 'enctype="multipart/form-data"' in client.get(page).text
    response = client.post(
        page,
        {
            "act": "reply",
            "reply-result": "A",
            "reply-text": "已解决",
            "reply-signatory": "王局长",
            "reply-replied_on": timezone.localdate().isoformat(),
            "reply-publishable": "on",
            "reply-letter": samples.upload("答复函.pdf", samples.PDF),
        },
    )
    assert response.status_code == 302, response.context["reply"].errors
    answer = assignment.replies.get()
    assert answer.letter_name == "答复函.pdf" and "答复函" not in answer.letter.name
    letter = reverse("proposals:reply-letter", args=[answer.pk])
    assert letter in client.get(page).text
    other_unit = UserFactory(
        committee=None,
        handling_unit=HandlingUnitFactory(committee=xuhui),
        roles=[Role.HANDLING_UNIT],
    )
    for reader, status in (
        (unit_user, 200),
        (member[0], 200),
        (xuhui_office, 200),
        (other_unit, 404),
    ):
        client.force_login(reader)
        response = client.get(letter)
        assert response.status_code == status, reader
    client.force_login(xuhui_office)
    admin_page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).text
    assert letter in admin_page
    client.logout()
    assert client.get(letter).status_code == 404


def test_a_letter_is_checked_like_an_attachment(
    xuhui, session, category, member, staff, unit, unit_user, xuhui_office, media
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=xuhui_office)
    workflow.accept(assignment, by=unit_user)
    with pytest.raises(Invalid) as refused:
        workflow.reply(
            assignment,
            result="A",
            text="已解决",
            signatory="王局长",
            letter=samples.upload("答复函.pdf", b"MZ\x90\x00 not a pdf"),
            by=unit_user,
        )
    assert refused.value.field == "letter"
