"""Acts of the consultation cycle — every write of a consultation record: the plan (create,
update, approve), topics (propose, update, shortlist, confirm, reject), meetings (plan, update,
hold, cancel), invitations, sign-in and leave, speeches and research visits (which record
members' performance acts), suggestions (record, update, the addressee's response), outcome
reports and leaders' instructions.

Each act checks who may do it (NotAllowed) and from which state (WrongState), validates its input
(Invalid, naming the field: a date outside the sane window, a record of another committee), locks
the row it changes, and stamps who and why on the history; admin, portal, API and tasks call
these functions and hold no rule of their own. An invitation, a leave request and a leave
decision notify whom they concern once the act commits (notifications.events).
"""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    Instruction,
    Invitation,
    Meeting,
    MeetingKind,
    OutcomeReport,
    Plan,
    ResearchVisit,
    Speech,
    Suggestion,
    Topic,
    TopicDecision,
)
from consultations.reminders import LEAVE_DECISIONS, meeting_params
from core.errors import Invalid, NotAllowed, WrongState
from core.history import stamp
from core.roles import Role
from core.scoping import can_write
from members.models import Committee, HandlingUnit, Seat, SpecialCommittee, Term
from members.performance import record_act, withdraw_act, withdraw_acts_of
from notifications.events import notify
from notifications.recipients import role_holders, seat_users

# Records before this day are typing errors (1900-01-01), unless the committee's first recorded
# term starts earlier; records more than YEARS_AHEAD years ahead are too.
EARLIEST = date(1990, 1, 1)
YEARS_AHEAD = 2


def _require_office(user, committee_id: int, perm: str) -> None:
    if not (user.has_perm(perm) and can_write(user, committee_id)):
        raise NotAllowed(_("只有本政协协商工作人员可以办理。"))


def _earliest(committee_id: int) -> date:
    first = (
        Term.objects.filter(committee_id=committee_id)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    return first or EARLIEST


def _latest() -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def _check_date(
    value: date | None,
    *,
    committee_id: int,
    field: str,
    not_before: date | None = None,
    not_future: bool = False,
) -> None:
    """Refuse a date before the committee's first term (or 1990), more than two years ahead,
    before `not_before` (e.g. the meeting it follows) or, with `not_future`, after today."""
    if value is None:
        return
    if not isinstance(value, date):
        raise Invalid(_("日期格式有误。"), field=field)
    floor = _earliest(committee_id)
    if value < floor:
        raise Invalid(_("日期不能早于%(day)s。") % {"day": floor.isoformat()}, field=field)
    if not_before is not None and value < not_before:
        raise Invalid(
            _("日期不能早于会议日期%(day)s。") % {"day": not_before.isoformat()}, field=field
        )
    ceiling = timezone.localdate() if not_future else _latest()
    if value > ceiling:
        message = (
            _("日期不能晚于今天。")
            if not_future
            else _("日期不能晚于%(day)s。") % {"day": ceiling.isoformat()}
        )
        raise Invalid(message, field=field)


def _check_year(year: int, *, committee_id: int, field: str = "year") -> None:
    first, last = _earliest(committee_id).year, _latest().year
    if not isinstance(year, int) or not first <= year <= last:
        raise Invalid(
            _("年度应在%(first)d至%(last)d之间。") % {"first": first, "last": last}, field=field
        )


def _check_seats(committee_id: int, seats, *, field: str) -> None:
    """Members of the committee and of the committees above it (a district invites municipal and
    national members), never another district's."""
    row = Committee.objects.filter(pk=committee_id).values_list("parent_id", "parent__parent_id")
    allowed = {committee_id, *(pk for pk in (row.first() or ()) if pk)}
    for seat in seats:
        if seat.committee_id not in allowed:
            raise Invalid(_("%(seat)s不是本政协或上级政协的委员。") % {"seat": seat}, field=field)


def _require_text(value: str | None, *, field: str, message) -> str:
    if value is None or not value.strip():
        raise Invalid(message, field=field)
    return value


def _unknown(changes: dict, allowed) -> None:
    for name in changes:
        if name not in allowed:
            raise Invalid(_("不能修改此项。"), field=name)


def _same_committee(committee_id: int, changes: dict) -> None:
    """An update may name the record's committee again, never another."""
    committee = changes.pop("committee", None)
    if committee is not None and getattr(committee, "pk", committee) != committee_id:
        raise Invalid(_("所属政协不能更改。"), field="committee")


# --- The plan -----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, committee, year: int, by, notes: str = "") -> Plan:
    _require_office(by, committee.pk, "consultations.add_plan")
    _check_year(year, committee_id=committee.pk)
    if Plan.objects.filter(committee=committee, year=year).exists():
        raise Invalid(_("该年度的协商计划已存在。"), field="year")
    plan = Plan(committee=committee, year=year, notes=notes)
    stamp(plan, by).save()
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, by, **changes) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_office(by, plan.committee_id, "consultations.change_plan")
    _same_committee(plan.committee_id, changes)
    _unknown(changes, {"year", "notes"})
    year = changes.get("year", plan.year)
    if year != plan.year:
        _check_year(year, committee_id=plan.committee_id)
        if plan.topics.exists():
            raise WrongState(_("计划已列入议题，不能更改年度。"))
        if Plan.objects.filter(committee_id=plan.committee_id, year=year).exists():
            raise Invalid(_("该年度的协商计划已存在。"), field="year")
    for name, value in changes.items():
        setattr(plan, name, value)
    stamp(plan, by).save(update_fields=[*changes] or None)
    return plan


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
    _check_year(year, committee_id=committee.pk)
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


