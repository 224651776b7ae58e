"""factory_boy factories of consultations: rows as they stand in the database (made directly, not
through the acts), so a test states only what matters to it."""

from datetime import date

import factory

from consultations.models import (
    Instruction,
    Invitation,
    Meeting,
    MeetingKind,
    OutcomeReport,
    Plan,
    ResearchVisit,
    Suggestion,
    Topic,
)
from members.models import SpecialCommittee
from members.tests.factories import CommitteeFactory, HandlingUnitFactory, SeatFactory


class SpecialCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialCommittee
        django_get_or_create = ["committee", "name"]

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"专门委员会{n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["committee", "year"]

    committee = factory.SubFactory(CommitteeFactory)
    year = 2023


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    committee = factory.SubFactory(CommitteeFactory)
    year = 2023
    title = factory.Sequence(lambda n: f"协商议题{n}")
    reason = "群众关切"
    proposer_kind = Topic.ProposerKind.MEMBER
    proposer = "张委员"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    kind = MeetingKind.BIMONTHLY
    title = factory.Sequence(lambda n: f"双月协商会{n}")
    held_on = date(2023, 6, 20)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    seat = factory.SubFactory(SeatFactory, committee=factory.SelfAttribute("..meeting.committee"))


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"意见建议{n}")
    addressee = factory.SubFactory(
        HandlingUnitFactory, committee=factory.SelfAttribute("..meeting.committee")
    )


class OutcomeReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeReport

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"政协建言{n}")
    text = "（正文）"


class InstructionFactory(factory.django.DjangoModelFactory):
    """On a suggestion unless `report=` is given (then pass `suggestion=None`)."""

    class Meta:
        model = Instruction

    suggestion = factory.SubFactory(SuggestionFactory)
    leader = "区长"
    given_on = date(2023, 7, 1)
    text = "请认真研究。"


class ResearchVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchVisit

    committee = factory.SubFactory(CommitteeFactory)
    visited_on = date(2023, 5, 10)
    place = factory.Sequence(lambda n: f"调研点{n}")
