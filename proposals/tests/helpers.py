"""Drive a proposal through the workflow to a given state (for tests)."""

from proposals import workflow
from proposals.models import Review


def draft(xuhui, session, category, member, **extra):
    user, seat = member
    return workflow.create_draft(
        committee=xuhui,
        session=session,
        category=category,
        lead=seat,
        by=user,
        title=extra.pop("title", "关于完善社区卫生服务体系的建议"),
        reason="理由",
        analysis="分析",
        suggestions="建议",
        research_basis="走访了五个社区卫生服务中心",
        **extra,
    )


def submitted(*args, **kwargs):
    proposal = draft(*args, **kwargs)
    return workflow.submit(proposal, by=args[3][0])


def to_final_review(proposal, staff):
    from core.roles import Role

    workflow.first_review(proposal, decision=Review.Decision.PASS, by=staff[Role.PROPOSAL_OFFICE])
    return workflow.second_review(
        proposal, decision=Review.Decision.PASS, by=staff[Role.REVIEW_GROUP]
    )


def filed(proposal, staff):
    from core.roles import Role

    to_final_review(proposal, staff)
    return workflow.final_review(
        proposal, decision=Review.Decision.FILE, by=staff[Role.DIRECTORS_MEETING]
    )


def answered(assignment, unit_user, *, on=None):
    """The unit accepts the assignment and replies (A) on `on` (today by default)."""
    from django.utils import timezone

    workflow.accept(assignment, by=unit_user)
    return workflow.reply(
        assignment,
        result="A",
        text="已解决",
        signatory="局长",
        replied_on=on or timezone.localdate(),
        by=unit_user,
    )


def copies(proposal, n: int, *, title: str = "副本", **changes):
    """n more proposals like `proposal` (with `changes`; titles `title`0, `title`1 …), created in
    bulk: rows for a list, without the workflow's cost."""
    from proposals.models import Proposal

    proposal = Proposal.objects.get(pk=proposal.pk)
    fields = {
        f.attname: getattr(proposal, f.attname)
        for f in Proposal._meta.concrete_fields
        if not f.primary_key and not f.generated
    }
    number = changes.pop("number", None)
    return Proposal.objects.bulk_create(
        Proposal(
            **{
                **fields,
                **changes,
                "title": f"{title}{i}",
                "number": None if number is None else number + i,
            }
        )
        for i in range(n)
    )


def assign_copies(proposals, unit) -> None:
    """Bulk lead assignments of `proposals` to `unit`, overdue since April 2024."""
    from datetime import date

    from proposals.models import Assignment

    Assignment.objects.bulk_create(
        Assignment(
            proposal=p,
            unit=unit,
            role="lead",
            assigned_on=date(2024, 1, 1),
            acknowledge_by=date(2024, 1, 5),
            due_on=date(2024, 4, 1),
        )
        for p in proposals
    )
