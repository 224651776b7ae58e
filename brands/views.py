"""Brands pages: the public showcase and brand pages, a round's public page with live tallies and
the vote, the voter's identification by one-time code, brand images and nomination materials
(served after a permission check), and the expert's score sheets. Every write goes through
brands.workflow (or brands.voting for a vote)."""

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brands import tally, voting, workflow
from brands.forms import ConfirmForm, IdentifyForm, ScoreForm, ShowcaseFilter
from brands.models import Candidate, Image, Round, Score, Series
from brands.selectors import (
    certificates,
    expert_rounds,
    live_figures,
    open_rounds,
    public_brands,
    public_round,
    round_candidates,
    visible_brand,
)
from brands.selectors import (
    showcase as showcase_brands,
)
from core.errors import DomainError
from core.files import file_response
from core.params import is_digits
from core.scoping import can_read
from members.models import Committee


def showcase(request):
    public = public_brands()
    form = ShowcaseFilter(
        request.GET or None,
        series=Series.objects.filter(pk__in=public.values("series")).order_by("order"),
        committees=Committee.objects.filter(pk__in=public.values("committee")).order_by(
            "level", "order"
        ),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    brands = showcase_brands(
        q=filters.get("q", ""),
        series=filters.get("series"),
        committee=filters.get("committee"),
        award=filters.get("award", ""),
    )
    page = Paginator(brands, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "brands/showcase.html",
        {"form": form, "page": page, "rounds": open_rounds(), "published": _published()},
    )


def _published():
    return Round.objects.filter(state=Round.State.PUBLISHED).order_by("-year")[:5]


def detail(request, pk: int):
    brand = visible_brand(request.user, pk)
    if brand is None:
        raise Http404
    return render(
        request,
        "brands/detail.html",
        {
            "brand": brand,
            "live": live_figures(brand),
            "certificates": certificates(brand),
            "merged": brand.merged_brands.filter(is_public=True),
        },
    )


def image(request, pk: int):
    """A brand's image, if the brand may be seen by this user."""
    picture = get_object_or_404(Image.objects.select_related("brand"), pk=pk)
    if visible_brand(request.user, picture.brand_id) is None:
        raise Http404
    return file_response(picture.file, name=PurePath(picture.file.name).name, inline=True)


@login_required
def material(request, pk: int):
    """A nomination's attachment, for the organising office, the nominating committee and the
    round's experts."""
    candidate = get_object_or_404(Candidate.objects.select_related("round", "brand"), pk=pk)
    if not candidate.material_file or not (
        can_read(request.user, candidate.round.committee_id)
        or can_read(request.user, candidate.brand.committee_id)
        or workflow.expert_of(candidate.round, request.user) is not None
    ):
        raise Http404
    return file_response(candidate.material_file, name=f"{candidate.brand.name}.pdf")


# --- A round's public page and the vote ---------------------------------------------------------


def round_page(request, pk: int):
    round_ = public_round(pk)
    if round_ is None:
        raise Http404
    candidates = list(round_candidates(round_))
    counts = tally.live(round_) if round_.state == Round.State.VOTING else None
    for candidate in candidates:
        candidate.live_votes = None if counts is None else counts.get(candidate.pk, 0)
    return render(
        request,
        "brands/round.html",
        {
            "round": round_,
            "candidates": candidates,
            "counts_available": counts is not None,
            "voting": round_ in open_rounds(),
            "voter": voting.identity(request),
            "published": round_.state == Round.State.PUBLISHED,
        },
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def vote(request, pk: int):
    """Cast one vote (candidate in the form). Answers JSON when asked for it (201, or the
    refusal with 400/409/429/503), otherwise returns to the round's page with a message."""
    raw = request.POST.get("candidate", "")
    try:
        if not is_digits(raw):
            raise workflow.Refused(_("请选择要投票的品牌。"), "candidate")
        voting.vote(request, pk, int(raw))
    except DomainError as refusal:
        if _wants_json(request):
            response = JsonResponse(
                {"code": refusal.code, "detail": str(refusal.message)},
                status=refusal.status_code,
            )
            if isinstance(refusal, voting.TooFast):
                response["Retry-After"] = str(refusal.retry_after)
            return response
        messages.error(request, refusal.message)
        if refusal.status_code == 400 and getattr(refusal, "field", None) == "voter":
            return redirect(
                f"{reverse('brands:identify')}?next={reverse('brands:round', args=[pk])}"
            )
        return redirect("brands:round", pk=pk)
    if _wants_json(request):
        return JsonResponse({"code": "accepted"}, status=201)
    messages.success(request, _("投票成功，感谢您的参与！"))
    return redirect("brands:round", pk=pk)


def identify(request):
    """Send a one-time code to a phone or e-mail address, then confirm it."""
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("brands:showcase")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("brands:showcase")
    sent, confirm, status = None, None, 200
    form = IdentifyForm(request.POST or None)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "confirm":
            confirm = ConfirmForm(request.POST)
            if confirm.is_valid():
                data = confirm.cleaned_data
                try:
                    voting.confirm_code(request, data["channel"], data["address"], data["code"])
                except DomainError as error:
                    confirm.add_error("code" if error.field == "code" else None, error.message)
                    status = error.status_code
                else:
                    messages.success(request, _("验证成功，现在可以投票了。"))
                    return redirect(next_url)
            sent = request.POST.get("address")
        elif form.is_valid():
            try:
                sent, code = voting.request_code(
                    request, form.cleaned_data["channel"], form.cleaned_data["address"]
                )
            except DomainError as error:
                form.add_error("address" if error.field == "address" else None, error.message)
                status = error.status_code
            else:
                confirm = ConfirmForm(
                    initial={"channel": form.cleaned_data["channel"], "address": sent}
                )
                messages.info(request, _("验证码已发送，10分钟内有效。"))
                if settings.DEMO_MODE:  # no SMS gateway in the demo: show what was sent
                    messages.warning(request, _("演示模式：验证码为 %(code)s。") % {"code": code})
    return render(
        request,
        "brands/identify.html",
        {"form": form, "confirm": confirm, "sent": sent, "next": next_url},
        status=status,
    )


# --- Expert scoring ------------------------------------------------------------------------------


@login_required
def scoring(request):
    panels = []
    for expert in expert_rounds(request.user):
        candidates = workflow.scorable(expert)
        done = set(
            Score.objects.filter(expert=expert).values_list("candidate", flat=True).distinct()
        )
        panels.append({"expert": expert, "candidates": candidates, "done": done})
    return render(request, "brands/scoring.html", {"panels": panels})


@login_required
def score(request, pk: int):
    candidate = get_object_or_404(
        Candidate.objects.select_related("round", "brand__series", "brand__committee"), pk=pk
    )
    expert = workflow.expert_of(candidate.round, request.user)
    if expert is None or expert.conflicts_with(candidate.brand):
        raise Http404  # not on this panel, or a brand of their own unit
    criteria = list(candidate.round.criteria.all())
    mine = dict(
        Score.objects.filter(expert=expert, candidate=candidate).values_list("criterion", "value")
    )
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.score(candidate, by=request.user, values=form.values())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已保存对“%(b)s”的评分。") % {"b": candidate.brand.name})
            return redirect("brands:scoring")
    return render(
        request,
        "brands/score.html",
        {
            "candidate": candidate,
            "form": form,
            "open": candidate.round.state == Round.State.SCORING,
        },
    )