TOPIC_FIELDS = ("year", "title", "reason", "proposer_kind", "proposer", "meeting_kind")


@transaction.atomic
def update_topic(topic: Topic, *, by, **changes) -> Topic:
    """Correct a topic's text while it is proposed or shortlisted; its state moves only through
    the decisions below."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_office(by, topic.committee_id, "consultations.change_topic")
    _same_committee(topic.committee_id, changes)
    _unknown(changes, TOPIC_FIELDS)
    if topic.state not in (Topic.State.PROPOSED, Topic.State.SHORTLISTED):
        raise WrongState(
            _("议题当前为“%(state)s”，不能修改。") % {"state": topic.get_state_display()}
        )
    if "year" in changes:
        _check_year(changes["year"], committee_id=topic.committee_id)
    for name, value in changes.items():
        setattr(topic, name, value)
    topic.full_clean()
    stamp(topic, by).save(update_fields=[*changes] or None)
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
        raise Invalid(_("只能列入本政协同一年度的协商计划。"), field="plan")
    if not 1 <= planned_month <= 12:
        raise Invalid(_("计划月份应为1至12。"), field="planned_month")
    topic.plan, topic.planned_month = plan, planned_month
    stamp(topic, by, reason).save(update_fields=["state", "plan", "planned_month"])
    return topic


@transaction.atomic
def reject_topic(topic: Topic, *, by, reason: str) -> Topic:
    _require_text(reason, field="reason", message=_("请填写不予采纳的理由。"))
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
    _check_date(approved_on, committee_id=plan.committee_id, field="approved_on", not_future=True)
    plan.approved_on = approved_on
    stamp(plan, by, _("党委批准")).save(update_fields=["approved_on"])
    return plan


# --- Meetings -----------------------------------------------------------------------------------

MEETING_FIELDS = (
    "kind",
    "title",
    "topic",
    "held_on",
    "venue",
    "organiser",
    "leaders",
    "is_closed",
    "materials",
    "summary",
)


def _check_meeting(committee_id: int, values: dict) -> None:
    """The topic and the organising special committee belong to the meeting's committee; the
    date is in the sane window."""
    topic = values.get("topic")
    if topic is not None and topic.committee_id != committee_id:
        raise Invalid(_("议题须为本政协的协商议题。"), field="topic")
    organiser = values.get("organiser")
    if organiser is not None and organiser.committee_id != committee_id:
        raise Invalid(_("承办专委会须为本政协的专门委员会。"), field="organiser")
    if "held_on" in values:
        if values["held_on"] is None:
            raise Invalid(_("请填写会议日期。"), field="held_on")
        _check_date(values["held_on"], committee_id=committee_id, field="held_on")
    if "title" in values:
        _require_text(values["title"], field="title", message=_("请填写会议名称。"))


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def plan_meeting(
    *,
    committee,
    kind: str,
    title: str,
    held_on: date,
    by,
    topic: Topic | None = None,
    organiser: SpecialCommittee | None = None,
    venue: str = "",
    leaders: str = "",
    is_closed: bool = False,
    materials: str = "",
    summary: str = "",
    partners=(),
) -> Meeting:
    """Schedule a meeting (筹备中) of the committee, on one of its topics, organised by one of its
    special committees (and, for 联动协商, jointly with the `partners` committees)."""
    _require_office(by, committee.pk, "consultations.add_meeting")
    values = {
        "kind": kind,
        "title": title,
        "topic": topic,
        "held_on": held_on,
        "venue": venue,
        "organiser": organiser,
        "leaders": leaders,
        "is_closed": is_closed,
        "materials": materials,
        "summary": summary,
    }
    _check_meeting(committee.pk, values)
    meeting = Meeting(committee=committee, **values)
    meeting.full_clean()
    stamp(meeting, by).save()
    if partners:
        set_partners(meeting, partners, by=by)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by, **changes) -> Meeting:
    """Change a meeting's particulars (not its committee, not its status: hold or cancel it). A
    cancelled meeting is closed; a held one keeps its date."""
    meeting = _locked_meeting(meeting)
    _require_office(by, meeting.committee_id, "consultations.change_meeting")
    _same_committee(meeting.committee_id, changes)
    partners = changes.pop("partners", None)
    _unknown(changes, MEETING_FIELDS)
    if meeting.status == Meeting.Status.CANCELLED:
        raise WrongState(_("会议已取消，不能修改。"))
    if (
        meeting.status == Meeting.Status.HELD
        and "held_on" in changes
        and changes["held_on"] != meeting.held_on
    ):
        raise WrongState(_("会议已召开，不能更改会议日期。"))
    _check_meeting(meeting.committee_id, changes)
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    stamp(meeting, by).save(update_fields=[*changes] or None)
    if partners is not None:
        set_partners(meeting, partners, by=by)
    return meeting


@transaction.atomic
def hold_meeting(meeting: Meeting, *, summary: str, by) -> Meeting:
    """筹备中 → 已召开, on or after its day, with the summary of what was discussed."""
    meeting = _locked_meeting(meeting)
    _require_office(by, meeting.committee_id, "consultations.change_meeting")
    if meeting.status != Meeting.Status.PLANNED:
        raise WrongState(
            _("会议当前为“%(s)s”，不能标记为已召开。") % {"s": meeting.get_status_display()}
        )
    if meeting.held_on > timezone.localdate():
        raise WrongState(_("会议尚未召开。"))
    _require_text(summary, field="summary", message=_("请填写会议纪要。"))
    meeting.status, meeting.summary = Meeting.Status.HELD, summary
    stamp(meeting, by, _("会议召开")).save(update_fields=["status", "summary"])
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, by) -> Meeting:
    """筹备中 → 已取消, with the reason; those invited are no longer reminded."""
    meeting = _locked_meeting(meeting)
    _require_office(by, meeting.committee_id, "consultations.change_meeting")
    if meeting.status != Meeting.Status.PLANNED:
        raise WrongState(_("会议当前为“%(s)s”，不能取消。") % {"s": meeting.get_status_display()})
    _require_text(reason, field="reason", message=_("请填写取消原因。"))
    meeting.status, meeting.cancel_reason = Meeting.Status.CANCELLED, reason
    stamp(meeting, by, reason).save(update_fields=["status", "cancel_reason"])
    return meeting


# --- Attendance ---------------------------------------------------------------------------------


def _tell(code: str, invitation: Invitation, recipients, *, by, event="", url=None, **params):
    """Notify of an invitation's event once the act commits (the kinds: consultations.reminders);
    the link is the meeting's page unless `url` says otherwise."""
    meeting = invitation.meeting
    notify(
        code,
        subject=invitation,
        committee_id=meeting.committee_id,
        recipients=recipients,
        params={**meeting_params(meeting), **params},
        url=reverse("consultations:meeting", args=[meeting.pk]) if url is None else url,
        event=event,
        by=by,
    )


