"""The proposal lifecycle 提、立、办、督、评 (DOMAIN §3.6): one function per act.

Every act checks the actor's role and the proposal's state, locks the proposal row
(SELECT … FOR UPDATE), changes it and writes a Transition (who, when, from, to, why). Two people
acting at once are serialised by the lock: the second finds the new state and is refused with
WrongState (HTTP 409), never a 500 and never both. Admin, portal, API and Celery call these.
An act that asks someone to do something or tells them an outcome notifies them once it commits
(`_tell`; the kinds and who hears them are in proposals.reminders).
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, NotAllowed, WrongState
from core.files import check_content
from core.models import Deletion
from core.roles import Role
from core.sync import record_gone
from members.models import Seat, SeatStatus
from members.performance import record_act, withdraw_act
from notifications.events import notify
from notifications.recipients import role_holders
from opinions import workflow as opinions
from proposals import deadlines
from proposals.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Assignment,
    Attachment,
    CoSigner,
    Feedback,
    HandlingConsultation,
    Proposal,
    Reply,
    Review,
    SessionCounter,
    State,
    Supervision,
    Transition,
)
from proposals.permissions import holds, is_proposer, is_unit_staff, may_enter_for_others
from proposals.reminders import cosigner_ids, office_url, proposer_ids, unit_ids
from proposals.selectors import current_replies, is_public, rating_window_until

REVIEWABLE = {State.SUBMITTED, State.SECOND_REVIEW, State.FINAL_REVIEW}
WITHDRAWABLE = {State.DRAFT, *REVIEWABLE}
ACTIVE = {State.FILED, State.HANDLING, State.REPLIED}
EDITABLE_FIELDS = (
    "category",
    "title",
    "reason",
    "analysis",
    "suggestions",
    "research_basis",
    "disclose",
    "disclosure_note",
    "timing",
    "kind",
)


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("lead__person", "committee")
        .get(pk=proposal.pk)
    )


def _tell(code: str, subject, proposal: Proposal, recipients, *, by, event="", url=None, **params):
    """Notify `recipients` (user ids) of an event about `proposal` once the act commits; the link
    is the proposal's portal page unless `url` says otherwise."""
    notify(
        code,
        subject=subject,
        committee_id=proposal.committee_id,
        recipients=recipients,
        params={"title": proposal.title, "number": proposal.number or "—", **params},
        url=reverse("proposals:detail", args=[proposal.pk]) if url is None else url,
        event=event,
        by=by,
    )


def _tell_unit(code: str, subject, assignment: Assignment, proposal: Proposal, *, by, **kwargs):
    """Notify the staff of the assignment's unit, linking to the assignment in its workspace."""
    url = reverse("proposals:unit-assignment", args=[assignment.pk])
    _tell(code, subject, proposal, unit_ids(assignment.unit_id), by=by, url=url, **kwargs)


