"""The notification centre's pages: my notifications, open one (marks it read), mark all read,
e-mail on or off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import workflow
from notifications.models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related("reminder")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.filter(read_at=None)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "only_unread": only_unread},
    )


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = workflow.mark_read(request.user, pk)
    target = notification.reminder.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    count = workflow.mark_all_read(request.user)
    messages.success(request, _("已将%(n)d条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_POST
def email_preference(request):
    receives_email = request.POST.get("receives_email") == "on"
    workflow.set_email_preference(request.user, receives_email)
    messages.success(request, _("已开启邮件提醒。") if receives_email else _("已关闭邮件提醒。"))
    return redirect("notifications:list")
