"""The life of public-opinion information (DOMAIN §8): one function per act.

A submitter writes a piece and submits it; the receiving office screens it (accept for editing,
keep for reference, return for more facts), combines accepted pieces into a report 编报稿, issues
the report as the next numbered issue of its bulletin, reports it 报送 to the upper committee
(where it becomes a piece of that committee's queue: 市区联动) or to the local party committee and
government, and records what came of it. Every act checks role and state, locks its row
(SELECT … FOR UPDATE) and writes a Step; the second of two people acting at once finds the new
state and gets WrongState (409). A piece arriving in an office's queue and its screening result
are told at once to whom they concern (notifications.events).
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, NotAllowed, WrongState
from core.files import check_content
from members.models import Level, SeatStatus
from members.performance import record_act, withdraw_act
from notifications.events import notify
from opinions.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Attachment,
    Category,
    Delivery,
    IssueCounter,
    Outcome,
    Piece,
    PieceState,
    Report,
    ReportState,
    Step,
    SubmitterKind,
    Target,
)
from opinions.permissions import is_liaison, is_office, is_submitter
from opinions.reminders import office_ids

EDITABLE_FIELDS = ("title", "content", "category")
LEVEL_RANK: dict[str, int] = {Level.DISTRICT: 0, Level.MUNICIPAL: 1, Level.NATIONAL: 2}
ADOPTION_ACT: dict[str, str] = {
    Level.DISTRICT: "opinion_adopted_district",
    Level.MUNICIPAL: "opinion_adopted_municipal",
    Level.NATIONAL: "opinion_adopted_national",
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _locked(piece: Piece) -> Piece:
    return (
        Piece.objects.select_for_update(of=("self",))
        .select_related("seat__person", "committee")
        .get(pk=piece.pk)
    )


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("committee__parent")
        .get(pk=report.pk)
    )


def _step(*, committee_id, by, action, piece=None, report=None, before="", after="", opinion=""):
    Step.objects.create(
        committee_id=committee_id,
        piece=piece,
        report=report,
        action=action,
        from_state=before,
        to_state=after,
        by=by,
        opinion=opinion,
    )


def _move(piece: Piece, to_state: str, *, action: str, by, allowed_from, opinion="", fields=()):
    if piece.state not in allowed_from:
        raise WrongState(
            _("信息当前为“%(state)s”，不能%(action)s。")
            % {"state": piece.get_state_display(), "action": action}
        )
    _step(
        committee_id=piece.committee_id,
        piece=piece,
        by=by,
        action=action,
        before=piece.state,
        after=to_state,
        opinion=opinion,
    )
    piece.state = to_state
    piece.save(update_fields=["state", *fields])
    return piece


def _submission(piece: Piece) -> str:
    """Which submission of the piece an event is about (a returned piece is submitted again)."""
    return str(int(piece.submitted_at.timestamp())) if piece.submitted_at else ""


def _tell_office(piece: Piece, *, by, source: str) -> None:
    notify(
        "opinions.received",
        subject=piece,
        committee_id=piece.committee_id,
        recipients=office_ids(piece.committee_id),
        params={"title": piece.title, "source": source},
        url=reverse("admin:opinions_piece_change", args=[piece.pk]),
        event=_submission(piece),
        by=by,
    )


def _authors(piece: Piece) -> list[int]:
    """The seats a piece earns performance acts for: its member and co-authors."""
    seats = [piece.seat_id] if piece.seat_id else []
    return seats + [pk for pk in piece.co_authors.values_list("pk", flat=True) if pk not in seats]


# --- The submitter ------------------------------------------------------------------------------

_BODY_FIELDS: dict[str, str] = {
    SubmitterKind.PARTY: "party",
    SubmitterKind.SECTOR: "sector",
    SubmitterKind.SPECIAL_COMMITTEE: "special_committee",
    SubmitterKind.WORKSTATION: "workstation",
}


@transaction.atomic
def create_draft(
    *,
    committee,
    title: str,
    content: str,
    by,
    submitter_kind: str = SubmitterKind.MEMBER,
    category: str = Category.SOCIETY,
    seat=None,
    party=None,
    sector=None,
    special_committee=None,
    workstation=None,
    body_name: str = "",
    source_activity=None,
    co_authors=(),
) -> Piece:
    """A private draft: a member's own (seat = one of theirs), or one written in the name of a
    party, sector, special committee, workstation or group by the office (a station's liaison
    for their station)."""
    office = is_office(by, committee.pk)
    if source_activity is not None and workstation is None:
        workstation = source_activity.workstation
    if submitter_kind == SubmitterKind.MEMBER:
        _require(
            seat is not None and (seat.person.user_id == by.pk or office),
            _("只能以本人的委员身份报送信息。"),
        )
        if seat.committee_id != committee.pk or seat.status != SeatStatus.ACTIVE:
            raise Invalid(_("须以本政协在任委员身份报送信息。"), field="seat")
        sector = sector or seat.sector
        party = party or seat.party
    elif submitter_kind == SubmitterKind.WORKSTATION:
        _require(
            workstation is not None and (office or is_liaison(by, workstation)),
            _("站室点的信息由其联络员或信息办公室报送。"),
        )
    elif submitter_kind == SubmitterKind.LOWER_COMMITTEE:
        raise Invalid(_("下级政协的信息由报送自动生成。"), field="submitter_kind")
    else:
        _require(office, _("以组织名义报送的信息由信息办公室代为录入。"))
    body_field = _BODY_FIELDS.get(submitter_kind)
    named = {"party": party, "sector": sector, "special_committee": special_committee}
    named["workstation"] = workstation
    if body_field and named[body_field] is None:
        raise Invalid(_("请选择报送单位。"), field=body_field)
    if submitter_kind == SubmitterKind.COLLECTIVE and not body_name.strip():
        raise Invalid(_("集体报送须填写报送单位。"), field="body_name")
    for field, related in named.items():
        if related is not None and related.committee_id != committee.pk:
            raise Invalid(_("所选单位不属于本政协。"), field=field)
    if source_activity is not None and source_activity.workstation.committee_id != committee.pk:
        raise Invalid(_("站室点活动不属于本政协。"), field="source_activity")
    co_authors = list(co_authors)
    if any(s.committee_id != committee.pk or s.pk == getattr(seat, "pk", None) for s in co_authors):
        raise Invalid(_("联名委员须为本政协其他委员。"), field="co_authors")
    piece = Piece(
        committee=committee,
        title=title,
        content=content,
        category=category,
        submitter_kind=submitter_kind,
        seat=seat if submitter_kind == SubmitterKind.MEMBER else None,
        party=party,
        sector=sector,
        special_committee=special_committee,
        workstation=workstation,
        body_name=body_name,
        source_activity=source_activity,
        created_by=by,
    )
    piece.full_clean(exclude=["search"])
    piece.save()
    if co_authors:
        piece.co_authors.set(co_authors)
    return piece


@transaction.atomic
def update_draft(piece: Piece, *, by, **changes) -> Piece:
    piece = _locked(piece)
    _require(is_submitter(by, piece), _("只能修改本人报送的信息。"))
    if piece.state not in (PieceState.DRAFT, PieceState.RETURNED):
        raise WrongState(_("提交后不能修改；如需修改，请等待退回。"))
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise Invalid(_("不能修改“%(f)s”。") % {"f": field}, field=field)
        setattr(piece, field, value)
    piece.full_clean(exclude=["search"])
    piece.save(update_fields=list(changes))
    return piece


@transaction.atomic
def submit(piece: Piece, *, by, now=None) -> Piece:
    """Submitting sends the piece to the office's unscreened queue; its members earn an act."""
    piece = _locked(piece)
    _require(is_submitter(by, piece), _("只能提交本人的信息。"))
    if not piece.title.strip() or not piece.content.strip():
        raise Invalid(_("请填写标题和正文。"), field="content")
    now = now or timezone.now()
    piece.submitted_at = now
    piece.received_at = piece.received_at or now
    _move(
        piece,
        PieceState.SUBMITTED,
        action=_("提交"),
        by=by,
        allowed_from={PieceState.DRAFT, PieceState.RETURNED},
        fields=["submitted_at", "received_at"],
    )
    _tell_office(
        piece, by=by, source=piece.body_name or (piece.seat.person.name if piece.seat else "")
    )
    for seat_id in _authors(piece):
        record_act(seat=seat_id, kind="opinion_submitted", on=now.date(), source=piece)
    return piece