def _request_review(proposal: Proposal, role: str, *, by) -> None:
    _tell(
        "proposals.review_requested",
        proposal,
        proposal,
        role_holders(role, [proposal.committee_id]).get(proposal.committee_id, []),
        by=by,
        event=proposal.last_transition.pk,
        url=office_url(proposal.pk),
        stage=proposal.get_state_display(),
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _move(
    proposal: Proposal,
    to_state: str,
    *,
    action: str,
    by,
    allowed_from,
    opinion: str = "",
    fields=(),
) -> Proposal:
    """Check the state, record the transition (kept as `proposal.last_transition`) and save
    the new state (and `fields`)."""
    if proposal.state not in allowed_from:
        raise WrongState(
            _("提案当前为“%(state)s”，不能%(action)s。")
            % {"state": proposal.get_state_display(), "action": action}
        )
    proposal.last_transition = Transition.objects.create(
        proposal=proposal,
        action=action,
        from_state=proposal.state,
        to_state=to_state,
        by=by,
        opinion=opinion,
    )
    proposal.state = to_state
    proposal.public = is_public(proposal, to_state)
    proposal.save(update_fields=["state", "public", *fields])
    return proposal


def _note(proposal: Proposal, *, action: str, by, opinion: str = "") -> None:
    """A step that leaves the proposal's state as it is (acceptance, a consultation, an
    extension …) still belongs in its history (kept as `proposal.last_transition`)."""
    proposal.last_transition = Transition.objects.create(
        proposal=proposal,
        action=action,
        from_state=proposal.state,
        to_state=proposal.state,
        by=by,
        opinion=opinion,
    )


# --- 提 Submit ----------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *,
    committee,
    session,
    category,
    title: str,
    by,
    lead: Seat | None = None,
    body_kind: str = "",
    body_name: str = "",
    **content,
) -> Proposal:
    """A private draft: a member's own (lead = one of their seats), or a collective proposal
    written by the proposal office in an organisation's name."""
    kind = content.pop("kind", Proposal.Kind.COLLECTIVE if body_name else Proposal.Kind.INDIVIDUAL)
    if kind == Proposal.Kind.COLLECTIVE:
        _require(may_enter_for_others(by, committee.pk), _("集体提案由提案委办公室代为录入。"))
    else:
        _require(
            lead is not None
            and (lead.person.user_id == by.pk or may_enter_for_others(by, committee.pk)),
            _("只能以本人的委员身份提出提案。"),
        )
        assert lead is not None  # checked just above
        if lead.committee_id != committee.pk or lead.status != SeatStatus.ACTIVE:
            raise Invalid(_("须以本政协在任委员身份提出提案。"), field="lead")
    if session.term.committee_id != committee.pk or category.committee_id != committee.pk:
        raise Invalid(_("会议和类别须属于本政协。"), field="category")
    proposal = Proposal(
        committee=committee,
        session=session,
        category=category,
        title=title,
        lead=lead,
        body_kind=body_kind,
        body_name=body_name,
        kind=kind,
        created_by=by,
        **content,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def update_draft(proposal: Proposal, *, by, **changes) -> Proposal:
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只能修改本人的提案。"))
    if proposal.state != State.DRAFT:
        raise WrongState(_("提交后不能修改；如需修改，请等待退回。"))
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise Invalid(_("不能修改“%(f)s”。") % {"f": field}, field=field)
        setattr(proposal, field, value)
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def invite_cosigners(proposal: Proposal, *, seats, by) -> list[CoSigner]:
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只有领衔委员可以邀请附议人。"))
    if proposal.state != State.DRAFT or proposal.kind != Proposal.Kind.JOINT:
        raise WrongState(_("只有联名提案的草稿可以邀请附议人。"))
    created = []
    for seat in seats:
        if seat.pk == proposal.lead_id or seat.committee_id != proposal.committee_id:
            raise Invalid(_("附议人须为本政协其他委员。"), field="seats")
        cosigner, new = CoSigner.objects.get_or_create(proposal=proposal, seat=seat)
        if new:
            created.append(cosigner)
            _tell(
                "proposals.cosign_invited",
                cosigner,
                proposal,
                [seat.person.user_id],
                by=by,
                lead=proposal.lead.person.name if proposal.lead else proposal.body_name,
            )
    return created


@transaction.atomic
def answer_cosign(cosigner: CoSigner, *, accept: bool, by) -> CoSigner:
    """The invited member confirms or declines in their portal."""
    cosigner = (
        CoSigner.objects.select_for_update().select_related("seat__person").get(pk=cosigner.pk)
    )
    proposal = _locked(cosigner.proposal)
    _require(cosigner.seat.person.user_id == by.pk, _("只能答复本人的附议邀请。"))
    if cosigner.status != CoSigner.Status.INVITED:
        raise WrongState(_("已答复过该附议邀请。"))
    if proposal.state not in {State.DRAFT, State.SUBMITTED}:
        raise WrongState(_("提案已进入审查，不能再答复附议。"))
    cosigner.status = CoSigner.Status.CONFIRMED if accept else CoSigner.Status.DECLINED
    cosigner.responded_at = timezone.now()
    cosigner.save(update_fields=["status", "responded_at"])
    _tell(
        "proposals.cosign_answered",
        cosigner,
        proposal,
        proposer_ids(proposal),
        by=by,
        event=cosigner.status,
        name=cosigner.seat.person.name,
        answer=cosigner.get_status_display(),
    )
    return cosigner


@transaction.atomic
def submit(proposal: Proposal, *, by) -> Proposal:
    """Submitting freezes the text; the lead earns a performance act."""
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只能提交本人的提案。"))
    missing = [
        label
        for field, label in (
            ("reason", _("理由")),
            ("suggestions", _("具体建议")),
            ("research_basis", _("调研基础")),
        )
        if not getattr(proposal, field).strip()
    ]
    if missing:
        raise WrongState(_("请填写：%(f)s。") % {"f": "、".join(missing)})
    if (
        proposal.kind == Proposal.Kind.JOINT
        and not proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).exists()
    ):
        raise WrongState(_("联名提案须至少有一位附议人确认。"))
    session, today = proposal.session, timezone.localdate()
    if proposal.timing == Proposal.Timing.PLENARY and (
        (session.proposals_open_on and today < session.proposals_open_on)
        or (session.proposals_close_on and today > session.proposals_close_on)
    ):
        raise Invalid(_("不在本次会议的提案征集期内，可作为闭会期间提案提交。"), field="timing")
    if not proposal.disclose and not proposal.disclosure_note.strip():
        raise Invalid(_("不同意公开的，请说明理由。"), field="disclosure_note")
    proposal.submitted_at = timezone.now()
    _move(
        proposal,
        State.SUBMITTED,
        action=_("提交"),
        by=by,
        allowed_from={State.DRAFT},
        fields=["submitted_at"],
    )
    _request_review(proposal, Role.PROPOSAL_OFFICE, by=by)
    if proposal.lead_id:
        record_act(
            seat=proposal.lead_id, kind="proposal_lead", on=timezone.localdate(), source=proposal
        )
    return proposal


