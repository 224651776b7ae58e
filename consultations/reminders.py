"""Consultation reminders (DOMAIN §9): a meeting tomorrow for those invited, undecided leave
requests for the office, and the leave decision for the member who asked.

The invitation, the leave request and the leave decision are also told at once by their acts
(consultations.workflow, through notifications.events): the request and the decision under the
same kind and threshold as the scan, which therefore only catches what was not told."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consultations.models import Invitation, Meeting
from core.roles import Role
from notifications.recipients import role_holders, seat_users
from notifications.registry import Due, event_kind, reminder_kind


def _invitations(**filters):
    return Invitation.objects.filter(
        seat__isnull=False, meeting__status=Meeting.Status.PLANNED, **filters
    ).values(
        "pk",
        "seat",
        "status",
        "meeting",
        "meeting__committee",
        "meeting__title",
        "meeting__held_on",
        "meeting__venue",
        "seat__person__name",
    )


event_kind(
    "consultations.invited",
    model=Invitation,
    label=_("会议邀请"),
    message=_("您受邀参加“{meeting}”，{date}在{venue}召开。"),
)

LEAVE_DECISIONS = {
    Invitation.Status.ON_LEAVE: _("已准假"),
    Invitation.Status.LEAVE_REFUSED: _("未准假，请按时参会"),
}


def meeting_params(meeting: Meeting) -> dict:
    return {
        "meeting": meeting.title,
        "date": meeting.held_on.isoformat(),
        "venue": meeting.venue or "—",
    }


def _meeting_params(row: dict) -> dict:
    return {
        "meeting": row["meeting__title"],
        "date": row["meeting__held_on"].isoformat(),
        "venue": row["meeting__venue"] or "—",
    }


def _to_invited(rows: list[dict], *, threshold, extra=lambda row: {}):
    """One reminder per invitation, to the invited member's login, linking to the meeting."""
    users = seat_users(row["seat"] for row in rows)
    for row in rows:
        if row["seat"] in users:
            yield Due(
                object_id=row["pk"],
                threshold=threshold(row),
                committee_id=row["meeting__committee"],
                recipients=[users[row["seat"]]],
                params={**_meeting_params(row), **extra(row)},
                url=reverse("consultations:meeting", args=[row["meeting"]]),
            )


@reminder_kind(
    "consultations.meeting_tomorrow",
    model=Invitation,
    label=_("明日会议"),
    message=_("您受邀参加的“{meeting}”将于明天（{date}）在{venue}召开。"),
)
def meeting_tomorrow(today):
    """Everyone invited who is not on leave; the threshold is the date, so a meeting moved to
    another day is announced again."""
    rows = list(
        _invitations(meeting__held_on=today + timedelta(days=1)).exclude(
            status__in=[Invitation.Status.ON_LEAVE, Invitation.Status.SIGNED_IN]
        )
    )
    return _to_invited(rows, threshold=lambda row: row["meeting__held_on"].isoformat())


@reminder_kind(
    "consultations.leave_pending",
    model=Invitation,
    label=_("请假待审批"),
    message=_("{member}申请不参加“{meeting}”（{date}），请审批。"),
)
def leave_pending(today):
    rows = list(
        _invitations(
            status=Invitation.Status.LEAVE_REQUESTED,
            meeting__held_on__gte=today,
            meeting__held_on__lte=today + timedelta(days=settings.REMINDERS["leave_days_before"]),
        )
    )
    office = role_holders(Role.CONSULTATION_OFFICE, {row["meeting__committee"] for row in rows})
    for row in rows:
        yield Due(
            object_id=row["pk"],
            committee_id=row["meeting__committee"],
            recipients=office.get(row["meeting__committee"], []),
            params={**_meeting_params(row), "member": row["seat__person__name"]},
            url=reverse("admin:consultations_meeting_change", args=[row["meeting"]]),
        )


@reminder_kind(
    "consultations.leave_decided",
    model=Invitation,
    label=_("请假审批结果"),
    message=_("您对“{meeting}”（{date}）的请假申请：{decision}。"),
)
def leave_decided(today):
    rows = list(
        _invitations(
            status__in=[Invitation.Status.ON_LEAVE, Invitation.Status.LEAVE_REFUSED],
            meeting__held_on__gte=today,
        )
    )
    return _to_invited(
        rows,
        threshold=lambda row: row["status"],
        extra=lambda row: {"decision": str(LEAVE_DECISIONS[row["status"]])},
    )
