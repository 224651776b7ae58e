"""Acts of the consultation cycle: topics (propose, shortlist, confirm, reject), the plan's
approval, invitations, sign-in and leave, speeches and research visits (which record members'
performance acts), and the addressee's decision on a suggestion.

Each act checks who may do it and from which state, locks the row it changes, and records who,
when and why; admin, portal, API and tasks call these functions.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    Invitation,
    Meeting,
    MeetingKind,
    Plan,
    ResearchVisit,
    Speech,
    Suggestion,
    Topic,
    TopicDecision,
)
from core.errors import NotAllowed, WrongState
from core.history import stamp
from core.scoping import can_write
from members.models import Seat
from members.performance import record_act, withdraw_act, withdraw_acts_of


def _require_office(user, committee_id: int, perm: str) -> None:
    if not (user.has_perm(perm) and can_write(user, committee_id)):
        raise NotAllowed(_("只有本政协协商工作人员可以办理。"))


# --- Topics -------------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(
    *,
    committee,
    year: int,
    title: str,
    reason: str,
    proposer_kind: str,
    proposer: str,
    by,
    meeting_kind: str = MeetingKind.BIMONTHLY,
) -> Topic:
    _require_office(by, committee.pk, "consultations.add_topic")
    topic = Topic(
        committee=committee,
        year=year,
        title=title,
        reason=reason,
        proposer_kind=proposer_kind,
        proposer=proposer,
        meeting_kind=meeting_kind,
    )
    topic.full_clean()
    stamp(topic, by).save()
    return topic


def _move(topic: Topic, to_state: str, allowed_from: set[str], *, by, reason: str) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_office(by, topic.committee_id, "consultations.change_topic")
    if topic.state not in allowed_from:
        raise WrongState(
            _("议题当前为“%(state)s”，不能改为“%(to)s”。")
            % {"state": topic.get_state_display(), "to": Topic.State(to_state).label}
        )
    TopicDecision.objects.create(
        topic=topic, from_state=topic.state, to_state=to_state, by=by, reason=reason
    )
    topic.state = to_state
    return topic


@transaction.atomic
def shortlist_topic(topic: Topic, *, by, reason: str = "") -> Topic:
    topic = _move(topic, Topic.State.SHORTLISTED, {Topic.State.PROPOSED}, by=by, reason=reason)
    stamp(topic, by, reason).save(update_fields=["state"])
    return topic


@transaction.atomic
def confirm_topic(topic: Topic, *, plan: Plan, planned_month: int, by, reason: str = "") -> Topic:
    """Confirm a shortlisted topic (after 会商 with the party committee and government) into the
    year's plan, for a month."""
    topic = _move(topic, Topic.State.CONFIRMED, {Topic.State.SHORTLISTED}, by=by, reason=reason)
    if plan.committee_id != topic.committee_id or plan.year != topic.year:
        raise WrongState(_("只能列入本政协同一年度的协商计划。"), field="plan")
    if not 1 <= planned_month <= 12:
        raise WrongState(_("计划月份应为1至12。"), field="planned_month")
    topic.plan, topic.planned_month = plan, planned_month
    stamp(topic, by, reason).save(update_fields=["state", "plan", "planned_month"])
    return topic


@transaction.atomic
def reject_topic(topic: Topic, *, by, reason: str) -> Topic:
    if not reason.strip():
        raise WrongState(_("请填写不予采纳的理由。"), field="reason")
    topic = _move(
        topic,
        Topic.State.REJECTED,
        {Topic.State.PROPOSED, Topic.State.SHORTLISTED},
        by=by,
        reason=reason,
    )
    stamp(topic, by, reason).save(update_fields=["state"])
    return topic


@transaction.atomic
def approve_plan(plan: Plan, *, approved_on: date, by) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_office(by, plan.committee_id, "consultations.change_plan")
    if plan.approved_on is not None:
        raise WrongState(_("该年度协商计划已批准。"))
    plan.approved_on = approved_on
    stamp(plan, by, _("党委批准")).save(update_fields=["approved_on"])
    return plan


