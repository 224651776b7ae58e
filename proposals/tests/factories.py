"""factory_boy factories of proposals: rows in a given state without walking the workflow.

Use them where a test is about what is read (lists, figures, scoping); drive the workflow
(proposals.tests.helpers) where the test is about the acts themselves.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from members.tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    PlenarySessionFactory,
    SeatFactory,
    TermFactory,
    UserFactory,
)
from proposals import deadlines
from proposals.models import Assignment, Category, Proposal, Reply, State


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["committee", "name"]

    committee = factory.SubFactory(CommitteeFactory)
    name = "社会建设"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A filed proposal of a member of `committee` (state and number can be overridden)."""

    class Meta:
        model = Proposal

    committee = factory.SubFactory(CommitteeFactory)
    session = factory.LazyAttribute(
        lambda o: PlenarySessionFactory(term=TermFactory(committee=o.committee))
    )
    category = factory.LazyAttribute(lambda o: CategoryFactory(committee=o.committee))
    lead = factory.LazyAttribute(lambda o: SeatFactory(committee=o.committee))
    created_by = factory.LazyAttribute(lambda o: UserFactory(committee=o.committee))
    title = factory.Sequence(lambda n: f"关于改进社区服务的建议（{n}）")
    reason = "理由"
    analysis = "分析"
    suggestions = "建议"
    research_basis = "调研"
    state = State.FILED
    number = factory.Sequence(lambda n: n + 1)
    submitted_at = factory.LazyFunction(timezone.now)
    filed_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A lead assignment made `days_ago` days ago, with its statutory deadlines."""

    class Meta:
        model = Assignment

    class Params:
        days_ago = 10

    proposal = factory.SubFactory(ProposalFactory, state=State.HANDLING)
    unit = factory.LazyAttribute(lambda o: HandlingUnitFactory(committee=o.proposal.committee))
    role = Assignment.Role.LEAD
    assigned_on = factory.LazyAttribute(lambda o: timezone.localdate() - timedelta(days=o.days_ago))
    acknowledge_by = factory.LazyAttribute(lambda o: deadlines.acknowledgement_due(o.assigned_on))
    due_on = factory.LazyAttribute(lambda o: deadlines.handling_due(o.assigned_on))


class ReplyFactory(factory.django.DjangoModelFactory):
    """A reply of a lead unit, its assignment marked replied."""

    class Meta:
        model = Reply

    assignment = factory.SubFactory(AssignmentFactory, status=Assignment.Status.REPLIED)
    result = Reply.Result.A
    text = "所提问题已基本解决。"
    signatory = "局长"
    replied_on = factory.LazyFunction(timezone.localdate)