@transaction.atomic
def withdraw(proposal: Proposal, *, by, reason: str = "") -> Proposal:
    """撤案: the proposer withdraws before filing."""
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只能撤回本人的提案。"))
    _move(
        proposal,
        State.WITHDRAWN,
        action=_("撤案"),
        by=by,
        allowed_from=WITHDRAWABLE,
        opinion=reason,
    )
    if proposal.lead_id:
        withdraw_act(seat=proposal.lead_id, kind="proposal_lead", source=proposal)
    return proposal


# --- 立 File: three reviews ---------------------------------------------------------------------


def _review(proposal, *, stage, decision, opinion, by):
    Review.objects.create(
        proposal=proposal, stage=stage, decision=decision, opinion=opinion, reviewer=by
    )


def _return(proposal, *, stage, opinion, by):
    if not opinion.strip():
        raise Invalid(_("退回修改须写明意见。"), field="opinion")
    _review(proposal, stage=stage, decision=Review.Decision.RETURN, opinion=opinion, by=by)
    proposal = _move(
        proposal, State.DRAFT, action=_("退回修改"), by=by, allowed_from=REVIEWABLE, opinion=opinion
    )
    # Staff no longer see a draft: their mirrors (API sync) drop it until it is resubmitted.
    record_gone(
        proposal, reason=Deletion.Reason.RETURNED_TO_DRAFT, committee_id=proposal.committee_id
    )
    _tell(
        "proposals.returned",
        proposal,
        proposal,
        proposer_ids(proposal),
        by=by,
        event=proposal.last_transition.pk,
        stage=Review.Stage(stage).label,
        opinion=opinion,
    )
    return proposal


@transaction.atomic
def first_review(proposal: Proposal, *, decision: str, by, opinion: str = "") -> Proposal:
    """初审 by the proposal office: pass to the review group, or return for revision."""
    proposal = _locked(proposal)
    _require(holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("初审由提案委办公室进行。"))
    if proposal.state != State.SUBMITTED:
        raise WrongState(_("提案不在初审环节。"))
    if decision == Review.Decision.RETURN:
        return _return(proposal, stage=Review.Stage.FIRST, opinion=opinion, by=by)
    _check_decision(decision, {Review.Decision.PASS})
    _review(proposal, stage=Review.Stage.FIRST, decision=decision, opinion=opinion, by=by)
    _move(
        proposal,
        State.SECOND_REVIEW,
        action=_("初审通过"),
        by=by,
        allowed_from={State.SUBMITTED},
        opinion=opinion,
    )
    _request_review(proposal, Role.REVIEW_GROUP, by=by)
    return proposal


@transaction.atomic
def second_review(proposal: Proposal, *, decision: str, by, opinion: str = "") -> Proposal:
    """复审 by the review group."""
    proposal = _locked(proposal)
    _require(holds(by, Role.REVIEW_GROUP, proposal.committee_id), _("复审由提案审查小组进行。"))
    if proposal.state != State.SECOND_REVIEW:
        raise WrongState(_("提案不在复审环节。"))
    if decision == Review.Decision.RETURN:
        return _return(proposal, stage=Review.Stage.SECOND, opinion=opinion, by=by)
    _check_decision(decision, {Review.Decision.PASS})
    _review(proposal, stage=Review.Stage.SECOND, decision=decision, opinion=opinion, by=by)
    _move(
        proposal,
        State.FINAL_REVIEW,
        action=_("复审通过"),
        by=by,
        allowed_from={State.SECOND_REVIEW},
        opinion=opinion,
    )
    _request_review(proposal, Role.DIRECTORS_MEETING, by=by)
    return proposal


def return_for_revision(proposal: Proposal, *, opinion: str, by) -> Proposal:
    """退回修改 at whichever review the proposal is in, by that review's role."""
    reviews: dict[str, Callable[..., Proposal]] = {
        State.SUBMITTED: first_review,
        State.SECOND_REVIEW: second_review,
        State.FINAL_REVIEW: final_review,
    }
    review = reviews.get(proposal.state)
    if review is None:
        raise WrongState(_("只有审查中的提案可以退回。"))
    return review(proposal, decision=Review.Decision.RETURN, opinion=opinion, by=by)


def _check_decision(decision: str, allowed: set[str]) -> None:
    if decision not in allowed:
        raise Invalid(_("审查结论无效。"), field="decision")