# --- Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def invite(meeting: Meeting, *, seats=(), guests=(), by) -> list[Invitation]:
    """Invite members (seats of any level) and guests ((name, role) pairs) to a meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_office(by, meeting.committee_id, "consultations.add_invitation")
    if meeting.status != Meeting.Status.PLANNED:
        raise WrongState(_("只能邀请参加筹备中的会议。"))
    already = set(meeting.invitations.values_list("seat_id", flat=True))
    created = [
        stamp(Invitation(meeting=meeting, seat=seat), by)
        for seat in seats
        if seat.pk not in already
    ] + [stamp(Invitation(meeting=meeting, guest=name, role=role), by) for name, role in guests]
    for invitation in created:
        invitation.save()
    return created


def _own_or_office(invitation: Invitation, user, perm: str) -> None:
    own = invitation.seat_id and invitation.seat.person.user_id == user.pk
    if not own:
        _require_office(user, invitation.meeting.committee_id, perm)


def _locked_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting", "seat__person")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def sign_in(invitation: Invitation, *, by) -> Invitation:
    """签到: by the member on the day, or by staff; the member earns an attendance act."""
    invitation = _locked_invitation(invitation)
    _own_or_office(invitation, by, "consultations.change_invitation")
    meeting = invitation.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise WrongState(_("会议已取消。"))
    if meeting.held_on > timezone.localdate():
        raise WrongState(_("会议尚未召开，不能签到。"))
    if invitation.status in (Invitation.Status.SIGNED_IN, Invitation.Status.ON_LEAVE):
        raise WrongState(_("已%(s)s。") % {"s": invitation.get_status_display()})
    invitation.status, invitation.signed_in_at = Invitation.Status.SIGNED_IN, timezone.now()
    stamp(invitation, by, _("签到")).save(update_fields=["status", "signed_in_at"])
    if invitation.seat_id:
        record_act(
            seat=invitation.seat, kind="meeting_attendance", on=meeting.held_on, source=invitation
        )
    return invitation


@transaction.atomic
def request_leave(invitation: Invitation, *, reason: str, by) -> Invitation:
    """请假: the invited member asks before the meeting (or staff record it for them)."""
    invitation = _locked_invitation(invitation)
    if not invitation.seat_id:
        raise WrongState(_("只有委员需要请假。"))
    _own_or_office(invitation, by, "consultations.change_invitation")
    if invitation.status != Invitation.Status.INVITED:
        raise WrongState(
            _("当前状态为“%(s)s”，不能请假。") % {"s": invitation.get_status_display()}
        )
    if invitation.meeting.status != Meeting.Status.PLANNED:
        raise WrongState(_("会议已召开或已取消，不能请假。"))
    if not reason.strip():
        raise WrongState(_("请填写请假事由。"), field="reason")
    invitation.status, invitation.leave_reason = Invitation.Status.LEAVE_REQUESTED, reason
    stamp(invitation, by, reason).save(update_fields=["status", "leave_reason"])
    return invitation


@transaction.atomic
def decide_leave(invitation: Invitation, *, approve: bool, by, note: str = "") -> Invitation:
    """The office approves or refuses a leave request; approved leave is recorded as an act."""
    invitation = _locked_invitation(invitation)
    _require_office(by, invitation.meeting.committee_id, "consultations.change_invitation")
    if invitation.status != Invitation.Status.LEAVE_REQUESTED:
        raise WrongState(_("没有待审批的请假。"))
    invitation.status = Invitation.Status.ON_LEAVE if approve else Invitation.Status.LEAVE_REFUSED
    invitation.leave_decided_by, invitation.leave_decision_note = by, note
    stamp(invitation, by, note).save(
        update_fields=["status", "leave_decided_by", "leave_decision_note"]
    )
    if approve:
        record_act(
            seat=invitation.seat,
            kind="meeting_leave",
            on=invitation.meeting.held_on,
            source=invitation,
        )
    return invitation


# --- Proceedings and preparation ----------------------------------------------------------------


@transaction.atomic
def record_speech(
    meeting: Meeting,
    *,
    title: str,
    by,
    seat: Seat | None = None,
    speaker: str = "",
    text: str = "",
    order: int = 0,
) -> Speech:
    _require_office(by, meeting.committee_id, "consultations.add_speech")
    speech = Speech(
        meeting=meeting, seat=seat, speaker=speaker, title=title, text=text, order=order
    )
    speech.full_clean()
    speech.save()
    if seat is not None:
        record_act(seat=seat, kind="speech", on=meeting.held_on, source=speech)
    return speech


@transaction.atomic
def delete_speech(speech: Speech, *, by) -> None:
    _require_office(by, speech.meeting.committee_id, "consultations.delete_speech")
    withdraw_acts_of(speech)
    speech.delete()


@transaction.atomic
def record_research_visit(
    *,
    committee,
    visited_on: date,
    place: str,
    by,
    participants=(),
    meeting: Meeting | None = None,
    findings: str = "",
) -> ResearchVisit:
    _require_office(by, committee.pk, "consultations.add_researchvisit")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise WrongState(_("会议不属于该政协。"), field="meeting")
    visit = ResearchVisit(
        committee=committee, meeting=meeting, visited_on=visited_on, place=place, findings=findings
    )
    stamp(visit, by).save()
    set_research_participants(visit, participants, by=by)
    return visit


@transaction.atomic
def set_research_participants(visit: ResearchVisit, participants, *, by) -> ResearchVisit:
    """Set who took part; their research acts follow the list."""
    _require_office(by, visit.committee_id, "consultations.change_researchvisit")
    participants = list(participants)
    for seat in visit.participants.exclude(pk__in=[s.pk for s in participants]):
        withdraw_act(seat=seat, kind="research_visit", source=visit)
    visit.participants.set(participants)
    for seat in participants:
        record_act(seat=seat, kind="research_visit", on=visit.visited_on, source=visit)
    return visit


# --- Outcomes -----------------------------------------------------------------------------------


@transaction.atomic
def respond_to_suggestion(
    suggestion: Suggestion, *, status: str, response: str, responded_on: date, by
) -> Suggestion:
    """Record the addressee's decision: adopted, partly adopted or not adopted."""
    suggestion = (
        Suggestion.objects.select_for_update().select_related("meeting").get(pk=suggestion.pk)
    )
    _require_office(by, suggestion.meeting.committee_id, "consultations.change_suggestion")
    if status not in {
        Suggestion.Status.ADOPTED,
        Suggestion.Status.PARTLY,
        Suggestion.Status.NOT_ADOPTED,
    }:
        raise WrongState(_("请选择采纳情况。"), field="status")
    suggestion.status, suggestion.response, suggestion.responded_on = status, response, responded_on
    stamp(suggestion, by, _("单位反馈")).save(update_fields=["status", "response", "responded_on"])
    return suggestion
