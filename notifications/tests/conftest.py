import pytest
from django.utils import timezone

from core.roles import Role
from members.tests.factories import (
    HandlingUnitFactory,
    PlenarySessionFactory,
    SeatFactory,
    UserFactory,
)
from proposals.models import Assignment, Category, Proposal, State
from proposals.selectors import OPEN_ASSIGNMENT

OVERDUE_SINCE = timezone.datetime(2023, 5, 20).date()


def overdue_assignments(committee, unit, count: int) -> list[Assignment]:
    """`count` proposals being handled by `unit`, each with an assignment overdue since May 2023
    (written in bulk: these tests are about the scan, not about how proposals get there)."""
    session = PlenarySessionFactory(term__committee=committee)
    category = Category.objects.create(committee=committee, name="城市管理")
    author = UserFactory(committee=committee, roles=[Role.MEMBER])
    lead = SeatFactory(committee=committee, person__user=author)
    proposals = Proposal.objects.bulk_create(
        Proposal(
            committee=committee,
            session=session,
            category=category,
            title=f"关于加强社区治理的建议（{n}）",
            state=State.HANDLING,
            number=n + 1,
            submitted_at=timezone.now(),
            filed_at=timezone.now(),
            created_by=author,
            lead=lead,
        )
        for n in range(count)
    )
    return Assignment.objects.bulk_create(
        Assignment(
            proposal=proposal,
            unit=unit,
            role=Assignment.Role.LEAD,
            status=OPEN_ASSIGNMENT[1],
            assigned_on=OVERDUE_SINCE.replace(month=2),
            acknowledge_by=OVERDUE_SINCE.replace(month=2, day=27),
            due_on=OVERDUE_SINCE,
        )
        for proposal in proposals
    )


@pytest.fixture
def unit_with_staff(xuhui):
    """A unit with one user who wants e-mail and one who does not."""
    unit = HandlingUnitFactory(committee=xuhui, name="区城管执法局")
    UserFactory(
        username="mailed",
        email="mailed@example.org",
        handling_unit=unit,
        committee=None,
        roles=[Role.HANDLING_UNIT],
    )
    UserFactory(
        username="quiet",
        email="quiet@example.org",
        handling_unit=unit,
        committee=None,
        roles=[Role.HANDLING_UNIT],
        receives_email=False,
    )
    return unit
