"""Portal pages of proposals: the public pages 双公开 (no login: disclosed proposals and replies,
searchable in Chinese), a member's proposals and tasks, and a handling unit's workspace. Every
act goes through proposals.workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import once
from core.errors import DomainError
from core.files import file_response
from core.params import is_digits, search_text, valid_year
from members.models import Committee, PlenarySession, Seat, SeatStatus
from members.views import staff_committee, year_of
from proposals import workflow
from proposals.forms import (
    ConsultationForm,
    CosignerForm,
    DraftForm,
    FeedbackForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
)
from proposals.models import Assignment, Category, CoSigner, Proposal, Reply, State
from proposals.permissions import is_proposer, proposer_phone
from proposals.selectors import (
    COSIGN_CANDIDATES_SHOWN,
    OPEN_ASSIGNMENT,
    assignments_for,
    attachment_for,
    cosign_candidates,
    cosign_requests,
    cosigned_by,
    letter_for,
    overdue_assignments,
    proposals_for,
    public_proposal,
    public_rows,
    replies_to_rate,
)
from proposals.stats import proposal_figures

PAGE = 20  # rows of a public list page
PUBLIC_CHOICES_SECONDS = 300
PUBLIC_CHOICES_KEY = "proposals:public-choices"


def forget_public_choices(**_kwargs) -> None:
    cache.delete(PUBLIC_CHOICES_KEY)


def public_choices() -> dict:
    """The public list's filter choices and row labels, from the small tables (committees,
    sessions, categories), cached for a few minutes."""

    def build():
        sessions = PlenarySession.objects.select_related("term")
        return {
            "committees": {c.pk: str(c) for c in Committee.objects.order_by("level", "pk")},
            "sessions": {s.pk: (s.title, s.opens_on.year) for s in sessions},
            "categories": [
                (c.pk, c.name, c.committee_id)
                for c in Category.objects.filter(is_active=True).order_by("name", "pk")
            ],
        }

    return cache.get_or_set(PUBLIC_CHOICES_KEY, build, PUBLIC_CHOICES_SECONDS)


def _keyset(proposals, request):
    """A page of the public list without COUNT or OFFSET: `after`/`before` name the last/first
    row shown (session.number); the rows and the cursors of the neighbouring pages. The cursor
    is a row comparison, which the partial index answers by seeking to it."""
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    cursor = (after or before).split(".")
    if len(cursor) == 2 and all(is_digits(part) for part in cursor):
        position = [int(part) for part in cursor]
        beyond = "(proposals_proposal.session_id, proposals_proposal.number) {} (%s, %s)"
        if after:
            rows = list(proposals.filter(_where(beyond.format("<"), position))[: PAGE + 1])
            more_after, more_before = len(rows) > PAGE, True
            rows = rows[:PAGE]
        else:
            earlier = proposals.filter(_where(beyond.format(">"), position))
            rows = list(earlier.order_by("session_id", "number")[: PAGE + 1])
            more_after, more_before = True, len(rows) > PAGE
            rows = rows[:PAGE][::-1]
    else:
        rows = list(proposals[: PAGE + 1])
        more_after, more_before = len(rows) > PAGE, False
        rows = rows[:PAGE]
    key = "{0.session_id}.{0.number}".format
    return {
        "rows": rows,
        "next": key(rows[-1]) if rows and more_after else "",
        "previous": key(rows[0]) if rows and more_before else "",
    }


def _where(sql: str, params) -> RawSQL:
    # A row comparison has no lookup in the ORM; the SQL is constant, the numbers bound.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


def public_list(request):
    choices = public_choices()
    proposals = public_rows()
    query = search_text(request.GET.get("q"))
    if query:
        proposals = proposals.filter(search__contains_text=query)
    selected = {}
    year = valid_year(request.GET.get("year", ""))
    if year is not None:
        selected["year"] = year
        sessions = [pk for pk, (_title, y) in choices["sessions"].items() if y == year]
        proposals = proposals.filter(session__in=sessions)
    for name in ("committee", "category"):
        value = request.GET.get(name, "")
        if is_digits(value):
            selected[name] = int(value)
            proposals = proposals.filter(**{name: int(value)})
    page = _keyset(proposals, request)
    categories = {pk: name for pk, name, _committee in choices["categories"]}
    for proposal in page["rows"]:
        proposal.committee_name = choices["committees"].get(proposal.committee_id, "")
        proposal.session_title = choices["sessions"].get(proposal.session_id, ("", 0))[0]
        proposal.category_name = categories.get(proposal.category_id, "")
    return render(
        request,
        "proposals/public_list.html",
        {
            "page": page,
            "q": query,
            "selected": selected,
            "committees": choices["committees"].items(),
            "categories": [
                (pk, name)
                for pk, name, committee in choices["categories"]
                if selected.get("committee") in (None, committee)
            ],
            "years": sorted({y for _title, y in choices["sessions"].values()}, reverse=True),
        },
    )


def public_detail(request, pk: int):
    proposal = public_proposal(pk)
    if proposal is None:
        raise Http404
    return render(request, "proposals/public_detail.html", {"proposal": proposal})


# --- Members: my proposals, drafts, co-signing, feedback ---------------------------------------


def _my_seat(user, committee_id=None):
    seats = Seat.objects.filter(person__user=user, status=SeatStatus.ACTIVE).select_related(
        "committee"
    )
    if committee_id:
        seats = seats.filter(committee=committee_id)
    return seats.order_by("committee__level").first()


@login_required
def my_proposals(request):
    """A member's proposals and tasks: co-sign requests to answer, replies to rate."""
    mine = (
        proposals_for(request.user)
        .filter(Q(lead__person__user=request.user) | Q(created_by=request.user))
        .order_by("-id")
    )
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/mine.html",
        {
            "page": page,
            "requests": cosign_requests(request.user),
            "cosigned": cosigned_by(request.user),
            "to_rate": replies_to_rate(mine),
            "may_write": _my_seat(request.user) is not None,
        },
    )


