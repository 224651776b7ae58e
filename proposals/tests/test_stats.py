"""Proposal figures against hand-computed values on a small fixture."""

from datetime import timedelta

from django.utils import timezone

from core.roles import Role
from members.models import Party, Sector
from members.tests.factories import HandlingUnitFactory, UserFactory
from proposals import workflow
from proposals.models import Proposal
from proposals.stats import proposal_figures
from proposals.tests.helpers import filed, submitted, to_final_review


def test_figures_of_a_session(
    django_assert_num_queries, xuhui, session, category, member, staff, unit, unit_user
):
    office, directors = staff[Role.PROPOSAL_OFFICE], staff[Role.DIRECTORS_MEETING]
    seat = member[1]
    seat.party = Party.objects.create(committee=xuhui, name="中国民主同盟")
    seat.sector = Sector.objects.create(committee=xuhui, name="教育界")
    seat.save()
    five = [
        filed(submitted(xuhui, session, category, member, title=f"立{i}"), staff) for i in range(5)
    ]
    not_filed = to_final_review(submitted(xuhui, session, category, member, title="不立"), staff)
    workflow.final_review(not_filed, decision="not_file", disposition="opinion", by=directors)
    merged = to_final_review(submitted(xuhui, session, category, member, title="并"), staff)
    workflow.final_review(merged, decision="merge", merge_into=five[0], by=directors)
    withdrawn = submitted(xuhui, session, category, member, title="撤")
    workflow.withdraw(withdrawn, by=member[0])
    submitted(xuhui, session, category, member, title="审查中")
    other_unit = HandlingUnitFactory(committee=xuhui, name="区教育局")
    today = timezone.localdate()
    # 0: replied on time (A, satisfied); 1: replied late (B, dissatisfied);
    # 2: overdue, no reply; 3: not due yet; 4: not assigned
    for index, proposal in enumerate(five[:4]):
        on = today - timedelta(days=200) if index in (1, 2) else today - timedelta(days=10)
        workflow.assign(proposal, units=[(unit, "lead"), (other_unit, "co")], by=office, on=on)
    other_user = UserFactory(
        username="other_unit", committee=None, handling_unit=other_unit, roles=[Role.HANDLING_UNIT]
    )
    for index, result, rating in ((0, "A", "satisfied"), (1, "B", "dissatisfied")):
        co = five[index].assignments.get(role="co")  # the co-handling unit answers first
        workflow.accept(co, by=other_user)
        workflow.send_opinion(co, text="会办意见", by=other_user)
        assignment = five[index].assignments.get(role="lead")
        workflow.accept(assignment, by=unit_user)
        answer = workflow.reply(
            assignment, result=result, text="答复", signatory="局长", by=unit_user
        )
        workflow.give_feedback(answer, rating=rating, by=member[0])
    workflow.select_excellent(five[0], by=directors)

    with django_assert_num_queries(2):  # the proposals grouped; their assignments joined
        figures = proposal_figures(xuhui, session=session)
    assert figures["submitted"] == 8  # 5 filed, 1 not filed, 1 merged, 1 in review
    assert (figures["filed"], figures["filing_rate"]) == (5, 62.5)
    assert (figures["not_filed"], figures["merged"], figures["in_review"]) == (1, 1, 1)
    assert figures["not_filed_by_disposition"] == {"opinion": 1}
    assert figures["by_kind"] == {"individual": 8}
    assert figures["by_party"] == {"中国民主同盟": 8}
    assert figures["by_sector"] == {"教育界": 8}
    assert figures["units_involved"] == 2
    assert (
        figures["assignments_replied"],
        figures["replied_on_time"],
        figures["overdue_assignments"],
    ) == (4, 2, 2)  # every unit answers: lead replies and co-handling opinions alike
    assert figures["on_time_rate"] == 33.3  # 2 on time / (4 answered + 2 overdue)
    assert figures["reply_mix"] == {"A": 1, "B": 1, "C": 0}
    assert figures["satisfaction_rate"] == 50.0
    assert (figures["overdue_now"], figures["excellent"], figures["closed"]) == (1, 1, 1)
    assert proposal_figures(xuhui, year=today.year)["submitted"] == 8
    assert proposal_figures(xuhui, year=today.year - 1)["submitted"] == 0
    assert Proposal.objects.count() == 9


def test_figures_endpoint(xuhui_api, xuhui, huangpu, session, category, member, staff):
    filed(submitted(xuhui, session, category, member), staff)
    body = xuhui_api.get(f"/api/v1/proposal-figures/?committee={xuhui.pk}&session={session.pk}")
    assert body.status_code == 200 and body.json()["filed"] == 1
    assert (
        xuhui_api.get(f"/api/v1/proposal-figures/?committee={huangpu.pk}&year=2023").status_code
        == 404
    )
    assert xuhui_api.get(f"/api/v1/proposal-figures/?committee={xuhui.pk}").status_code == 400
