"""Joint work 市区联动: the municipal committee organises research visits and meetings with its
districts; each organiser is credited, the city's figures count each once, and only the
committee above or those below may be partners (never another district)."""

from datetime import date

import pytest

from consultations import workflow
from consultations.models import MeetingKind, Suggestion
from consultations.stats import tree_figures, year_figures
from core.errors import Invalid, NotAllowed
from core.roles import Role
from members.tests.factories import CommitteeFactory, HandlingUnitFactory, UserFactory


@pytest.fixture
def city_consult(shanghai):
    return UserFactory(committee=shanghai, is_staff=True, roles=[Role.CONSULTATION_OFFICE])


@pytest.mark.django_db
def test_joint_work_is_credited_to_each_organiser_and_counted_once(
    shanghai, xuhui, huangpu, city_consult, consult_office
):
    visit = workflow.record_research_visit(
        committee=shanghai,
        visited_on=date(2023, 4, 12),
        place="滨江",
        by=city_consult,
        partners=[xuhui, huangpu],
    )
    meeting = workflow.plan_meeting(
        committee=shanghai,
        kind=MeetingKind.STANDING_TOPIC,
        title="市区联动协商：基层治理",
        held_on=date(2023, 11, 16),
        by=city_consult,
        partners=[xuhui],
    )
    Suggestion.objects.create(
        meeting=meeting, text="建议", addressee=HandlingUnitFactory(committee=shanghai)
    )
    workflow.record_research_visit(
        committee=xuhui, visited_on=date(2023, 5, 1), place="徐家汇", by=consult_office
    )
    city, district = year_figures(shanghai, 2023), year_figures(xuhui, 2023)
    assert (city["research_visits"], city["meetings"], city["joint_meetings"]) == (1, 1, 1)
    assert (district["research_visits"], district["joint_research_visits"]) == (2, 1)
    assert (district["meetings"], district["suggestions"]) == (1, 1)
    assert year_figures(huangpu, 2023)["research_visits"] == 1
    together = tree_figures([shanghai.pk, xuhui.pk, huangpu.pk], 2023)
    assert (together["research_visits"], together["joint_research_visits"]) == (2, 1)
    assert (together["meetings"], together["suggestions"]) == (1, 1)
    assert visit.history.first().history_change_reason.startswith("联动政协")


@pytest.mark.django_db
def test_partners_are_the_committees_above_or_below(
    shanghai, xuhui, huangpu, city_consult, consult_office
):
    other_city = CommitteeFactory(level="municipal", region_code="320000")
    other_district = CommitteeFactory(parent=other_city, region_code="320102")
    visit = workflow.record_research_visit(
        committee=shanghai, visited_on=date(2023, 4, 12), place="滨江", by=city_consult
    )
    for stranger in (other_city, other_district, shanghai):
        with pytest.raises(Invalid) as error:
            workflow.set_partners(visit, [stranger], by=city_consult)
        assert error.value.field == "partners"
    with pytest.raises(NotAllowed):  # a district does not change the city's record
        workflow.set_partners(visit, [xuhui], by=consult_office)
    own = workflow.record_research_visit(
        committee=xuhui, visited_on=date(2023, 4, 12), place="徐家汇", by=consult_office
    )
    with pytest.raises(Invalid):  # never another district
        workflow.set_partners(own, [huangpu], by=consult_office)
    workflow.set_partners(own, [shanghai], by=consult_office)  # a district with its city
    assert list(own.partners.all()) == [shanghai]
