"""Proposal reminders (DOMAIN §9): co-sign requests unanswered, reviews waiting, acknowledgement
due, handling deadlines in 30 / 7 / 1 working days, overdue (the unit, then the proposal office,
and a key proposal's supervising leader), feedback due. Thresholds: settings.REMINDERS.

And the events that the acts of proposals.workflow tell at once (co-sign invitations, review
results, assignments, replies to rate, supervision …), with who hears them."""

from collections.abc import Callable
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, F, Max, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.scoping import can_read
from notifications.models import Reminder
from notifications.recipients import role_holders, seat_users, unit_staff
from notifications.registry import Due, event_kind, reminder_kind
from proposals import deadlines
from proposals.models import Assignment, CoSigner, Proposal, Reply, State, Supervision
from proposals.permissions import REVIEW_ROLES
from proposals.selectors import OPEN_ASSIGNMENT, overdue_assignments, replies_to_rate


def _days(name: str) -> int:
    return settings.REMINDERS[name]


# The admin's proposal page, where staff take its acts (the reminders' and events' office link).
OFFICE_PAGE = "admin:proposals_proposal_change"


def _link(name: str, *, query: str = "") -> Callable[[int], str]:
    """The link of a row by its id, built from one reverse() per scan instead of one per row."""
    if query:
        return (reverse(name) + query).format
    return reverse(name, args=[0]).replace("/0/", "/{}/").format


def _issued(code: str, threshold) -> Exists:
    """Whether the reminder `code` about the row's assignment at `threshold` exists already: a
    scan leaves those out in its own SQL, so a re-run reads only what is still due."""
    return Exists(
        Reminder.objects.filter(
            kind=code,
            content_type=ContentType.objects.get_for_model(Assignment),
            object_id=OuterRef("pk"),
            threshold=threshold,
        )
    )


def _assignment_params(row: dict, due) -> dict:
    return {
        "number": str(row["proposal__number"] or "—"),
        "title": row["proposal__title"],
        "unit": row["unit__name"],
        "due": due.isoformat(),
    }


@reminder_kind(
    "proposals.cosign_unanswered",
    model=CoSigner,
    label=_("联名邀请待确认"),
    message=_("{lead}邀请您联名提案《{title}》，邀请已发出{days}天，请确认是否附议。"),
)
def cosign_unanswered(today):
    days = _days("cosign_after_days")
    invited_before = timezone.now() - timedelta(days=days)
    rows = list(
        CoSigner.objects.filter(
            status=CoSigner.Status.INVITED,
            proposal__state__in=[State.DRAFT, State.SUBMITTED],
            invited_at__lte=invited_before,
        )
        .values("pk", "seat", "proposal", "proposal__committee", "proposal__title")
        .annotate(lead=F("proposal__lead__person__name"))
    )
    users = seat_users(row["seat"] for row in rows)
    url = _link("proposals:detail")
    for row in rows:
        if row["seat"] in users:
            yield Due(
                object_id=row["pk"],
                committee_id=row["proposal__committee"],
                recipients=[users[row["seat"]]],
                params={"lead": row["lead"] or "", "title": row["proposal__title"], "days": days},
                url=url(row["proposal"]),
            )


@reminder_kind(
    "proposals.review_waiting",
    model=Proposal,
    label=_("提案待审查"),
    message=_("提案《{title}》在“{stage}”环节已等待{days}天以上，请尽快审查。"),
)
def review_waiting(today):
    days = _days("review_after_days")
    rows = list(
        Proposal.objects.filter(state__in=list(REVIEW_ROLES))
        .annotate(waiting_since=Max("transitions__at"))
        .filter(waiting_since__lte=timezone.now() - timedelta(days=days))
        .values("pk", "committee", "title", "state")
    )
    holders = {
        state: role_holders(role, {row["committee"] for row in rows})
        for state, role in REVIEW_ROLES.items()
    }
    url = _link(OFFICE_PAGE)
    for row in rows:
        yield Due(
            object_id=row["pk"],
            threshold=row["state"],
            committee_id=row["committee"],
            recipients=holders[row["state"]].get(row["committee"], []),
            params={"title": row["title"], "stage": str(State(row["state"]).label), "days": days},
            url=url(row["pk"]),
        )


def _rows(assignments):
    """The assignments of proposals being handled (a closed proposal's are moot), as rows."""
    return (
        assignments.filter(proposal__state=State.HANDLING)
        .order_by("pk")
        .values(
            "pk",
            "unit",
            "unit__name",
            "due_on",
            "acknowledge_by",
            "proposal",
            "proposal__committee",
            "proposal__number",
            "proposal__title",
        )
    )