@transaction.atomic
def invite(meeting: Meeting, *, seats=(), guests=(), by) -> list[Invitation]:
    """Invite members (seats of any level) and guests ((name, role) pairs) to a meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_office(by, meeting.committee_id, "consultations.add_invitation")
    if meeting.status != Meeting.Status.PLANNED:
        raise WrongState(_("只能邀请参加筹备中的会议。"))
    seats = list(seats)
    _check_seats(meeting.committee_id, seats, field="seat")
    already = set(meeting.invitations.values_list("seat_id", flat=True))
    created = [
        stamp(Invitation(meeting=meeting, seat=seat), by)
        for seat in seats
        if seat.pk not in already
    ] + [stamp(Invitation(meeting=meeting, guest=name, role=role), by) for name, role in guests]
    for invitation in created:
        invitation.save()
    users = seat_users(i.seat_id for i in created if i.seat_id)
    for invitation in created:
        if invitation.seat_id:
            _tell("consultations.invited", invitation, [users.get(invitation.seat_id)], by=by)
    return created


def _own_or_office(invitation: Invitation, user, perm: str) -> None:
    own = invitation.seat is not None and invitation.seat.person.user_id == user.pk
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
            seat=invitation.seat_id,
            kind="meeting_attendance",
            on=meeting.held_on,
            source=invitation,
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
    _require_text(reason, field="reason", message=_("请填写请假事由。"))
    invitation.status, invitation.leave_reason = Invitation.Status.LEAVE_REQUESTED, reason
    stamp(invitation, by, reason).save(update_fields=["status", "leave_reason"])
    committee_id = invitation.meeting.committee_id
    _tell(
        "consultations.leave_pending",
        invitation,
        role_holders(Role.CONSULTATION_OFFICE, [committee_id]).get(committee_id, []),
        by=by,
        url=reverse("admin:consultations_meeting_change", args=[invitation.meeting_id]),
        member=invitation.seat.person.name if invitation.seat else invitation.guest,
    )
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
    _tell(
        "consultations.leave_decided",
        invitation,
        [invitation.seat.person.user_id] if invitation.seat else [],
        by=by,
        event=invitation.status,
        decision=LEAVE_DECISIONS[invitation.status],
    )
    if approve and invitation.seat_id is not None:  # only members ask for leave
        record_act(
            seat=invitation.seat_id,
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
    if seat is not None:
        _check_seats(meeting.committee_id, [seat], field="seat")
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


def _check_visit(committee_id: int, meeting: Meeting | None, visited_on) -> None:
    if meeting is not None and meeting.committee_id != committee_id:
        raise Invalid(_("会议不属于该政协。"), field="meeting")
    if visited_on is None:
        raise Invalid(_("请填写调研日期。"), field="visited_on")
    _check_date(visited_on, committee_id=committee_id, field="visited_on")


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
    partners=(),
) -> ResearchVisit:
    """Record a research visit; with `partners`, a 联动调研 organised jointly with them."""
    _require_office(by, committee.pk, "consultations.add_researchvisit")
    _check_visit(committee.pk, meeting, visited_on)
    visit = ResearchVisit(
        committee=committee, meeting=meeting, visited_on=visited_on, place=place, findings=findings
    )
    stamp(visit, by).save()
    set_research_participants(visit, participants, by=by)
    if partners:
        set_partners(visit, partners, by=by)
    return visit


@transaction.atomic
def update_research_visit(visit: ResearchVisit, *, by, participants=None, **changes):
    """Correct a visit's particulars (and, when given, who took part)."""
    visit = ResearchVisit.objects.select_for_update().get(pk=visit.pk)
    _require_office(by, visit.committee_id, "consultations.change_researchvisit")
    _same_committee(visit.committee_id, changes)
    _unknown(changes, {"meeting", "visited_on", "place", "findings"})
    _check_visit(
        visit.committee_id,
        changes.get("meeting", visit.meeting),
        changes.get("visited_on", visit.visited_on),
    )
    for name, value in changes.items():
        setattr(visit, name, value)
    stamp(visit, by).save(update_fields=[*changes] or None)
    if "visited_on" in changes:  # the participants' acts are re-dated with the visit
        participants = list(visit.participants.all()) if participants is None else participants
        withdraw_acts_of(visit, kind="research_visit")
    if participants is not None:
        set_research_participants(visit, participants, by=by)
    return visit