@transaction.atomic
def withdraw(piece: Piece, *, by, reason: str = "") -> Piece:
    """The submitter takes back a piece the office has not screened yet."""
    piece = _locked(piece)
    _require(is_submitter(by, piece), _("只能撤回本人的信息。"))
    _move(
        piece,
        PieceState.WITHDRAWN,
        action=_("撤回"),
        by=by,
        allowed_from={PieceState.SUBMITTED, PieceState.RETURNED},
        opinion=reason,
    )
    for seat_id in _authors(piece):
        withdraw_act(seat=seat_id, kind="opinion_submitted", source=piece)
    return piece


@transaction.atomic
def attach(piece: Piece, *, upload, by) -> Attachment:
    """Attach a file to a draft or a returned piece: size and content checked, stored under a
    random name; the row keeps the original name."""
    piece = _locked(piece)
    _require(is_submitter(by, piece), _("只能为本人的信息添加附件。"))
    if piece.state not in (PieceState.DRAFT, PieceState.RETURNED):
        raise WrongState(_("只有草稿可以添加附件。"))
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise Invalid(_("附件不能超过 20 MB。"), field="file")
    check_content(upload, allowed=ATTACHMENT_TYPES, field="file")  # the content, not the name
    return Attachment.objects.create(
        piece=piece, file=upload, name=upload.name[:200], size=upload.size
    )


