"""Portal pages: a member writes, invites, submits and rates; a unit accepts and replies."""

import uuid

from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from proposals import workflow
from proposals.models import CoSigner, Proposal, State
from proposals.tests.helpers import filed


def test_member_writes_invites_and_submits(client, xuhui, session, category, member, cosigner):
    client.force_login(member[0])
    response = client.post(
        reverse("proposals:new"),
        {
            "session": session.pk,
            "timing": "plenary",
            "kind": "joint",
            "category": category.pk,
            "title": "关于优化中小学课后服务的建议",
            "reason": "家长需求",
            "analysis": "",
            "suggestions": "延长服务时间",
            "research_basis": "问卷调查",
            "disclose": "on",
            "once": str(uuid.uuid4()),
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.state == State.DRAFT
    client.post(reverse("proposals:act", args=[proposal.pk, "invite"]), {"seat": cosigner[1].pk})
    refused = client.post(reverse("proposals:act", args=[proposal.pk, "submit"]), follow=True)
    assert "附议人" in refused.text  # nobody confirmed yet
    client.force_login(cosigner[0])
    tasks = client.get(reverse("proposals:mine"))
    assert "邀请您附议" in tasks.text
    client.post(
        reverse("proposals:cosign-answer", args=[CoSigner.objects.get().pk]), {"accept": "1"}
    )
    client.force_login(member[0])
    client.post(reverse("proposals:act", args=[proposal.pk, "submit"]))
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    detail = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert "提交" in detail.text and "优化中小学课后服务" in detail.text


def test_unit_replies_and_member_rates(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=category,
        lead=member[1],
        by=member[0],
        title="关于养老的建议",
        reason="r",
        suggestions="s",
        research_basis="b",
    )
    workflow.submit(proposal, by=member[0])
    filed(proposal, staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE]
    )
    client.force_login(unit_user)
    assert "关于养老的建议" in client.get(reverse("proposals:unit")).text
    url = reverse("proposals:unit-assignment", args=[assignment.pk])
    client.post(url, {"act": "accept"})
    reply = {
        "act": "reply",
        "reply-result": "A",
        "reply-text": "已解决",
        "reply-signatory": "局长",
        "reply-publishable": "on",
    }
    missing = client.post(url, reply)
    assert missing.status_code == 200 and "replied_on" in missing.context["reply"].errors
    client.post(url, {**reply, "reply-replied_on": timezone.localdate()})
    proposal.refresh_from_db()
    assert proposal.state == State.REPLIED
    client.force_login(member[0])
    assert "请对" in client.get(reverse("proposals:mine")).text
    answer = assignment.replies.get()
    client.post(reverse("proposals:feedback", args=[answer.pk]), {"rating": "satisfied"})
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_staff_figures_page(client, xuhui, session, category, member, staff):
    filed(
        workflow.submit(
            workflow.create_draft(
                committee=xuhui,
                session=session,
                category=category,
                lead=member[1],
                by=member[0],
                title="关于停车难的建议",
                reason="r",
                suggestions="s",
                research_basis="b",
            ),
            by=member[0],
        ),
        staff,
    )
    client.force_login(staff[Role.PROPOSAL_OFFICE])
    page = client.get(reverse("proposals:figures"), {"session": session.pk})
    assert page.status_code == 200 and page.context["figures"]["filed"] == 1
    client.force_login(member[0])
    assert client.get(reverse("proposals:figures")).status_code == 403


def test_member_attaches_a_file_to_a_draft(
    client, xuhui, session, category, member, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import samples

    settings.MEDIA_ROOT = tmp_path
    proposal = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=category,
        lead=member[1],
        by=member[0],
        title="带附件",
    )
    client.force_login(member[0])
    url = reverse("proposals:act", args=[proposal.pk, "attach"])
    client.post(url, {"file": SimpleUploadedFile("问卷结果.xlsx", samples.xlsx())})
    refused = client.post(url, {"file": SimpleUploadedFile("脚本.sh", b"#!")}, follow=True)
    assert "附件类型" in refused.text
    page = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert "问卷结果.xlsx" in page.text and "脚本.sh" not in page.text
