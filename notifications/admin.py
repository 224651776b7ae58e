"""Reminders as issued, with their deliveries — read-only: they are written by the scan only.
The schedule itself is django-celery-beat's (Periodic tasks), editable there."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import CommitteeScopedAdmin, ScopedInline, ScopedRelatedFilter
from notifications.models import Notification, Reminder
from notifications.registry import kind_choices, label


class KindFilter(admin.SimpleListFilter):
    title = _("提醒类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class NotificationInline(ScopedInline, admin.TabularInline):
    model = Notification
    fields = ["recipient", "created_at", "read_at", "email", "emailed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(CommitteeScopedAdmin):
    list_display = ["created_at", "kind_label", "text", "threshold", "committee", "recipients"]
    list_filter = [KindFilter, ("committee", ScopedRelatedFilter), "created_at"]
    list_select_related = ["committee"]
    search_fields = ["params"]
    date_hierarchy = "created_at"
    inlines = [NotificationInline]
    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(recipient_count=Count("notifications"))
        return queryset

    @admin.display(description=_("提醒类型"), ordering="kind")
    def kind_label(self, reminder):
        return label(reminder.kind)

    @admin.display(description=_("内容"))
    def text(self, reminder):
        return reminder.text

    @admin.display(description=_("接收人数"), ordering="recipient_count")
    def recipients(self, reminder):
        return reminder.recipient_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
