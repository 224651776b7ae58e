"""Reminders to the office: unscreened after 5 working days, no outcome 30 days after sending;
each once per threshold, on the official calendar."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from notifications import scan
from notifications.models import Notification
from opinions import workflow
from opinions.models import Piece, Report
from opinions.tests.helpers import reported, submitted

pytestmark = pytest.mark.django_db


def _received(kind):
    return sorted(
        Notification.objects.filter(reminder__kind=kind).values_list(
            "recipient__username", "reminder__threshold"
        )
    )


def test_unscreened_after_five_working_days_once(xuhui, member, office):
    piece = submitted(xuhui, member)
    monday = timezone.make_aware(datetime(2023, 10, 9, 9))  # after National Day 2023
    Piece.objects.filter(pk=piece.pk).update(submitted_at=monday, received_at=monday)
    kind = ["opinions.unscreened"]
    assert scan.run(today=date(2023, 10, 13), kinds=kind) == {kind[0]: 0}  # 4 working days
    assert scan.run(today=date(2023, 10, 16), kinds=kind) == {kind[0]: 1}  # 5
    assert scan.run(today=date(2023, 10, 17), kinds=kind) == {kind[0]: 0}  # once
    assert _received(kind[0]) == [("xh_op", "5")]
    screened = submitted(xuhui, member, title="已筛选")
    Piece.objects.filter(pk=screened.pk).update(submitted_at=monday)
    workflow.screen(screened, decision="accept", by=office)
    assert scan.run(today=date(2023, 10, 20), kinds=kind) == {kind[0]: 0}


def test_report_without_outcome_after_thirty_days_once(xuhui, member, office):
    report = reported(xuhui, member, office)
    answered = reported(xuhui, member, office, title="已反馈")
    workflow.record_outcome(answered, kind="adopted", level="district", by=office)
    Report.objects.update(reported_on=date(2023, 3, 1), issued_on=date(2023, 3, 1))
    kind = ["opinions.no_outcome"]
    assert scan.run(today=date(2023, 3, 30), kinds=kind) == {kind[0]: 0}
    assert scan.run(today=date(2023, 3, 31), kinds=kind) == {kind[0]: 1}
    assert scan.run(today=date(2023, 4, 30), kinds=kind) == {kind[0]: 0}
    (notification,) = Notification.objects.filter(reminder__kind=kind[0])
    assert notification.reminder.object_id == report.pk
    assert "尚未记录采用或批示情况" in notification.reminder.text