# --- The receiving office: screening ------------------------------------------------------------


class Screening:
    ACCEPT = "accept"
    KEEP = "keep"
    RETURN = "return"
    choices = [(ACCEPT, _("采用待编辑")), (KEEP, _("存档备查")), (RETURN, _("退回补充"))]


@transaction.atomic
def screen(piece: Piece, *, decision: str, by, reason: str = "") -> Piece:
    """筛选: accept for editing, keep for reference (with a reason) or return to the submitter for
    more facts (with what is missing)."""
    piece = _locked(piece)
    _require(is_office(by, piece.committee_id), _("信息由本政协信息办公室筛选。"))
    targets = {
        Screening.ACCEPT: (PieceState.ACCEPTED, _("采用待编辑")),
        Screening.KEEP: (PieceState.KEPT, _("存档备查")),
        Screening.RETURN: (PieceState.RETURNED, _("退回补充")),
    }
    if decision not in targets:
        raise Invalid(_("筛选结论无效。"), field="decision")
    if decision != Screening.ACCEPT and not reason.strip():
        raise Invalid(_("存档或退回须写明理由。"), field="reason")
    if decision == Screening.RETURN and piece.submitter_kind == SubmitterKind.LOWER_COMMITTEE:
        raise Invalid(_("下级政协报送的信息不能退回，可存档备查。"), field="decision")
    to_state, action = targets[decision]
    piece.screening_note, piece.screened_at = reason, timezone.now()
    _move(
        piece,
        to_state,
        action=action,
        by=by,
        allowed_from={PieceState.SUBMITTED},
        opinion=reason,
        fields=["screening_note", "screened_at"],
    )
    submitter = piece.seat.person.user_id if piece.seat else None
    notify(
        "opinions.screened",
        subject=piece,
        committee_id=piece.committee_id,
        recipients=[submitter or piece.created_by_id],
        params={"title": piece.title, "decision": action, "reason": reason},
        url=reverse("opinions:detail", args=[piece.pk]),
        event=_submission(piece),
        by=by,
    )
    return piece