def _next_number(session) -> int:
    counter, _created = SessionCounter.objects.get_or_create(session=session)
    counter = SessionCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def final_review(
    proposal: Proposal,
    *,
    decision: str,
    by,
    opinion: str = "",
    disposition: str = "",
    merge_into: Proposal | None = None,
) -> Proposal:
    """定审 by the directors' meeting: file (next number of the session), not file (with a
    disposition), merge into another filed proposal, or return for revision."""
    proposal = _locked(proposal)
    _require(
        holds(by, Role.DIRECTORS_MEETING, proposal.committee_id), _("定审由提案委主任会议进行。")
    )
    if proposal.state != State.FINAL_REVIEW:
        raise WrongState(_("提案不在定审环节。"))
    if decision == Review.Decision.RETURN:
        return _return(proposal, stage=Review.Stage.FINAL, opinion=opinion, by=by)
    _check_decision(
        decision, {Review.Decision.FILE, Review.Decision.NOT_FILE, Review.Decision.MERGE}
    )
    if decision == Review.Decision.NOT_FILE and disposition not in Proposal.Disposition.values:
        raise Invalid(_("不予立案须选择处理方式。"), field="disposition")
    if merge_into is not None:  # judge the target as it is now, not as the caller saw it
        merge_into = Proposal.objects.filter(pk=merge_into.pk).first()
    if decision == Review.Decision.MERGE and not (
        merge_into
        and merge_into.session_id == proposal.session_id
        and merge_into.state in ACTIVE
        and merge_into.pk != proposal.pk
    ):
        raise Invalid(_("只能并入本次会议已立案的提案。"), field="merge_into")
    _review(proposal, stage=Review.Stage.FINAL, decision=decision, opinion=opinion, by=by)
    if decision == Review.Decision.NOT_FILE:
        proposal.disposition = disposition
        _move(
            proposal,
            State.NOT_FILED,
            action=_("不予立案"),
            by=by,
            allowed_from={State.FINAL_REVIEW},
            opinion=opinion,
            fields=["disposition"],
        )
        _tell(
            "proposals.not_filed",
            proposal,
            proposal,
            proposer_ids(proposal),
            by=by,
            event=proposal.last_transition.pk,
            disposition=proposal.get_disposition_display(),
            opinion=opinion,
        )
        if disposition == Proposal.Disposition.OPINION:
            opinions.from_proposal(proposal, by=by)
        return proposal
    if decision == Review.Decision.MERGE:
        assert merge_into is not None  # checked above
        proposal.merged_into = merge_into
        _move(
            proposal,
            State.MERGED,
            action=_("并案"),
            by=by,
            allowed_from={State.FINAL_REVIEW},
            opinion=opinion,
            fields=["merged_into"],
        )
        _tell(
            "proposals.merged",
            proposal,
            proposal,
            proposer_ids(proposal),
            by=by,
            event=proposal.last_transition.pk,
            number=merge_into.number or "—",
            into=merge_into.title,
        )
        return proposal
    proposal.number, proposal.filed_at = _next_number(proposal.session), timezone.now()
    _move(
        proposal,
        State.FILED,
        action=_("立案"),
        by=by,
        allowed_from={State.FINAL_REVIEW},
        opinion=opinion,
        fields=["number", "filed_at"],
    )
    _tell(
        "proposals.filed",
        proposal,
        proposal,
        proposer_ids(proposal),
        by=by,
        event=proposal.last_transition.pk,
    )
    if proposal.lead_id:
        record_act(
            seat=proposal.lead_id, kind="proposal_filed", on=timezone.localdate(), source=proposal
        )
    for seat_id in proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).values_list(
        "seat_id", flat=True
    ):
        record_act(seat=seat_id, kind="proposal_cosign", on=timezone.localdate(), source=proposal)
    return proposal


# --- 办 Handle ----------------------------------------------------------------------------------


@transaction.atomic
def assign(proposal: Proposal, *, units, by, on: date | None = None) -> list[Assignment]:
    """交办 to units, each as lead, co-handling or split: [(unit, role), …]."""
    proposal = _locked(proposal)
    _require(holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("交办由提案委办公室进行。"))
    if proposal.state not in (State.FILED, State.HANDLING):
        raise WrongState(_("只有已立案或办理中的提案可以交办。"))
    on = on or timezone.localdate()
    current = list(proposal.assignments.exclude(status=Assignment.Status.WITHDRAWN))
    roles = [role for _unit, role in units] + [a.role for a in current]
    if not units:
        raise Invalid(_("请选择承办单位。"), field="units")
    if Assignment.Role.CO in roles and Assignment.Role.LEAD not in roles:
        raise Invalid(_("会办须有主办单位。"), field="units")
    if roles.count(Assignment.Role.LEAD) > 1:
        raise Invalid(_("主办单位只能有一个。"), field="units")
    if Assignment.Role.LEAD in roles and Assignment.Role.SPLIT in roles:
        raise Invalid(_("主办与分办不能同时使用。"), field="units")
    taken = {a.unit_id for a in current}
    created = []
    for unit, role in units:
        if unit.committee_id != proposal.committee_id or not unit.is_active:
            raise Invalid(_("“%(u)s”不是本政协的承办单位。") % {"u": unit}, field="units")
        if unit.pk in taken:
            raise Invalid(_("已交办给“%(u)s”。") % {"u": unit}, field="units")
        taken.add(unit.pk)
        created.append(
            Assignment.objects.create(
                proposal=proposal,
                unit=unit,
                role=role,
                assigned_on=on,
                acknowledge_by=deadlines.acknowledgement_due(on),
                due_on=deadlines.handling_due(on),
            )
        )
    _move(
        proposal,
        State.HANDLING,
        action=_("交办") if proposal.state == State.FILED else _("追加交办"),
        by=by,
        allowed_from={State.FILED, State.HANDLING},
        opinion="、".join(f"{u}（{Assignment.Role(r).label}）" for u, r in units),
    )
    for assignment in created:
        _tell_unit(
            "proposals.assigned",
            assignment,
            assignment,
            proposal,
            by=by,
            role=assignment.get_role_display(),
            acknowledge_by=assignment.acknowledge_by,
            due=assignment.due_on,
        )
    return created


