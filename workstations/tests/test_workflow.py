"""Placing members, recording activities (attendees earn acts), assessing stations."""

from datetime import date

import pytest

from core.errors import Invalid, NotAllowed, WrongState
from members.models import Act, Level, SeatStatus
from members.tests.factories import CommitteeFactory, SeatFactory, UserFactory
from workstations import workflow
from workstations.models import Placement


def _place_all(station, seats, by):
    return [
        workflow.place(workstation=station, seat=s, joined_on=date(2023, 1, 1), by=by)
        for s in seats
    ]


def test_a_member_of_any_level_joins_once(station, xuhui_admin, shanghai):
    municipal = SeatFactory(committee=shanghai)
    placement = workflow.place(
        workstation=station, seat=municipal, joined_on=date(2023, 1, 1), by=xuhui_admin
    )
    assert placement.seat.committee.level == Level.MUNICIPAL
    with pytest.raises(WrongState, match="已在本站"):
        workflow.place(
            workstation=station, seat=municipal, joined_on=date(2023, 2, 1), by=xuhui_admin
        )
    ended = SeatFactory(committee=station.committee, status=SeatStatus.ENDED)
    other_district = SeatFactory(committee=CommitteeFactory(parent=shanghai))
    with pytest.raises(Invalid, match="上级政协"):
        workflow.place(
            workstation=station, seat=other_district, joined_on=date(2023, 1, 1), by=xuhui_admin
        )
    with pytest.raises(Invalid, match="在任"):
        workflow.place(workstation=station, seat=ended, joined_on=date(2023, 1, 1), by=xuhui_admin)


def test_leaving_keeps_history_and_allows_rejoining(station, seats, xuhui_admin):
    placement = _place_all(station, seats[:1], xuhui_admin)[0]
    workflow.end_placement(placement, left_on=date(2023, 6, 30), by=xuhui_admin, reason="工作调动")
    placement.refresh_from_db()
    assert placement.left_on == date(2023, 6, 30)
    assert placement.history.first().history_change_reason == "工作调动"
    assert placement.history.first().history_user == xuhui_admin
    with pytest.raises(WrongState):
        workflow.end_placement(placement, left_on=date(2023, 7, 1), by=xuhui_admin)
    workflow.place(workstation=station, seat=seats[0], joined_on=date(2024, 1, 1), by=xuhui_admin)
    assert Placement.objects.filter(seat=seats[0]).count() == 2


def test_only_own_district_staff_and_the_stations_liaisons(station, seats, huangpu, xuhui):
    other = UserFactory(committee=huangpu, roles=["committee_admin"])
    with pytest.raises(NotAllowed):
        workflow.place(workstation=station, seat=seats[0], joined_on=date(2023, 1, 1), by=other)
    member = UserFactory(committee=xuhui, roles=["member"])
    with pytest.raises(NotAllowed):
        workflow.record_activity(
            workstation=station, by=member, kind="reading", held_on=date(2023, 3, 1), topic="读书"
        )


def test_activity_attendees_earn_acts(station, seats, liaison, xuhui_admin):
    _place_all(station, seats, xuhui_admin)
    activity = workflow.record_activity(
        workstation=station,
        by=liaison,
        kind="consultation",
        held_on=date(2023, 3, 8),
        topic="加装电梯协商议事",
        attendees=seats[:2],
        public_participants=40,
    )
    assert set(Act.objects.values_list("seat", flat=True)) == {seats[0].pk, seats[1].pk}
    assert activity.history.first().history_user == liaison
    workflow.update_activity(activity, by=liaison, attendees=seats[1:])
    assert set(Act.objects.values_list("seat", flat=True)) == {seats[1].pk, seats[2].pk}
    workflow.update_activity(activity, by=liaison, held_on=date(2023, 4, 1))
    assert set(Act.objects.values_list("occurred_on", flat=True)) == {date(2023, 4, 1)}
    workflow.delete_activity(activity, by=xuhui_admin)
    assert not Act.objects.exists()


def test_attendees_must_be_placed_that_day(station, seats, xuhui_admin):
    _place_all(station, seats[:1], xuhui_admin)
    with pytest.raises(Invalid, match=str(seats[1].person)):
        workflow.record_activity(
            workstation=station,
            by=xuhui_admin,
            kind="reading",
            held_on=date(2023, 3, 1),
            topic="读书",
            attendees=seats[:2],
        )
    with pytest.raises(Invalid):  # before joining
        workflow.record_activity(
            workstation=station,
            by=xuhui_admin,
            kind="reading",
            held_on=date(2022, 12, 1),
            topic="读书",
            attendees=seats[:1],
        )


def test_assessment_by_staff_once_a_year(station, xuhui_admin, liaison):
    scores = {"support": 18, "mechanism": 17, "linkage": 16, "role": 19, "feedback": 20}
    first = workflow.assess(workstation=station, year=2023, by=xuhui_admin, **scores)
    assert first.total == 90
    again = workflow.assess(
        workstation=station, year=2023, by=xuhui_admin, **{**scores, "feedback": 10}
    )
    assert again.pk == first.pk and again.total == 80
    with pytest.raises(NotAllowed):
        workflow.assess(workstation=station, year=2023, by=liaison, **scores)


def test_national_committee_station_is_refused(xuhui_admin):
    from django.core.exceptions import ValidationError

    from workstations.tests.factories import WorkstationFactory

    national = CommitteeFactory(level=Level.NATIONAL, region_code="100000")
    with pytest.raises(ValidationError):
        WorkstationFactory.build(committee=national, street=None, name="站").full_clean()
