"""Pieces from elsewhere: an unfiled proposal with the disposition 转社情民意信息, and a workstation
activity."""

from datetime import date

import pytest

from core.errors import WrongState
from core.roles import Role
from members.models import Act
from members.tests.factories import PlenarySessionFactory, TermFactory, UserFactory
from opinions import workflow
from opinions.models import Piece, PieceState, SubmitterKind
from proposals import workflow as proposal_workflow
from proposals.models import Category as ProposalCategory
from proposals.models import Review
from proposals.tests.helpers import submitted as submitted_proposal
from workstations.models import Activity, Street, Workstation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewers(xuhui):
    return {
        role: UserFactory(username=role, committee=xuhui, is_staff=True, roles=[role])
        for role in (Role.PROPOSAL_OFFICE, Role.REVIEW_GROUP, Role.DIRECTORS_MEETING)
    }


def _to_final(xuhui, member, reviewers, title):
    session = PlenarySessionFactory(term=TermFactory(committee=xuhui, number=14), number=2)
    category = ProposalCategory.objects.get_or_create(committee=xuhui, name="社会建设")[0]
    proposal = submitted_proposal(xuhui, session, category, member, title=title)
    proposal_workflow.first_review(
        proposal, decision=Review.Decision.PASS, by=reviewers[Role.PROPOSAL_OFFICE]
    )
    return proposal_workflow.second_review(
        proposal, decision=Review.Decision.PASS, by=reviewers[Role.REVIEW_GROUP]
    )


def test_unfiled_proposal_becomes_a_piece_linked_both_ways(xuhui, member, reviewers, office):
    proposal = _to_final(xuhui, member, reviewers, "关于社区食堂的建议")
    proposal_workflow.final_review(
        proposal,
        decision=Review.Decision.NOT_FILE,
        disposition="opinion",
        by=reviewers[Role.DIRECTORS_MEETING],
    )
    piece = Piece.objects.get(source_proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.opinion_piece == piece
    assert piece.state == PieceState.SUBMITTED and piece.seat == member[1]
    assert piece.category == "society" and piece.title == "关于社区食堂的建议"
    assert Act.objects.filter(seat=member[1], kind__code="opinion_submitted").count() == 1
    # It waits in the office's queue like any other piece; converting twice changes nothing.
    assert workflow.from_proposal(proposal, by=office) == piece
    workflow.screen(piece, decision="accept", by=office)


def test_other_dispositions_create_nothing(xuhui, member, reviewers):
    proposal = _to_final(xuhui, member, reviewers, "关于转部门参考的建议")
    proposal_workflow.final_review(
        proposal,
        decision=Review.Decision.NOT_FILE,
        disposition="referred",
        by=reviewers[Role.DIRECTORS_MEETING],
    )
    assert not Piece.objects.exists()
    with pytest.raises(WrongState):
        workflow.from_proposal(proposal, by=reviewers[Role.DIRECTORS_MEETING])


def test_workstation_activity_produces_pieces(xuhui, office, member):
    street = Street.objects.create(committee=xuhui, name="漕河泾街道")
    station = Workstation.objects.create(
        committee=xuhui, tier="station", name="漕河泾站", street=street
    )
    liaison = UserFactory(username="liaison", committee=xuhui, roles=[Role.WORKSTATION_LIAISON])
    station.liaisons.add(liaison)
    activity = Activity.objects.create(
        workstation=station, kind="public", held_on=date(2024, 5, 8), topic="听取居民意见"
    )
    piece = workflow.create_draft(
        committee=xuhui,
        by=liaison,
        submitter_kind=SubmitterKind.WORKSTATION,
        source_activity=activity,
        title="居民反映菜场营业时间过短",
        content="建议延长营业时间。",
    )
    workflow.submit(piece, by=liaison)
    assert piece.workstation == station and list(activity.opinion_pieces.all()) == [piece]
    assert piece.submitter == "漕河泾站"
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        workflow.create_draft(
            committee=xuhui,
            by=member[0],
            submitter_kind=SubmitterKind.WORKSTATION,
            workstation=station,
            title="t",
            content="c",
        )