def _locked_assignment(assignment: Assignment) -> tuple[Assignment, Proposal]:
    proposal = _locked(assignment.proposal)
    return Assignment.objects.select_for_update().select_related("unit").get(
        pk=assignment.pk
    ), proposal


@transaction.atomic
def accept(assignment: Assignment, *, by) -> Assignment:
    """签收: the unit accepts the assignment."""
    assignment, proposal = _locked_assignment(assignment)
    _require(is_unit_staff(by, assignment), _("只有承办单位可以签收。"))
    if assignment.status != Assignment.Status.ASSIGNED:
        raise WrongState(_("该交办不在待签收状态。"))
    assignment.status, assignment.accepted_at = Assignment.Status.ACCEPTED, timezone.now()
    assignment.save(update_fields=["status", "accepted_at"])
    _note(proposal, action=_("签收"), by=by, opinion=str(assignment.unit))
    return assignment


@transaction.atomic
def request_reassignment(assignment: Assignment, *, reason: str, by) -> Assignment:
    """申请调整: within the acknowledgement period, with a reason; the office decides."""
    assignment, proposal = _locked_assignment(assignment)
    _require(is_unit_staff(by, assignment), _("只有承办单位可以申请调整。"))
    if assignment.status != Assignment.Status.ASSIGNED:
        raise WrongState(_("签收后不能申请调整。"))
    if not reason.strip():
        raise Invalid(_("请说明申请调整的理由。"), field="reason")
    assignment.status, assignment.reassign_reason = Assignment.Status.REASSIGN_REQUESTED, reason
    assignment.save(update_fields=["status", "reassign_reason"])
    _note(proposal, action=_("申请调整"), by=by, opinion=f"{assignment.unit}：{reason}")
    _tell(
        "proposals.reassignment_requested",
        assignment,
        proposal,
        role_holders(Role.PROPOSAL_OFFICE, [proposal.committee_id]).get(proposal.committee_id, []),
        by=by,
        event=proposal.last_transition.pk,
        url=office_url(proposal.pk),
        unit=assignment.unit,
        reason=reason,
    )
    return assignment


@transaction.atomic
def decide_reassignment(
    assignment: Assignment, *, approve: bool, by, new_unit=None, opinion: str = ""
) -> Assignment | None:
    """The office approves (the assignment ends; `new_unit` takes it over with fresh
    deadlines) or refuses (the unit must handle it)."""
    assignment, proposal = _locked_assignment(assignment)
    _require(holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("调整由提案委办公室决定。"))
    if assignment.status != Assignment.Status.REASSIGN_REQUESTED:
        raise WrongState(_("没有待决定的调整申请。"))
    assignment.status = Assignment.Status.WITHDRAWN if approve else Assignment.Status.ASSIGNED
    assignment.save(update_fields=["status"])
    _note(
        proposal,
        action=_("调整承办单位") if approve else _("不同意调整"),
        by=by,
        opinion=opinion or str(assignment.unit),
    )
    _tell_unit(
        "proposals.reassignment_approved" if approve else "proposals.reassignment_refused",
        assignment,
        assignment,
        proposal,
        by=by,
        event=proposal.last_transition.pk,
        opinion=opinion,
    )
    if not approve:
        return assignment
    if new_unit is None:
        return None
    return assign(proposal, units=[(new_unit, assignment.role)], by=by)[0]


@transaction.atomic
def extend_deadline(assignment: Assignment, *, until: date, by, reason: str) -> Assignment:
    """The office extends the handling deadline, up to six months after assignment."""
    assignment, proposal = _locked_assignment(assignment)
    _require(holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("延期由提案委办公室批准。"))
    if assignment.status not in (Assignment.Status.ASSIGNED, Assignment.Status.ACCEPTED):
        raise WrongState(_("该交办已答复或已调整。"))
    if until <= assignment.due_on:
        raise Invalid(_("新期限须晚于原期限。"), field="until")
    if until > deadlines.latest_extension(assignment.assigned_on):
        raise Invalid(_("办理期限最长为交办后六个月。"), field="until")
    _note(
        proposal,
        action=_("延期"),
        by=by,
        opinion=f"{assignment.unit}: {assignment.due_on} → {until}；{reason}",
    )
    assignment.due_on = until
    assignment.save(update_fields=["due_on"])
    _tell_unit(
        "proposals.deadline_extended",
        assignment,
        assignment,
        proposal,
        by=by,
        event=proposal.last_transition.pk,
        due=until,
    )
    return assignment