ACKNOWLEDGEMENT_DUE = "proposals.acknowledgement_due"
HANDLING_DUE = "proposals.handling_due"
HANDLING_OVERDUE = "proposals.handling_overdue"


@reminder_kind(
    ACKNOWLEDGEMENT_DUE,
    model=Assignment,
    label=_("交办待签收"),
    message=_("提案第{number}号《{title}》已交办贵单位，请于{due}前签收。"),
)
def acknowledgement_due(today):
    cutoff = deadlines.add_working_days(today, 1)
    staff = unit_staff()
    url = _link("proposals:unit-assignment")
    rows = _rows(
        Assignment.objects.filter(status=Assignment.Status.ASSIGNED, acknowledge_by__lte=cutoff)
    ).exclude(_issued(ACKNOWLEDGEMENT_DUE, ""))
    for row in rows.iterator(chunk_size=2000):
        yield Due(
            object_id=row["pk"],
            committee_id=row["proposal__committee"],
            recipients=staff.get(row["unit"], []),
            params=_assignment_params(row, row["acknowledge_by"]),
            url=url(row["pk"]),
        )


@reminder_kind(
    HANDLING_DUE,
    model=Assignment,
    label=_("办理期限临近"),
    message=_("提案第{number}号《{title}》的办理期限为{due}，剩余不足{threshold}个工作日。"),
)
def handling_due(today):
    """The tightest threshold reached: an assignment with 5 working days left gets "7", never
    "30" afterwards; each threshold once."""
    before = {
        days: deadlines.add_working_days(today, days + 1)
        for days in _days("handling_working_days_left")
    }
    tightest_first = sorted(before)
    staff = unit_staff()
    rows = _rows(
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT, due_on__gte=today, due_on__lt=before[tightest_first[-1]]
        )
    )
    rows = rows.annotate(
        threshold=Case(
            *[When(due_on__lt=before[days], then=Value(str(days))) for days in tightest_first],
            output_field=CharField(),
        )
    ).exclude(_issued(HANDLING_DUE, OuterRef("threshold")))
    url = _link("proposals:unit-assignment")
    for row in rows.iterator(chunk_size=2000):
        yield Due(
            object_id=row["pk"],
            threshold=row["threshold"],
            committee_id=row["proposal__committee"],
            recipients=staff.get(row["unit"], []),
            params={**_assignment_params(row, row["due_on"]), "threshold": row["threshold"]},
            url=url(row["pk"]),
        )


@reminder_kind(
    HANDLING_OVERDUE,
    model=Assignment,
    label=_("办理已超期"),
    message=_("提案第{number}号《{title}》由{unit}办理，已超过办理期限{due}，尚未答复。"),
)
def handling_overdue(today):
    """To the unit as soon as overdue; to the proposal office once overdue for
    `escalate_after_working_days`; to a key proposal's supervising leader (threshold names
    the audience)."""
    escalate_on_or_before = deadlines.subtract_working_days(
        today, _days("escalate_after_working_days")
    )
    staff = unit_staff()
    escalated = Q(due_on__lte=escalate_on_or_before)
    supervised = Q(proposal__is_key=True, proposal__supervisor__isnull=False)
    rows = list(
        _rows(overdue_assignments(today))
        .annotate(
            is_key=F("proposal__is_key"),
            supervisor=F("proposal__supervisor"),
            unit_issued=_issued(HANDLING_OVERDUE, "unit"),
            office_issued=_issued(HANDLING_OVERDUE, "office"),
            supervisor_issued=_issued(HANDLING_OVERDUE, "supervisor"),
        )
        .filter(
            Q(unit_issued=False)
            | escalated & Q(office_issued=False)
            | supervised & Q(supervisor_issued=False)
        )
    )
    office = role_holders(
        Role.PROPOSAL_OFFICE,
        {row["proposal__committee"] for row in rows if row["due_on"] <= escalate_on_or_before},
    )
    supervisors = _supervisors_who_may_read(rows)
    unit_url, office_page = (
        _link("proposals:unit-assignment"),
        _link("admin:proposals_proposal_change"),
    )
    detail_url = _link("proposals:detail")
    for row in rows:
        common = {
            "object_id": row["pk"],
            "committee_id": row["proposal__committee"],
            "params": _assignment_params(row, row["due_on"]),
        }
        if not row["unit_issued"]:
            yield Due(
                threshold="unit",
                recipients=staff.get(row["unit"], []),
                url=unit_url(row["pk"]),
                **common,
            )
        if row["due_on"] <= escalate_on_or_before and not row["office_issued"]:
            yield Due(
                threshold="office",
                recipients=office.get(row["proposal__committee"], []),
                url=office_page(row["proposal"]),
                **common,
            )
        if (row["supervisor"], row["proposal__committee"]) in supervisors and not row[
            "supervisor_issued"
        ]:
            yield Due(
                threshold="supervisor",
                recipients=[row["supervisor"]],
                url=detail_url(row["proposal"]),  # leaders use the portal
                **common,
            )