@transaction.atomic
def set_research_participants(visit: ResearchVisit, participants, *, by) -> ResearchVisit:
    """Set who took part; their research acts follow the list."""
    _require_office(by, visit.committee_id, "consultations.change_researchvisit")
    participants = list(participants)
    _check_seats(visit.committee_id, participants, field="participants")
    for seat in visit.participants.exclude(pk__in=[s.pk for s in participants]):
        withdraw_act(seat=seat, kind="research_visit", source=visit)
    visit.participants.set(participants)
    for seat in participants:
        record_act(seat=seat, kind="research_visit", on=visit.visited_on, source=visit)
    return visit


# --- Joint work 市区联动 -------------------------------------------------------------------------


def joint_partner_choices(committee: Committee):
    """The committees that may organise a meeting or research visit jointly with `committee`:
    those directly below it and the one above it (a municipal committee with its districts, a
    district with its municipal committee — never with another district)."""
    return Committee.objects.filter(Q(parent=committee.pk) | Q(pk=committee.parent_id))


@transaction.atomic
def set_partners(record: Meeting | ResearchVisit, partners, *, by) -> Meeting | ResearchVisit:
    """Name the committees organising the meeting or research visit jointly with its own (联动
    调研 / 联动协商): each is credited with it in its figures; the city's total counts it once."""
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    _require_office(by, record.committee_id, f"consultations.change_{model._meta.model_name}")
    partners = list(partners)
    allowed = set(joint_partner_choices(record.committee).values_list("pk", flat=True))
    strangers = [p for p in partners if p.pk not in allowed]
    if strangers:
        raise Invalid(
            _("联动政协须为本政协的上级政协或所辖下级政协：%(names)s")
            % {"names": "、".join(str(p) for p in strangers)},
            field="partners",
        )
    record.partners.set(partners)
    names = "、".join(str(p) for p in partners) or _("无")
    stamp(record, by, _("联动政协：%(names)s") % {"names": names}).save()
    return record