@transaction.atomic
def record_consultation(
    assignment: Assignment,
    *,
    stage: str,
    held_on: date,
    form: str,
    participants: str,
    summary: str,
    by,
) -> HandlingConsultation:
    """三协商: the unit records a consultation with the proposer before, during or after."""
    assignment, proposal = _locked_assignment(assignment)
    _require(is_unit_staff(by, assignment), _("由承办单位记录办理协商。"))
    if assignment.status not in (Assignment.Status.ACCEPTED, Assignment.Status.REPLIED):
        raise WrongState(_("签收后才能记录办理协商。"))
    if held_on > timezone.localdate() or held_on < assignment.assigned_on:
        raise Invalid(_("协商日期须在交办日期与今天之间。"), field="held_on")
    consultation = HandlingConsultation(
        assignment=assignment,
        stage=stage,
        held_on=held_on,
        form=form,
        participants=participants,
        summary=summary,
    )
    consultation.full_clean()
    consultation.save()
    _note(
        proposal,
        action=_("办理协商"),
        by=by,
        opinion=f"{assignment.unit}（{consultation.get_stage_display()}，"
        f"{consultation.get_form_display()}，{held_on}）：{summary}",
    )
    return consultation


@transaction.atomic
def reply(
    assignment: Assignment,
    *,
    result: str,
    text: str,
    signatory: str,
    by,
    replied_on: date | None = None,
    publishable: bool = True,
    not_publishable_reason: str = "",
    letter=None,
) -> Reply:
    """答复 by a lead or split unit, with its signed letter 答复函 (`letter`, an upload checked
    like an attachment); when every such unit has replied the proposal is replied."""
    assignment, proposal = _locked_assignment(assignment)
    _require(is_unit_staff(by, assignment), _("只有承办单位可以答复。"))
    if assignment.role == Assignment.Role.CO:
        raise WrongState(_("会办单位向主办单位提供意见，不单独答复。"))
    if assignment.role == Assignment.Role.LEAD and _co_waiting(proposal).exists():
        raise WrongState(_("会办单位的意见尚未全部提交，主办单位暂不能答复。"))
    if assignment.status != Assignment.Status.ACCEPTED or proposal.state != State.HANDLING:
        raise WrongState(_("签收后、办理中的提案才能答复。"))
    replied_on = replied_on or timezone.localdate()
    if replied_on > timezone.localdate() or replied_on < assignment.assigned_on:
        raise Invalid(_("答复日期须在交办日期与今天之间。"), field="replied_on")
    answer = Reply(
        assignment=assignment,
        result=result,
        text=text,
        signatory=signatory,
        replied_on=replied_on,
        publishable=publishable,
        not_publishable_reason=not_publishable_reason,
        is_rehandling=proposal.rehandled,
    )
    if letter:  # an upload (a form without one gives an empty file)
        _check_upload(letter, field="letter")
        answer.letter, answer.letter_name = letter, letter.name[:200]
    answer.full_clean()
    answer.save()
    assignment.status, assignment.replied_on = Assignment.Status.REPLIED, answer.replied_on
    assignment.save(update_fields=["status", "replied_on"])
    waiting = proposal.assignments.filter(
        role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
        status__in=[
            Assignment.Status.ASSIGNED,
            Assignment.Status.ACCEPTED,
            Assignment.Status.REASSIGN_REQUESTED,
        ],
    )
    if not waiting.exists():
        _move(proposal, State.REPLIED, action=_("答复"), by=by, allowed_from={State.HANDLING})
    _tell(
        "proposals.replied",
        answer,
        proposal,
        proposer_ids(proposal),
        by=by,
        unit=assignment.unit,
        result=answer.result,
        due=deadlines.feedback_due(answer.replied_on),
    )
    return answer


def _co_waiting(proposal: Proposal):
    return proposal.assignments.filter(
        role=Assignment.Role.CO,
        status__in=[
            Assignment.Status.ASSIGNED,
            Assignment.Status.ACCEPTED,
            Assignment.Status.REASSIGN_REQUESTED,
        ],
    )


@transaction.atomic
def send_opinion(assignment: Assignment, *, text: str, by, sent_on: date | None = None):
    """会办意见: a co-handling unit answers by sending its opinion to the lead unit, within the
    same deadline. Every unit answers (DOMAIN §3.3): the lead replies once its co-handling units
    have, so a replied proposal has no open assignment and the on-time figures count them all."""
    assignment, proposal = _locked_assignment(assignment)
    _require(is_unit_staff(by, assignment), _("只有会办单位可以提交会办意见。"))
    if assignment.role != Assignment.Role.CO:
        raise WrongState(_("主办、分办单位请提交答复。"))
    if assignment.status != Assignment.Status.ACCEPTED or proposal.state != State.HANDLING:
        raise WrongState(_("签收后、办理中的提案才能提交会办意见。"))
    if not text.strip():
        raise Invalid(_("请填写会办意见。"), field="text")
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate() or sent_on < assignment.assigned_on:
        raise Invalid(_("日期须在交办日期与今天之间。"), field="sent_on")
    assignment.status, assignment.replied_on = Assignment.Status.REPLIED, sent_on
    assignment.opinion = text
    assignment.save(update_fields=["status", "replied_on", "opinion"])
    _note(proposal, action=_("会办意见"), by=by, opinion=f"{assignment.unit}：{text}")
    leads = proposal.assignments.filter(role=Assignment.Role.LEAD).exclude(
        status=Assignment.Status.WITHDRAWN
    )
    for lead in leads:
        _tell_unit(
            "proposals.co_opinion",
            assignment,
            lead,
            proposal,
            by=by,
            unit=assignment.unit,
        )
    return assignment