def _supervisors_who_may_read(rows) -> set[tuple[int, int]]:
    """(supervisor, committee) pairs of overdue key proposals where the leader may read."""
    from members.models import User

    pairs = {
        (row["supervisor"], row["proposal__committee"])
        for row in rows
        if row["is_key"] and row["supervisor"]
    }
    users = User.objects.in_bulk({user_id for user_id, _committee in pairs})
    return {
        (user_id, committee_id)
        for user_id, committee_id in pairs
        if user_id in users
        and users[user_id].is_active
        and users[user_id].has_perm("proposals.view_proposal")
        and can_read(users[user_id], committee_id)
    }


@reminder_kind(
    "proposals.feedback_due",
    model=Reply,
    label=_("办理答复待评价"),
    message=_("{unit}对提案《{title}》的答复请于{due}前评价。"),
)
def feedback_due(today):
    """Replies the proposer has not rated, whose one-month window closes within
    `feedback_days_left` days (and is still open)."""
    latest_reply = (
        today
        + timedelta(days=_days("feedback_days_left"))
        - relativedelta(months=deadlines.FEEDBACK_MONTHS)
    )
    earliest_reply = today - relativedelta(months=deadlines.FEEDBACK_MONTHS)
    rows = list(
        replies_to_rate(Proposal.objects.all())
        .filter(replied_on__gte=earliest_reply, replied_on__lte=latest_reply)
        .values(
            "pk",
            "replied_on",
            "assignment__unit__name",
            "assignment__proposal",
            "assignment__proposal__committee",
            "assignment__proposal__title",
            "assignment__proposal__lead",
            "assignment__proposal__created_by",
        )
    )
    lead_users = seat_users(row["assignment__proposal__lead"] for row in rows)
    url = _link("proposals:detail")
    for row in rows:
        proposer = (
            lead_users.get(row["assignment__proposal__lead"])
            or row["assignment__proposal__created_by"]
        )
        yield Due(
            object_id=row["pk"],
            committee_id=row["assignment__proposal__committee"],
            recipients=[proposer] if proposer else [],
            params={
                "unit": row["assignment__unit__name"],
                "title": row["assignment__proposal__title"],
                "due": deadlines.feedback_due(row["replied_on"]).isoformat(),
            },
            url=url(row["assignment__proposal"]),
        )


@reminder_kind(
    "proposals.closing_due",
    model=Proposal,
    label=_("反馈期满待办结"),
    message=_("提案第{number}号《{title}》的反馈期已于{due}届满，请确认办结或重新办理。"),
)
def closing_due(today):
    """Replied proposals whose latest current reply's rating window is over: the proposal office
    closes them (or orders re-handling after a dissatisfied rating)."""
    window_over_before = today - relativedelta(months=deadlines.FEEDBACK_MONTHS)
    rows = list(
        Proposal.objects.filter(state=State.REPLIED)
        .annotate(
            last_reply=Max(
                "assignments__replies__replied_on",
                filter=Q(assignments__replies__is_rehandling=F("rehandled")),
            )
        )
        .filter(last_reply__lt=window_over_before)
        .values("pk", "committee", "number", "title", "last_reply")
    )
    office = role_holders(Role.PROPOSAL_OFFICE, {row["committee"] for row in rows})
    url = _link(OFFICE_PAGE)
    for row in rows:
        yield Due(
            object_id=row["pk"],
            committee_id=row["committee"],
            recipients=office.get(row["committee"], []),
            params={
                "number": str(row["number"] or "—"),
                "title": row["title"],
                "due": deadlines.feedback_due(row["last_reply"]).isoformat(),
            },
            url=url(row["pk"]),
        )


# --- Events: told at once by the act (notifications.events.notify) -------------------------------