# --- Outcomes -----------------------------------------------------------------------------------


def _check_addressee(meeting: Meeting, addressee: HandlingUnit | None) -> None:
    if addressee is None:
        raise Invalid(_("请选择送达单位。"), field="addressee")
    if addressee.committee_id != meeting.committee_id:
        raise Invalid(_("送达单位须为本政协的承办单位。"), field="addressee")
    if not addressee.is_active:
        raise Invalid(_("该承办单位已停用。"), field="addressee")


def _open_meeting(meeting: Meeting, committee_id: int, field: str = "meeting") -> None:
    """An outcome belongs to a meeting of the same committee that was not cancelled."""
    if meeting.committee_id != committee_id:
        raise Invalid(_("会议不属于该政协。"), field=field)
    if meeting.status == Meeting.Status.CANCELLED:
        raise WrongState(_("会议已取消。"))


@transaction.atomic
def record_suggestion(*, meeting: Meeting, text: str, addressee: HandlingUnit, by) -> Suggestion:
    """An 意见建议 of a meeting, sent to one of the committee's handling units."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_office(by, meeting.committee_id, "consultations.add_suggestion")
    _open_meeting(meeting, meeting.committee_id)
    _require_text(text, field="text", message=_("请填写意见建议。"))
    _check_addressee(meeting, addressee)
    suggestion = Suggestion(meeting=meeting, text=text, addressee=addressee)
    stamp(suggestion, by).save()
    return suggestion


@transaction.atomic
def update_suggestion(suggestion: Suggestion, *, by, **changes) -> Suggestion:
    """Correct a suggestion's text, meeting or addressee while it waits for the response."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=suggestion.pk)
    )
    committee_id = suggestion.meeting.committee_id
    _require_office(by, committee_id, "consultations.change_suggestion")
    _same_committee(committee_id, changes)
    _unknown(changes, {"meeting", "text", "addressee"})
    if suggestion.status != Suggestion.Status.PENDING:
        raise WrongState(
            _("意见建议已有反馈（%(s)s），不能修改。") % {"s": suggestion.get_status_display()}
        )
    meeting = changes.get("meeting", suggestion.meeting)
    if meeting.pk != suggestion.meeting_id:
        _open_meeting(meeting, committee_id)
    if "text" in changes:
        _require_text(changes["text"], field="text", message=_("请填写意见建议。"))
    _check_addressee(meeting, changes.get("addressee", suggestion.addressee))
    for name, value in changes.items():
        setattr(suggestion, name, value)
    stamp(suggestion, by).save(update_fields=[*changes] or None)
    return suggestion