# --- 评 Evaluate --------------------------------------------------------------------------------


@transaction.atomic
def give_feedback(answer: Reply, *, rating: str, by, comment: str = "") -> Feedback:
    """反馈 within a month of the reply. When every reply is rated the proposal closes, unless a
    rating is 'dissatisfied': then the office decides on re-handling."""
    proposal = _locked(answer.assignment.proposal)
    _require(is_proposer(by, proposal), _("只有提案人可以反馈。"))
    if proposal.state != State.REPLIED:
        raise WrongState(_("提案尚未答复完毕或已办结。"))
    if Feedback.objects.filter(reply=answer).exists():
        raise WrongState(_("已对该答复作出反馈。"))
    if timezone.localdate() > deadlines.feedback_due(answer.replied_on):
        raise WrongState(_("已超过反馈期限（答复后一个月）。"))
    feedback = Feedback(reply=answer, rating=rating, comment=comment, by=by)
    feedback.full_clean()
    feedback.save()
    _tell_unit(
        "proposals.rated",
        answer,
        answer.assignment,
        proposal,
        by=by,
        rating=feedback.get_rating_display(),
    )
    replies = current_replies(proposal)
    if (
        not replies.filter(feedback__isnull=True).exists()
        and not replies.filter(feedback__rating=Feedback.Rating.DISSATISFIED).exists()
    ):
        proposal.closed_at = timezone.now()
        _move(
            proposal,
            State.CLOSED,
            action=_("办结"),
            by=by,
            allowed_from={State.REPLIED},
            opinion=_("提案人反馈满意"),
            fields=["closed_at"],
        )
    return feedback


@transaction.atomic
def order_rehandling(proposal: Proposal, *, due_on: date, by, reason: str) -> Proposal:
    """重新办理, once: the units whose reply was rated dissatisfied answer again by `due_on`."""
    proposal = _locked(proposal)
    _require(
        holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("重新办理由提案委办公室决定。")
    )
    if proposal.rehandled:
        raise WrongState(_("每件提案只能重新办理一次。"))
    if proposal.state != State.REPLIED:
        raise WrongState(_("只有已答复的提案可以重新办理。"))
    dissatisfied = Assignment.objects.filter(
        proposal=proposal, replies__feedback__rating=Feedback.Rating.DISSATISFIED
    ).distinct()
    if not dissatisfied.exists():
        raise WrongState(_("提案人未对答复表示不满意。"))
    if due_on <= timezone.localdate():
        raise Invalid(_("新期限须晚于今天。"), field="due_on")
    rehandling = list(dissatisfied)
    dissatisfied.update(status=Assignment.Status.ACCEPTED, due_on=due_on, replied_on=None)
    proposal.rehandled = True
    _move(
        proposal,
        State.HANDLING,
        action=_("重新办理"),
        by=by,
        allowed_from={State.REPLIED},
        opinion=reason,
        fields=["rehandled"],
    )
    for assignment in rehandling:
        _tell_unit(
            "proposals.rehandling",
            assignment,
            assignment,
            proposal,
            by=by,
            due=due_on,
            reason=reason,
        )
    return proposal


@transaction.atomic
def close(proposal: Proposal, *, by, reason: str) -> Proposal:
    """办结 by the office: the feedback window is over, or a dissatisfied rating is not
    re-handled."""
    proposal = _locked(proposal)
    _require(holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id), _("办结由提案委办公室确认。"))
    if proposal.state == State.REPLIED and (until := rating_window_until(proposal)):
        raise WrongState(_("提案人反馈期至%(d)s，期满前不能办结。") % {"d": until})
    proposal.closed_at = timezone.now()
    _move(
        proposal,
        State.CLOSED,
        action=_("办结"),
        by=by,
        allowed_from={State.REPLIED},
        opinion=reason,
        fields=["closed_at"],
    )
    _tell(
        "proposals.closed",
        proposal,
        proposal,
        proposer_ids(proposal),
        by=by,
        event=proposal.last_transition.pk,
    )
    return proposal


# --- 督 Supervise, and excellent proposals -------------------------------------------------------


@transaction.atomic
def select_key(
    proposal: Proposal, *, supervisor, supervising_committee, by, reason: str = ""
) -> Proposal:
    """重点提案, chosen by the directors' meeting, led by a chair-meeting member."""
    proposal = _locked(proposal)
    _require(
        holds(by, Role.DIRECTORS_MEETING, proposal.committee_id),
        _("重点提案由提案委主任会议遴选。"),
    )
    if proposal.state not in ACTIVE:
        raise WrongState(_("只有已立案、未办结的提案可以列为重点提案。"))
    if proposal.is_key:
        raise WrongState(_("已是重点提案。"))
    if not holds(supervisor, Role.CHAIR_MEETING_MEMBER, proposal.committee_id):
        raise Invalid(_("领衔督办须为本政协主席会议成员。"), field="supervisor")
    if supervising_committee.committee_id != proposal.committee_id:
        raise Invalid(_("督办专委会须为本政协的专门委员会。"), field="supervising_committee")
    proposal.is_key, proposal.supervisor = True, supervisor
    proposal.supervising_committee = supervising_committee
    _move(
        proposal,
        proposal.state,
        action=_("列为重点提案"),
        by=by,
        allowed_from=ACTIVE,
        opinion=reason,
        fields=["is_key", "supervisor", "supervising_committee"],
    )
    _tell(
        "proposals.key_selected",
        proposal,
        proposal,
        [supervisor.pk, *unit_ids(*_units_handling(proposal))],
        by=by,
        supervisor=supervisor.name or supervisor.username,
    )
    return proposal


