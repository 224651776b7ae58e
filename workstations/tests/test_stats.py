"""District and station figures against hand-computed values on a small fixture."""

from datetime import date

from members.models import Level, SeatStatus
from members.tests.factories import CommitteeFactory, SeatFactory
from workstations import workflow
from workstations.models import Tier
from workstations.stats import district_figures, station_figures
from workstations.tests.factories import StreetFactory, WorkstationFactory


def test_district_and_station_figures(xuhui, shanghai, xuhui_admin):
    streets = StreetFactory.create_batch(3, committee=xuhui)
    one = WorkstationFactory(committee=xuhui, street=streets[0])
    two = WorkstationFactory(committee=xuhui, street=streets[1])
    WorkstationFactory(committee=xuhui, street=streets[2], is_active=False)  # not counted
    WorkstationFactory(
        committee=xuhui, tier=Tier.CONTACT_POINT, street=None, name="联系点", host="某大学"
    )
    placed = SeatFactory.create_batch(3, committee=xuhui)
    unplaced = SeatFactory(committee=xuhui)
    SeatFactory(committee=xuhui, is_hk_macao=True)  # excluded from the entry rate
    ended = SeatFactory(committee=xuhui)
    municipal = SeatFactory(committee=shanghai)
    shanghai.parent = CommitteeFactory(level=Level.NATIONAL, region_code="100000")
    shanghai.save()
    national = SeatFactory(committee=shanghai.parent)
    for seat in [*placed, ended, municipal, national]:
        workflow.place(workstation=one, seat=seat, joined_on=date(2023, 1, 1), by=xuhui_admin)
    workflow.place(workstation=two, seat=placed[0], joined_on=date(2023, 1, 1), by=xuhui_admin)
    ended.status = SeatStatus.ENDED
    ended.save()
    left = workflow.place(
        workstation=two, seat=unplaced, joined_on=date(2023, 1, 1), by=xuhui_admin
    )
    workflow.end_placement(left, left_on=date(2023, 2, 1), by=xuhui_admin)  # no longer placed
    for day, people, attendees in (
        (date(2023, 3, 1), 30, placed[:2]),
        (date(2023, 5, 1), 12, placed),
        (date(2022, 5, 1), 99, []),
    ):
        workflow.record_activity(
            workstation=one,
            by=xuhui_admin,
            kind="public",
            held_on=day,
            topic=f"活动{day}",
            attendees=attendees,
            public_participants=people,
        )

    figures = district_figures([xuhui.pk], 2023)[xuhui.pk]
    assert (figures["stations"], figures["contact_points"]) == (2, 1)
    assert (figures["covered_streets"], figures["streets"], figures["street_coverage"]) == (
        2,
        3,
        66.7,
    )
    # active, non-HK/Macao Xuhui seats: 3 placed + 1 who left = 4; placed now: 3
    assert (figures["placed_seats"], figures["seats"], figures["entry_rate"]) == (3, 4, 75.0)
    assert (figures["activities"], figures["participants"]) == (2, 42)
    assert figures["activities_per_workstation"] == 0.7  # 2 activities / 3 active workstations

    rows = {w.pk: w for w in station_figures(one.committee.workstations.all(), 2023)}
    assert (
        rows[one.pk].national_members,
        rows[one.pk].municipal_members,
        rows[one.pk].district_members,
    ) == (1, 1, 4)
    assert (
        rows[one.pk].activity_count,
        rows[one.pk].participants,
        rows[one.pk].member_attendances,
    ) == (2, 42, 5)
    assert (rows[two.pk].district_members, rows[two.pk].activity_count) == (1, 0)
