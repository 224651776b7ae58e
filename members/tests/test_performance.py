"""The performance record: acts recorded once per source, points from the managed table."""

from datetime import date
from decimal import Decimal

from members.models import Act, ActKind, Seat
from members.performance import ranking, record_act, withdraw_act, yearly_record
from members.tests.factories import SeatFactory, TermFactory


def test_acts_are_recorded_once_and_withdrawn(xuhui):
    seat = SeatFactory(committee=xuhui)
    source = TermFactory(committee=xuhui)  # any model instance can be a source
    record_act(seat=seat, kind="speech", on=date(2023, 5, 1), source=source)
    record_act(seat=seat, kind="speech", on=date(2023, 5, 1), source=source)
    assert Act.objects.count() == 1
    withdraw_act(seat=seat, kind="speech", source=source)
    assert Act.objects.count() == 0


def test_yearly_record_and_ranking_are_derived(xuhui):
    first, second = SeatFactory(committee=xuhui), SeatFactory(committee=xuhui)
    sources = [TermFactory(committee=xuhui) for _ in range(3)]
    for source in sources:
        record_act(seat=first, kind="workstation_activity", on=date(2023, 3, 1), source=source)
    record_act(seat=second, kind="speech", on=date(2023, 4, 1), source=sources[0])
    record_act(seat=second, kind="speech", on=date(2022, 4, 1), source=sources[1])  # other year
    rows = {row.code: (row.acts, row.total) for row in yearly_record([first.pk], 2023)}
    assert rows == {"workstation_activity": (3, Decimal("6.0"))}
    ranked = list(ranking(Seat.objects.filter(committee=xuhui), 2023))
    assert [(s.pk, s.points, s.act_count) for s in ranked] == [
        (first.pk, Decimal("6.0"), 3),
        (second.pk, Decimal("5.0"), 1),
    ]
    ActKind.objects.filter(code="speech").update(points=Decimal("7"))
    assert ranking(Seat.objects.filter(committee=xuhui), 2023).first().pk == second.pk
