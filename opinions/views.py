"""Portal pages of public-opinion information: a member writes, submits and follows their pieces
(drafts, submitted, outcomes at every level). Nothing here is public. Every act goes through
opinions.workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.files import file_response
from members.models import Seat, SeatStatus
from opinions import workflow
from opinions.forms import DraftForm
from opinions.models import PieceState
from opinions.permissions import is_submitter
from opinions.selectors import attachment_for, outcomes_of, pieces_for


def _my_seat(user):
    return (
        Seat.objects.filter(person__user=user, status=SeatStatus.ACTIVE)
        .select_related("committee", "sector", "party", "person")
        .order_by("committee__level")
        .first()
    )


def _mine(user):
    return pieces_for(user).filter(
        Q(seat__person__user=user) | Q(created_by=user) | Q(co_authors__person__user=user)
    )


@login_required
def my_pieces(request):
    """A member's pieces, newest first, with where each stands and what came of it."""
    mine = _mine(request.user).distinct().order_by("-id")
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/mine.html",
        {"page": page, "may_write": _my_seat(request.user) is not None},
    )


@login_required
def draft_edit(request, pk: int | None = None):
    seat = _my_seat(request.user)
    piece = get_object_or_404(_mine(request.user).distinct(), pk=pk) if pk else None
    if piece is None and seat is None:
        raise PermissionDenied
    form = DraftForm(request.POST or None, instance=piece)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if piece is None:
                piece = workflow.create_draft(
                    committee=seat.committee, seat=seat, by=request.user, **data
                )
            else:
                workflow.update_draft(piece, by=request.user, **data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("opinions:detail", pk=piece.pk)
    return render(request, "opinions/draft_form.html", {"form": form, "piece": piece})


@login_required
def piece_detail(request, pk: int):
    piece = get_object_or_404(_mine(request.user).distinct(), pk=pk)
    return render(
        request,
        "opinions/detail.html",
        {
            "piece": piece,
            "outcomes": outcomes_of(piece),
            "steps": piece.steps.select_related("by"),
            "attachments": piece.attachments.all(),
            "is_submitter": is_submitter(request.user, piece),
            "editable": piece.state in (PieceState.DRAFT, PieceState.RETURNED),
        },
    )


def attachment(request, pk: int):
    """An attachment under its original name, for whoever may read its piece (its authors, the
    office staff); anyone else gets 404."""
    found = attachment_for(request.user, pk)
    if found is None:
        raise Http404
    return file_response(found.file, name=found.name)


@login_required
@require_POST
def piece_act(request, pk: int, act: str):
    piece = get_object_or_404(_mine(request.user).distinct(), pk=pk)
    acts = {
        "submit": (workflow.submit, _("信息已提交，请关注办理进度。"), {}),
        "withdraw": (
            workflow.withdraw,
            _("信息已撤回。"),
            {"reason": request.POST.get("reason", "")},
        ),
    }
    if act == "attach" and "file" in request.FILES:
        acts["attach"] = (workflow.attach, _("附件已上传。"), {"upload": request.FILES["file"]})
    if act not in acts:
        raise Http404
    function, success, extra = acts[act]
    try:
        function(piece, by=request.user, **extra)
        messages.success(request, success)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("opinions:detail", pk=piece.pk)