def _units_handling(proposal: Proposal) -> list[int]:
    return list(
        proposal.assignments.exclude(status=Assignment.Status.WITHDRAWN).values_list(
            "unit", flat=True
        )
    )


@transaction.atomic
def record_supervision(
    proposal: Proposal,
    *,
    kind: str,
    held_on: date,
    notes: str,
    by,
    promise_kept: bool | None = None,
) -> Supervision:
    """A supervision activity on a key proposal, or its follow-up review (回头看) once closed."""
    proposal = _locked(proposal)
    _require(
        proposal.supervisor_id == by.pk or holds(by, Role.PROPOSAL_OFFICE, proposal.committee_id),
        _("由领衔督办领导或提案委办公室记录。"),
    )
    if not proposal.is_key:
        raise WrongState(_("只有重点提案需要督办。"))
    follow_up = kind == Supervision.Kind.FOLLOW_UP
    if follow_up != (proposal.state == State.CLOSED):
        raise Invalid(_("办结前督办，办结后回头看。"), field="kind")
    if follow_up and promise_kept is None:
        raise Invalid(_("回头看须说明承诺是否兑现。"), field="promise_kept")
    if held_on > timezone.localdate():
        raise Invalid(_("督办日期不能晚于今天。"), field="held_on")
    supervision = Supervision(
        proposal=proposal, kind=kind, held_on=held_on, notes=notes, promise_kept=promise_kept, by=by
    )
    supervision.full_clean()
    supervision.save()
    _tell(
        "proposals.supervised",
        supervision,
        proposal,
        unit_ids(*_units_handling(proposal)),
        by=by,
        kind=supervision.get_kind_display(),
        notes=notes,
    )
    return supervision


@transaction.atomic
def select_excellent(proposal: Proposal, *, by, reason: str = "") -> Proposal:
    """优秀提案, chosen by the directors' meeting among filed proposals; the proposers earn an
    act."""
    proposal = _locked(proposal)
    _require(
        holds(by, Role.DIRECTORS_MEETING, proposal.committee_id),
        _("优秀提案由提案委主任会议评选。"),
    )
    if proposal.is_excellent:
        raise WrongState(_("已评为优秀提案。"))
    proposal.is_excellent = True
    _move(
        proposal,
        proposal.state,
        action=_("评为优秀提案"),
        by=by,
        allowed_from={State.REPLIED, State.CLOSED},
        opinion=reason,
        fields=["is_excellent"],
    )
    seats = list(
        proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).values_list(
            "seat_id", flat=True
        )
    ) + ([proposal.lead_id] if proposal.lead_id else [])
    for seat_id in seats:
        record_act(
            seat=seat_id, kind="proposal_excellent", on=timezone.localdate(), source=proposal
        )
    _tell(
        "proposals.excellent",
        proposal,
        proposal,
        proposer_ids(proposal) + cosigner_ids(proposal),
        by=by,
        event=proposal.last_transition.pk,
    )
    return proposal


# --- Attachments --------------------------------------------------------------------------------


@transaction.atomic
def attach(proposal: Proposal, *, upload, by) -> Attachment:
    """Attach a file to a draft: its size and content (which must agree with its extension) are
    checked before anything is stored, under a random name; the row keeps the original name."""
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只能为本人的提案添加附件。"))
    if proposal.state != State.DRAFT:
        raise WrongState(_("只有草稿可以添加附件。"))
    _check_upload(upload, field="file")
    return Attachment.objects.create(
        proposal=proposal, file=upload, name=upload.name[:200], size=upload.size
    )


def _check_upload(upload, *, field: str) -> None:
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise Invalid(_("附件不能超过 20 MB。"), field=field)
    check_content(upload, allowed=ATTACHMENT_TYPES, field=field)  # the content, not the name


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    """The proposer removes an attachment while the proposal is a draft; the stored file is
    deleted once the removal commits."""
    proposal = _locked(attachment.proposal)
    _require(is_proposer(by, proposal), _("只能删除本人提案的附件。"))
    if proposal.state != State.DRAFT:
        raise WrongState(_("提交后不能删除附件。"))
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored), robust=True)


@transaction.atomic
def delete_draft(proposal: Proposal, *, by) -> None:
    """A draft never submitted can be thrown away by its author; anything else is kept."""
    proposal = _locked(proposal)
    _require(is_proposer(by, proposal), _("只能删除本人的草稿。"))
    if proposal.state != State.DRAFT or proposal.transitions.exists():
        raise WrongState(_("只有从未提交过的草稿可以删除。"))
    proposal.delete()