@login_required
def draft_edit(request, pk: int | None = None):
    seat = _my_seat(request.user)
    proposal = get_object_or_404(proposals_for(request.user), pk=pk) if pk else None
    if seat is None and proposal is None:
        raise PermissionDenied
    committee = proposal.committee if proposal else seat.committee
    form = DraftForm(request.POST or None, instance=proposal, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        token, purpose = form.cleaned_data["once"], f"draft:{pk or 'new'}"
        earlier = once.claim(request.user, token, purpose)
        if earlier is not None:  # the same form sent twice (a double click): act once
            messages.info(request, _("该表单已提交，未重复保存。"))
            return (
                redirect("proposals:detail", pk=earlier) if earlier else redirect("proposals:mine")
            )
        try:
            if proposal is None:
                proposal = workflow.create_draft(
                    committee=committee, lead=seat, by=request.user, **data
                )
            else:
                data.pop("session")
                workflow.update_draft(proposal, by=request.user, **data)
        except (DomainError, ValidationError) as error:
            once.release(request.user, token, purpose)
            form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            once.remember(request.user, token, purpose, proposal.pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/draft_form.html", {"form": form, "proposal": proposal})


@login_required
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        proposals_for(request.user).prefetch_related(
            "cosigners__seat__person",
            "attachments",
            "transitions__by",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").prefetch_related(
                    "replies__feedback"
                ),
            ),
        ),
        pk=pk,
    )
    proposer = is_proposer(request.user, proposal)
    picking = proposer and _may_invite(proposal)
    query = search_text(request.GET.get("cosign_q")) if picking else ""
    invitations = [
        c
        for c in proposal.cosigners.all()
        if c.seat.person.user_id == request.user.pk and c.status == CoSigner.Status.INVITED
    ]
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "is_proposer": proposer,
            "picking": picking,
            "cosign_q": query,
            "candidates": _candidates(proposal, query) if query else None,
            "my_invitation": invitations[0] if invitations else None,
            "feedback_form": FeedbackForm(),
        },
    )


def _may_invite(proposal) -> bool:
    return proposal.state == State.DRAFT and proposal.kind == Proposal.Kind.JOINT


def _candidates(proposal, query: str) -> list:
    return list(cosign_candidates(proposal, query)[:COSIGN_CANDIDATES_SHOWN])