@transaction.atomic
def respond_to_suggestion(
    suggestion: Suggestion, *, status: str, response: str, responded_on: date, by
) -> Suggestion:
    """Record the addressee's decision once: adopted, partly adopted or not adopted, dated not
    before the meeting and not in the future."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=suggestion.pk)
    )
    meeting = suggestion.meeting
    _require_office(by, meeting.committee_id, "consultations.change_suggestion")
    if suggestion.status != Suggestion.Status.PENDING:
        raise WrongState(_("意见建议已有反馈（%(s)s）。") % {"s": suggestion.get_status_display()})
    if meeting.status == Meeting.Status.CANCELLED:
        raise WrongState(_("会议已取消。"))
    if status not in {
        Suggestion.Status.ADOPTED,
        Suggestion.Status.PARTLY,
        Suggestion.Status.NOT_ADOPTED,
    }:
        raise Invalid(_("请选择采纳情况。"), field="status")
    if responded_on is None:
        raise Invalid(_("请填写反馈日期。"), field="responded_on")
    _check_date(
        responded_on,
        committee_id=meeting.committee_id,
        field="responded_on",
        not_before=meeting.held_on,
        not_future=True,
    )
    suggestion.status, suggestion.response, suggestion.responded_on = status, response, responded_on
    stamp(suggestion, by, _("单位反馈")).save(update_fields=["status", "response", "responded_on"])
    return suggestion


REPORT_FIELDS = ("meeting", "title", "text", "sent_on")


def _check_report(committee_id: int, meeting: Meeting, values: dict) -> None:
    if "title" in values:
        _require_text(values["title"], field="title", message=_("请填写标题。"))
    if "text" in values:
        _require_text(values["text"], field="text", message=_("请填写正文。"))
    _check_date(
        values.get("sent_on"),
        committee_id=committee_id,
        field="sent_on",
        not_before=meeting.held_on,
        not_future=True,
    )


@transaction.atomic
def record_report(
    *, meeting: Meeting, title: str, text: str, by, sent_on: date | None = None
) -> OutcomeReport:
    """《政协建言》 of a meeting, sent (when dated) not before the meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_office(by, meeting.committee_id, "consultations.add_outcomereport")
    _open_meeting(meeting, meeting.committee_id)
    _check_report(meeting.committee_id, meeting, {"title": title, "text": text, "sent_on": sent_on})
    report = OutcomeReport(meeting=meeting, title=title, text=text, sent_on=sent_on)
    stamp(report, by).save()
    return report


