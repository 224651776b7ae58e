"""Snapshots in the admin: read-only figures, recomputed on demand (queued for the worker)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import CommitteeScopedAdmin, ScopedRelatedFilter
from core.errors import DomainError
from yearbook import workflow
from yearbook.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(CommitteeScopedAdmin):
    list_display = ["committee", "year", "computed_at", "duration_ms", "page"]
    list_filter = ["year", ("committee", ScopedRelatedFilter)]
    list_select_related = ["committee"]
    readonly_fields = ["committee", "year", "computed_at", "duration_ms", "figures"]
    actions = ["recompute"]

    @admin.display(description=_("统计页面"))
    def page(self, snapshot):
        url = reverse("yearbook:detail", args=[snapshot.committee_id, snapshot.year])
        return format_html('<a href="{}">{}</a>', url, _("查看"))

    @admin.action(description=_("重新计算所选年度统计"), permissions=["view"])
    def recompute(self, request, queryset):
        queued = 0
        try:
            for snapshot in queryset.select_related("committee"):
                queued += workflow.request_recompute(
                    request.user, [snapshot.committee], snapshot.year
                )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, _("已提交%(n)d项重新计算。") % {"n": queued})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