@login_required
def cosign_search(request, pk: int):
    """The co-sign picker's search (the page's script asks it as the lead types; without the
    script the same list comes with the page): the proposal's own committee's members, for the
    lead of a joint draft only; anyone else gets 404."""
    proposal = get_object_or_404(proposals_for(request.user), pk=pk)
    if not (is_proposer(request.user, proposal) and _may_invite(proposal)):
        raise Http404
    query = search_text(request.GET.get("q"))
    return render(
        request,
        "proposals/_cosign_candidates.html",
        {
            "proposal": proposal,
            "cosign_q": query,
            "candidates": _candidates(proposal, query) if query else None,
        },
    )


def attachment(request, pk: int):
    """An attachment under its original name, for whoever may read its proposal; anyone else
    (another committee, an anonymous visitor) gets 404."""
    found = attachment_for(request.user, pk)
    if found is None:
        raise Http404
    return file_response(found.file, name=found.name)


@login_required
@require_POST
def remove_attachment(request, pk: int):
    """The proposer removes an attachment of their draft (anyone else's: 404)."""
    found = attachment_for(request.user, pk)
    if found is None:
        raise Http404
    _act(request, workflow.remove_attachment, _("附件已删除。"), found)
    return redirect("proposals:detail", pk=found.proposal_id)


def reply_letter(request, pk: int):
    """A reply's letter 答复函, for whoever may read its proposal; anyone else gets 404."""
    found = letter_for(request.user, pk)
    if found is None:
        raise Http404
    return file_response(found.letter, name=found.letter_name or "答复函")


def _act(request, function, success: str, *args, **kwargs):
    try:
        function(*args, by=request.user, **kwargs)
        messages.success(request, success)
    except DomainError as error:
        messages.error(request, error.message)


@login_required
@require_POST
def proposal_act(request, pk: int, act: str):
    proposal = get_object_or_404(proposals_for(request.user), pk=pk)
    if act == "submit":
        _act(request, workflow.submit, _("提案已提交，请关注审查进度。"), proposal)
    elif act == "withdraw":
        _act(
            request,
            workflow.withdraw,
            _("提案已撤回。"),
            proposal,
            reason=request.POST.get("reason", ""),
        )
    elif act == "invite":
        form = CosignerForm(request.POST, proposal=proposal)
        if form.is_valid():
            _act(
                request,
                workflow.invite_cosigners,
                _("已发出附议邀请。"),
                proposal,
                seats=[form.cleaned_data["seat"]],
            )
    elif act == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择文件。"))
        else:
            _act(request, workflow.attach, _("附件已上传。"), proposal, upload=upload)
    else:
        raise Http404
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def cosign_answer(request, pk: int):
    cosigner = get_object_or_404(CoSigner, pk=pk, seat__person__user=request.user)
    accept = request.POST.get("accept") == "1"
    _act(
        request,
        workflow.answer_cosign,
        _("已确认附议。") if accept else _("已谢绝附议。"),
        cosigner,
        accept=accept,
    )
    if request.POST.get("back") == "detail":  # answered on the proposal's own page
        return redirect("proposals:detail", pk=cosigner.proposal_id)
    return redirect("proposals:mine")


@login_required
@require_POST
def feedback(request, pk: int):
    answer = get_object_or_404(
        Reply.objects.filter(assignment__proposal__in=proposals_for(request.user).values("pk")),
        pk=pk,
    )
    form = FeedbackForm(request.POST)
    if form.is_valid():
        _act(request, workflow.give_feedback, _("感谢您的反馈。"), answer, **form.cleaned_data)
    else:
        messages.error(request, _("请选择评价。"))
    return redirect("proposals:detail", pk=answer.assignment.proposal_id)


# --- Handling units: the workspace ---------------------------------------------------------------


@login_required
def unit_workspace(request):
    """The unit's work: what is open, newest first; below it what was finished, one year (by
    session) at a time — this year's unless another is chosen."""
    if not request.user.handling_unit_id:
        raise PermissionDenied
    assignments = with_overdue_flag(assignments_for(request.user))
    finished = assignments.exclude(status__in=OPEN_ASSIGNMENT)
    years = [d.year for d in finished.dates("proposal__session__opens_on", "year", order="DESC")]
    this_year = timezone.localdate().year
    year = valid_year(request.GET.get("year", "")) or this_year
    return render(
        request,
        "proposals/unit_list.html",
        {
            "page": Paginator(
                assignments.filter(status__in=OPEN_ASSIGNMENT).order_by("-assigned_on", "-id"),
                30,
            ).get_page(request.GET.get("page")),
            "done": Paginator(
                finished.filter(proposal__session__opens_on__year=year).order_by(
                    "-replied_on", "-id"
                ),
                30,
            ).get_page(request.GET.get("done_page")),
            "year": year,
            "years": years,
        },
    )