# --- Reports: combine, edit, issue, report ------------------------------------------------------


@transaction.atomic
def combine(pieces, *, by, title: str = "", content: str = "", category: str = "") -> Report:
    """编报: one or more accepted pieces of one committee become one report (ten notes on one
    topic, one report)."""
    ids = sorted({piece.pk for piece in pieces})
    if not ids:
        raise Invalid(_("请选择要编报的信息。"), field="pieces")
    # Locked in id order: two editors combining overlapping sets cannot deadlock.
    locked = list(Piece.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    committees = {piece.committee_id for piece in locked}
    if len(locked) != len(ids) or len(committees) != 1:
        raise Invalid(_("只能编报本政协的信息。"), field="pieces")
    committee_id = committees.pop()
    _require(is_office(by, committee_id), _("编报由本政协信息办公室进行。"))
    waiting = [piece for piece in locked if piece.state != PieceState.ACCEPTED]
    if waiting:
        raise WrongState(
            _("“%(title)s”当前为“%(state)s”，不能编报。")
            % {"title": waiting[0].title, "state": waiting[0].get_state_display()}
        )
    first = locked[0]
    report = Report(
        committee_id=committee_id,
        title=title.strip() or first.title,
        content=content.strip() or "\n\n".join(piece.content for piece in locked),
        category=category or first.category,
        edited_by=by,
    )
    report.full_clean()
    report.save()
    _step(
        committee_id=committee_id,
        report=report,
        by=by,
        action=_("编报"),
        after=ReportState.EDITING,
        opinion="、".join(str(pk) for pk in ids),
    )
    for piece in locked:
        piece.report = report
        _move(
            piece,
            PieceState.IN_REPORT,
            action=_("编入编报稿"),
            by=by,
            allowed_from={PieceState.ACCEPTED},
            fields=["report"],
        )
    return report


def _check_report(report: Report, by, allowed_from, action: str) -> None:
    _require(is_office(by, report.committee_id), _("编报稿由本政协信息办公室处理。"))
    if report.state not in allowed_from:
        raise WrongState(
            _("编报稿当前为“%(state)s”，不能%(action)s。")
            % {"state": report.get_state_display(), "action": action}
        )


@transaction.atomic
def edit_report(report: Report, *, by, title: str, content: str, category: str = "") -> Report:
    report = _locked_report(report)
    _check_report(report, by, {ReportState.EDITING}, _("修改"))
    report.title, report.content = title, content
    report.category = category or report.category
    report.full_clean()
    report.save(update_fields=["title", "content", "category"])
    return report


def _next_issue(committee_id: int, year: int) -> int:
    counter, _created = IssueCounter.objects.get_or_create(committee_id=committee_id, year=year)
    counter = IssueCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def issue(report: Report, *, by, on: date | None = None) -> Report:
    """编发: the report becomes the next issue 期号 of the committee's bulletin that year."""
    report = _locked_report(report)
    _check_report(report, by, {ReportState.EDITING}, _("编发"))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise Invalid(_("编发日期不能晚于今天。"), field="on")
    report.year, report.issued_on = on.year, on
    report.number = _next_issue(report.committee_id, on.year)
    report.state = ReportState.ISSUED
    report.save(update_fields=["year", "issued_on", "number", "state"])
    _step(
        committee_id=report.committee_id,
        report=report,
        by=by,
        action=_("编发"),
        before=ReportState.EDITING,
        after=ReportState.ISSUED,
        opinion=_("第%(n)s期") % {"n": report.number},
    )
    return report


@transaction.atomic
def deliver(report: Report, *, targets, by, on: date | None = None) -> list[Delivery]:
    """报送 to the upper committee, the local party committee and/or the government. Sent to an
    upper committee below the national level, the report becomes a piece of that committee's
    unscreened queue; the national committee receives it as a record."""
    report = _locked_report(report)
    _check_report(report, by, {ReportState.ISSUED, ReportState.REPORTED}, _("报送"))
    targets = list(dict.fromkeys(targets))
    if not targets or any(target not in Target.values for target in targets):
        raise Invalid(_("请选择报送对象。"), field="targets")
    on = on or timezone.localdate()
    if on > timezone.localdate() or (report.issued_on and on < report.issued_on):
        raise Invalid(_("报送日期须在编发日期与今天之间。"), field="on")
    parent = report.committee.parent
    if Target.UPPER in targets and parent is None:
        raise Invalid(_("全国政协没有上级政协。"), field="targets")
    sent = set(report.deliveries.values_list("target", flat=True))
    if sent & set(targets):
        raise WrongState(_("已向所选对象报送过。"))
    deliveries = [
        Delivery.objects.create(report=report, target=target, sent_on=on, by=by)
        for target in targets
    ]
    before = report.state
    report.state = ReportState.REPORTED
    report.reported_on = report.reported_on or on
    report.save(update_fields=["state", "reported_on"])
    _step(
        committee_id=report.committee_id,
        report=report,
        by=by,
        action=_("报送"),
        before=before,
        after=ReportState.REPORTED,
        opinion="、".join(str(Target(target).label) for target in targets),
    )
    if Target.UPPER in targets and parent is not None and parent.level != Level.NATIONAL:
        _hand_over(report, parent, by=by)
    return deliveries


def _hand_over(report: Report, parent, *, by) -> Piece:
    """市区联动: the lower committee's report arrives in the upper office's unscreened queue."""
    now = timezone.now()
    piece = Piece.objects.create(
        committee=parent,
        title=report.title,
        content=report.content,
        category=report.category,
        submitter_kind=SubmitterKind.LOWER_COMMITTEE,
        body_name=report.committee.short_name,
        forwarded_from=report,
        state=PieceState.SUBMITTED,
        created_by=by,
        received_at=now,
        submitted_at=now,
    )
    _step(
        committee_id=parent.pk,
        piece=piece,
        by=by,
        action=_("下级政协报送"),
        after=PieceState.SUBMITTED,
        opinion=str(report),
    )
    _tell_office(piece, by=by, source=report.committee.short_name)
    return piece


# --- Outcomes -----------------------------------------------------------------------------------


@transaction.atomic
def record_outcome(
    report: Report,
    *,
    kind: str,
    by,
    level: str = "",
    on: date | None = None,
    leader: str = "",
    department: str = "",
    content: str = "",
) -> Outcome:
    """采用 by the CPPCC of a level (recorded by that level's office, or by a lower office from the
    upper's notice), a leader's instruction 批示, or a department's follow-up. The outcome is
    relayed down to the reports it came from; adoptions earn the members their act."""
    report = _locked_report(report)
    _check_report(report, by, {ReportState.ISSUED, ReportState.REPORTED}, _("记录采用或批示"))
    if kind not in Outcome.Kind.values:
        raise Invalid(_("请选择类型。"), field="kind")
    level = level or report.committee.level
    if level not in LEVEL_RANK:
        raise Invalid(_("请选择层级。"), field="level")
    on = on or timezone.localdate()
    if on > timezone.localdate() or (report.issued_on and on < report.issued_on):
        raise Invalid(_("日期须在编发日期与今天之间。"), field="on")
    if kind == Outcome.Kind.ADOPTED:
        if LEVEL_RANK[level] < LEVEL_RANK[report.committee.level]:
            raise Invalid(_("不能记录下级政协的采用。"), field="level")
        if report.state != ReportState.REPORTED and level != report.committee.level:
            raise WrongState(_("报送后才能记录上级政协的采用。"))
        if report.outcomes.filter(kind=kind, level=level).exists():
            raise WrongState(_("该编报稿已记录过该层级的采用。"))
    if kind == Outcome.Kind.INSTRUCTION and not (leader.strip() and content.strip()):
        raise Invalid(_("请填写批示领导和批示内容。"), field="leader")
    if kind == Outcome.Kind.FOLLOW_UP and not (department.strip() and content.strip()):
        raise Invalid(_("请填写落实部门和落实情况。"), field="department")
    outcome = Outcome(
        report=report,
        kind=kind,
        level=level,
        on=on,
        leader=leader,
        department=department,
        content=content,
        recorded_by=by,
    )
    outcome.full_clean()
    outcome.save()
    _settle(outcome, by=by)
    return outcome


def _settle(outcome: Outcome, *, by) -> None:
    """The outcome's step, the members' acts, and its relay to the lower reports."""
    report = outcome.report
    _step(
        committee_id=report.committee_id,
        report=report,
        by=by,
        action=str(outcome),
        before=report.state,
        after=report.state,
        opinion=outcome.leader or outcome.department or outcome.content,
    )
    pieces = list(report.pieces.all())
    if outcome.kind == Outcome.Kind.ADOPTED:
        for piece in pieces:
            for seat_id in _authors(piece):
                record_act(
                    seat=seat_id, kind=ADOPTION_ACT[outcome.level], on=outcome.on, source=piece
                )
    for piece in pieces:
        lower = piece.forwarded_from
        if lower is None:
            continue
        lower = _locked_report(lower)
        if (
            outcome.kind == Outcome.Kind.ADOPTED
            and lower.outcomes.filter(kind=outcome.kind, level=outcome.level).exists()
        ):
            continue  # the lower office recorded it from the notice already
        relay = Outcome.objects.create(
            report=lower,
            kind=outcome.kind,
            level=outcome.level,
            on=outcome.on,
            leader=outcome.leader,
            department=outcome.department,
            content=outcome.content,
            relayed_from=outcome,
            recorded_by=outcome.recorded_by,
        )
        _settle(relay, by=by)


# --- From other apps ----------------------------------------------------------------------------

_PROPOSAL_CATEGORIES = {str(label): code for code, label in Category.choices}


@transaction.atomic
def from_proposal(proposal, *, by) -> Piece:
    """A proposal not filed with the disposition 转社情民意信息 becomes a piece of the same
    committee's unscreened queue, linked both ways (piece.source_proposal, proposal.opinion_piece).
    Called by the proposal workflow as part of the final review."""
    existing = Piece.objects.filter(source_proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.state != "not_filed" or proposal.disposition != "opinion":
        raise WrongState(_("只有转社情民意信息的不予立案提案可以转为信息。"))
    parts = [
        (_("理由"), proposal.reason),
        (_("情况分析"), proposal.analysis),
        (_("具体建议"), proposal.suggestions),
    ]
    now = timezone.now()
    seat = proposal.lead
    piece = Piece.objects.create(
        committee_id=proposal.committee_id,
        title=proposal.title,
        content="\n\n".join(f"{label}：{text}" for label, text in parts if text.strip()),
        category=_PROPOSAL_CATEGORIES.get(proposal.category.name, Category.OTHER),
        submitter_kind=SubmitterKind.MEMBER if seat else SubmitterKind.COLLECTIVE,
        seat=seat,
        sector=seat.sector if seat else None,
        party=seat.party if seat else None,
        body_name="" if seat else proposal.body_name,
        source_proposal=proposal,
        state=PieceState.SUBMITTED,
        created_by=proposal.created_by,
        received_at=now,
        submitted_at=now,
    )
    _step(
        committee_id=piece.committee_id,
        piece=piece,
        by=by,
        action=_("提案转来"),
        after=PieceState.SUBMITTED,
        opinion=proposal.title,
    )
    if seat is not None:
        record_act(seat=seat.pk, kind="opinion_submitted", on=now.date(), source=piece)
    return piece