@transaction.atomic
def update_report(report: OutcomeReport, *, by, **changes) -> OutcomeReport:
    report = (
        OutcomeReport.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=report.pk)
    )
    committee_id = report.meeting.committee_id
    _require_office(by, committee_id, "consultations.change_outcomereport")
    _same_committee(committee_id, changes)
    _unknown(changes, REPORT_FIELDS)
    meeting = changes.get("meeting", report.meeting)
    if meeting.pk != report.meeting_id:
        _open_meeting(meeting, committee_id)
    _check_report(committee_id, meeting, {"sent_on": report.sent_on, **changes})
    for name, value in changes.items():
        setattr(report, name, value)
    stamp(report, by).save(update_fields=[*changes] or None)
    return report


INSTRUCTION_FIELDS = ("report", "suggestion", "leader", "given_on", "text")


def _check_instruction(by, values: dict, perm: str) -> None:
    """On exactly one report or suggestion of a committee the user works for; dated not before
    its meeting and not in the future."""
    report, suggestion = values.get("report"), values.get("suggestion")
    if (report is None) == (suggestion is None):
        raise Invalid(
            _("批示须对应一份《政协建言》或一条意见建议。"),
            field="report" if report is None else "suggestion",
        )
    target = report if report is not None else suggestion
    assert target is not None
    meeting = target.meeting
    _require_office(by, meeting.committee_id, perm)
    _require_text(values.get("leader"), field="leader", message=_("请填写批示领导。"))
    _require_text(values.get("text"), field="text", message=_("请填写批示内容。"))
    if values.get("given_on") is None:
        raise Invalid(_("请填写批示日期。"), field="given_on")
    _check_date(
        values["given_on"],
        committee_id=meeting.committee_id,
        field="given_on",
        not_before=meeting.held_on,
        not_future=True,
    )


@transaction.atomic
def record_instruction(
    *,
    leader: str,
    given_on: date,
    text: str,
    by,
    report: OutcomeReport | None = None,
    suggestion: Suggestion | None = None,
) -> Instruction:
    """领导批示 on an outcome report or a suggestion of the committee."""
    values = {
        "report": report,
        "suggestion": suggestion,
        "leader": leader,
        "given_on": given_on,
        "text": text,
    }
    _check_instruction(by, values, "consultations.add_instruction")
    instruction = Instruction(**values)
    stamp(instruction, by).save()
    return instruction


@transaction.atomic
def update_instruction(instruction: Instruction, *, by, **changes) -> Instruction:
    """Change any of an instruction's fields; the others stay as they are."""
    instruction = (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("report__meeting", "suggestion__meeting")
        .get(pk=instruction.pk)
    )
    target = instruction.report or instruction.suggestion
    assert target is not None  # a database constraint: one of the two
    _require_office(by, target.meeting.committee_id, "consultations.change_instruction")
    _unknown(changes, INSTRUCTION_FIELDS)
    values = {name: getattr(instruction, name) for name in INSTRUCTION_FIELDS}
    if changes.get("report") is not None and "suggestion" not in changes:
        values["suggestion"] = None  # moved onto a report
    if changes.get("suggestion") is not None and "report" not in changes:
        values["report"] = None
    values.update(changes)
    _check_instruction(by, values, "consultations.change_instruction")
    for name, value in values.items():
        setattr(instruction, name, value)
    stamp(instruction, by).save()
    return instruction