@login_required
def unit_assignment(request, pk: int):
    if not request.user.handling_unit_id:
        raise PermissionDenied
    assignment = get_object_or_404(assignments_for(request.user), pk=pk)
    forms = {
        "reply": ReplyForm(prefix="reply"),
        "consult": ConsultationForm(prefix="consult"),
        "reassign": ReasonForm(prefix="reassign"),
        "opinion": OpinionForm(prefix="opinion"),
    }
    if request.method == "POST":
        act = request.POST.get("act")
        if act == "accept":
            _act(request, workflow.accept, _("已签收。"), assignment)
            return redirect("proposals:unit-assignment", pk=pk)
        bound = {
            "reply": ReplyForm,
            "consult": ConsultationForm,
            "reassign": ReasonForm,
            "opinion": OpinionForm,
        }.get(act)
        if bound is None:
            raise Http404
        form = forms[act] = bound(request.POST, request.FILES, prefix=act)
        if form.is_valid():
            try:
                if act == "reply":
                    workflow.reply(assignment, by=request.user, **form.cleaned_data)
                elif act == "opinion":
                    workflow.send_opinion(assignment, by=request.user, **form.cleaned_data)
                elif act == "consult":
                    workflow.record_consultation(assignment, by=request.user, **form.cleaned_data)
                else:
                    workflow.request_reassignment(
                        assignment, by=request.user, reason=form.cleaned_data["reason"]
                    )
            except (DomainError, ValidationError) as error:
                form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
            else:
                messages.success(request, _("已保存。"))
                return redirect("proposals:unit-assignment", pk=pk)
    proposal = (
        Proposal.objects.select_related(
            "session__term", "category", "lead__person", "lead__sector", "lead__party"
        )
        .prefetch_related(
            Prefetch(
                "cosigners",
                queryset=CoSigner.objects.filter(status=CoSigner.Status.CONFIRMED).select_related(
                    "seat__person", "seat__sector"
                ),
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(pk=assignment.pk)
                .exclude(status=Assignment.Status.WITHDRAWN)
                .select_related("unit"),
                to_attr="other_assignments",
            ),
        )
        .get(pk=assignment.proposal_id)
    )
    return render(
        request,
        "proposals/unit_assignment.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "proposer_phone": proposer_phone(request.user, assignment, proposal),
            **forms,
        },
    )


def with_overdue_flag(assignments):
    return assignments.annotate(overdue=Exists(overdue_assignments().filter(pk=OuterRef("pk"))))


# --- Staff: the figures -------------------------------------------------------------------------


@login_required
def figures(request):
    """The proposal figures of a committee for a year or a session (DOMAIN §3.7)."""
    committee, committees = staff_committee(request, "proposals.view_proposal")
    sessions = PlenarySession.objects.filter(term__committee=committee).order_by("-opens_on")
    session = (
        sessions.filter(pk=request.GET.get("session") or 0).first()
        if (is_digits(request.GET.get("session", "")))
        else None
    )
    year = year_of(request)
    values = (
        proposal_figures(committee, session=session)
        if session
        else proposal_figures(committee, year=year)
    )
    return render(
        request,
        "proposals/figures.html",
        {
            "committee": committee,
            "committees": committees,
            "year": year,
            "session": session,
            "sessions": sessions,
            "figures": {
                **values,
                "by_category": _ranked(values["by_category"]),
                "by_party": _ranked(values["by_party"]),
            },
            "now": timezone.now(),
        },
    )


def _ranked(counts: dict) -> dict:
    """Largest first, what could not be placed ("": no party, no category) last."""
    return dict(sorted(counts.items(), key=lambda pair: (pair[0] == "", -pair[1], pair[0])))