for _code, _model, _label, _message in [
    (
        "proposals.cosign_invited",
        CoSigner,
        _("联名邀请"),
        _("{lead}邀请您联名提案《{title}》，请阅读全文后确认是否附议。"),
    ),
    (
        "proposals.cosign_answered",
        CoSigner,
        _("附议答复"),
        _("{name}已答复您的联名邀请（提案《{title}》）：{answer}。"),
    ),
    (
        "proposals.review_requested",
        Proposal,
        _("提案待审查"),
        _("提案《{title}》已进入“{stage}”环节，请审查。"),
    ),
    (
        "proposals.filed",
        Proposal,
        _("提案已立案"),
        _("您的提案《{title}》已立案，案号第{number}号。"),
    ),
    (
        "proposals.not_filed",
        Proposal,
        _("提案不予立案"),
        _("您的提案《{title}》不予立案，处理方式：{disposition}。{opinion}"),
    ),
    (
        "proposals.merged",
        Proposal,
        _("提案已并案"),
        _("您的提案《{title}》已并入第{number}号提案《{into}》办理。"),
    ),
    (
        "proposals.returned",
        Proposal,
        _("提案退回修改"),
        _("您的提案《{title}》在“{stage}”环节被退回修改：{opinion}"),
    ),
    (
        "proposals.assigned",
        Assignment,
        _("提案交办"),
        _(
            "提案第{number}号《{title}》已交办贵单位（{role}），请于{acknowledge_by}前签收，{due}前答复。"
        ),
    ),
    (
        "proposals.reassignment_requested",
        Assignment,
        _("承办单位申请调整"),
        _("{unit}申请调整提案第{number}号《{title}》的承办：{reason}"),
    ),
    (
        "proposals.reassignment_approved",
        Assignment,
        _("同意调整承办单位"),
        _("提案第{number}号《{title}》的调整申请已获同意，贵单位不再承办。{opinion}"),
    ),
    (
        "proposals.reassignment_refused",
        Assignment,
        _("不同意调整承办单位"),
        _("提案第{number}号《{title}》的调整申请未获同意，请贵单位签收办理。{opinion}"),
    ),
    (
        "proposals.deadline_extended",
        Assignment,
        _("办理期限延长"),
        _("提案第{number}号《{title}》的办理期限已延长至{due}。"),
    ),
    (
        "proposals.co_opinion",
        Assignment,
        _("会办意见"),
        _("{unit}已提交提案第{number}号《{title}》的会办意见。"),
    ),
    (
        "proposals.replied",
        Reply,
        _("提案已答复，请评价"),
        _("{unit}已答复您的提案《{title}》（{result}类），请于{due}前评价。"),
    ),
    (
        "proposals.rated",
        Reply,
        _("答复已评价"),
        _("提案人对贵单位就提案第{number}号《{title}》的答复评价为：{rating}。"),
    ),
    (
        "proposals.rehandling",
        Assignment,
        _("提案重新办理"),
        _("提案第{number}号《{title}》须重新办理，请于{due}前再次答复：{reason}"),
    ),
    ("proposals.closed", Proposal, _("提案已办结"), _("您的提案《{title}》已办结。")),
    (
        "proposals.key_selected",
        Proposal,
        _("重点提案督办"),
        _("提案第{number}号《{title}》列为重点提案，由{supervisor}领衔督办。"),
    ),
    (
        "proposals.supervised",
        Supervision,
        _("重点提案督办记录"),
        _("重点提案第{number}号《{title}》有新的{kind}记录：{notes}"),
    ),
    (
        "proposals.excellent",
        Proposal,
        _("优秀提案"),
        _("您的提案《{title}》评为优秀提案。"),
    ),
]:
    event_kind(_code, model=_model, label=_label, message=_message)


def proposer_ids(proposal: Proposal) -> list[int]:
    """Who hears a proposal's outcomes: the lead member (or whoever entered it for them)."""
    lead_user = proposal.lead.person.user_id if proposal.lead else None
    return [lead_user or proposal.created_by_id]


def cosigner_ids(proposal: Proposal) -> list[int]:
    return list(
        proposal.cosigners.filter(
            status=CoSigner.Status.CONFIRMED, seat__person__user__is_active=True
        ).values_list("seat__person__user", flat=True)
    )


def unit_ids(*units) -> list[int]:
    """The staff of these handling units (ids)."""
    staff = unit_staff([unit for unit in units])
    return [user_id for unit in units for user_id in staff.get(unit, [])]


def office_url(proposal_id: int) -> str:
    """The admin's proposal page, where staff take its acts."""
    return reverse(OFFICE_PAGE, args=[proposal_id])
