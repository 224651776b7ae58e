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
