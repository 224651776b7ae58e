"""Portal pages of consultations: a member's invitations and the calendar of coming meetings, a
meeting's page (materials, outcomes, sign-in and leave), and the staff's cadence and figures."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import workflow
from consultations.forms import LeaveForm
from consultations.models import Invitation, Meeting, Plan
from consultations.selectors import meeting_detail, meetings_for, my_invitations
from consultations.stats import cadence, year_figures
from core.errors import DomainError
from members.views import staff_committee, year_of


@login_required
def meeting_calendar(request):
    upcoming = (
        meetings_for(request.user)
        .filter(held_on__gte=timezone.localdate())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("held_on")[:100]
    )
    months = [
        (month, list(items))
        for month, items in groupby(upcoming, key=lambda m: m.held_on.strftime("%Y-%m"))
    ]
    return render(
        request,
        "consultations/calendar.html",
        {
            "months": months,
            "invitations": my_invitations(request.user)[:20],
        },
    )


@login_required
def meeting_page(request, pk: int):
    try:
        meeting = meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    mine = [
        i
        for i in meeting.invitations.all()
        if i.seat_id and i.seat.person.user_id == request.user.pk
    ]
    today = timezone.localdate()
    return render(
        request,
        "consultations/meeting.html",
        {
            "meeting": meeting,
            "invitation": mine[0] if mine else None,
            # 签到 is offered on the meeting's day only (staff record attendance afterwards).
            "sign_in_open": meeting.held_on == today and meeting.status != Meeting.Status.CANCELLED,
            "sign_in_soon": meeting.held_on > today,
            "leave_form": LeaveForm(),
            "is_staff_view": request.user.has_perm("consultations.view_meeting"),
        },
    )


def _my_invitation(request, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("meeting"), pk=pk, seat__person__user=request.user
    )


@login_required
@require_POST
def sign_in(request, pk: int):
    invitation = _my_invitation(request, pk)
    try:
        workflow.sign_in(invitation, by=request.user)
        messages.success(request, _("签到成功。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("consultations:meeting", pk=invitation.meeting_id)


@login_required
@require_POST
def request_leave(request, pk: int):
    invitation = _my_invitation(request, pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            workflow.request_leave(invitation, reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, _("请假申请已提交，等待审批。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请填写请假事由。"))
    return redirect("consultations:meeting", pk=invitation.meeting_id)


@login_required
def overview(request):
    """Staff: the year's figures and the plan's bi-monthly cadence with its gaps."""
    committee, committees = staff_committee(request, "consultations.view_plan")
    year = year_of(request)
    plan = Plan.objects.filter(committee=committee, year=year).first()
    return render(
        request,
        "consultations/overview.html",
        {
            "committee": committee,
            "committees": committees,
            "year": year,
            "plan": plan,
            "windows": cadence(plan) if plan else None,
            "figures": year_figures(committee, year),
        },
    )
