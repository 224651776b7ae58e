"""Admin of the organisation directory: committees, terms, units, users, tokens, people, seats."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommitteeScopedAdmin, ScopedInline, ScopedRelatedFilter
from core.errors import DomainError, Invalid
from core.excel import xlsx_response
from core.roles import Role
from core.scoping import readable, writable
from members import workflow
from members.models import (
    PERSONAL_FIELDS,
    Act,
    ActKind,
    ApiToken,
    Committee,
    HandlingUnit,
    Party,
    Person,
    PlenarySession,
    RosterImport,
    Seat,
    Sector,
    SpecialCommittee,
    Term,
    User,
    Visit,
)
from members.privacy import can_see_personal_data
from members.roster import (
    COLUMNS,
    WORKER_ROWS,
    export_roster,
    import_roster,
    progress_key,
    read_roster,
    start_import,
)
from members.workflow import PERSONAL_TOKEN_DEFAULT_DAYS


@admin.register(Committee)
class CommitteeAdmin(CommitteeScopedAdmin):
    list_display = ["short_name", "name", "level", "parent", "region_code"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "region_code"]
    ordering = ["order", "region_code"]

    def has_add_permission(self, request):
        # The committee tree is set up by the system administrator only.
        return request.user.is_superuser


class PlenarySessionInline(ScopedInline, admin.TabularInline):
    model = PlenarySession
    extra = 0


@admin.register(Term)
class TermAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "committee", "number", "starts_on", "ends_on"]
    list_filter = [("committee", ScopedRelatedFilter)]
    inlines = [PlenarySessionInline]


@admin.register(PlenarySession)
class PlenarySessionAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "term", "number", "opens_on", "closes_on"]
    list_filter = [("term__committee", ScopedRelatedFilter)]
    list_select_related = ["term__committee"]
    date_hierarchy = "opens_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "term":
            kwargs["queryset"] = Term.objects.select_related("committee")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(HandlingUnit)
class HandlingUnitAdmin(CommitteeScopedAdmin):
    list_display = ["name", "kind", "committee", "is_active"]
    list_filter = [("committee", ScopedRelatedFilter), "kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["committee"]


class DirectoryEntryAdmin(CommitteeScopedAdmin):
    list_display = ["name", "committee", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = [("committee", ScopedRelatedFilter), "is_active"]
    search_fields = ["name"]
    list_select_related = ["committee"]


admin.site.register(Sector, DirectoryEntryAdmin)
admin.site.register(Party, DirectoryEntryAdmin)
admin.site.register(SpecialCommittee, DirectoryEntryAdmin)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return Role.label(obj.name)


@admin.register(User)
class UserAdmin(CommitteeScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "committee", "handling_unit", "role_list", "is_active"]
    list_filter = [("committee", ScopedRelatedFilter), "groups", "is_staff", "is_active"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    list_select_related = ["committee", "handling_unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["name", "email"]}),
        (_("所属"), {"fields": ["committee", "handling_unit"]}),
        (_("角色与权限"), {"fields": ["groups", "is_active", "is_staff", "is_superuser"]}),
        (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "committee",
                    "handling_unit",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(name__in=Role.labels)
            kwargs["form_class"] = RoleChoiceField
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(Role.label(group.name) for group in obj.groups.all())


@admin.register(ApiToken)
class ApiTokenAdmin(CommitteeScopedAdmin):
    """District offices' tokens and users' personal tokens: issued here (the key is shown once),
    revoked with the action; never deleted."""

    list_display = [
        "name",
        "committee",
        "owner",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [
        ("committee", ScopedRelatedFilter),
        ("owner", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "prefix", "owner__username", "owner__name"]
    list_select_related = ["committee", "owner"]
    autocomplete_fields = ["owner"]
    fields = [
        "name",
        "committee",
        "owner",
        "expires_at",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's name, committee, holder and expiry are fixed once issued.
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "name", "committee", "owner", "expires_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the history of who used which token stays

    def _issue(self, request, data):
        owner = data.get("owner")
        if owner is None:
            return workflow.issue_api_token(
                committee=data["committee"], name=data["name"], by=request.user
            )
        if owner.home_committee_id != data["committee"].pk:
            raise Invalid(_("持有人不属于所选政协。"), field="owner")
        expires_at = data.get("expires_at") or timezone.now() + timedelta(
            days=PERSONAL_TOKEN_DEFAULT_DAYS
        )
        return workflow.issue_personal_token(
            owner=owner, name=data["name"], expires_at=expires_at, by=request.user
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            token, key = self._issue(request, form.cleaned_data)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = token.pk
        self.message_user(
            request,
            _("令牌已签发，请立即复制保存，此密钥不会再次显示：%(key)s") % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("吊销所选令牌"), permissions=["change"])
    def revoke(self, request, queryset):
        done = 0
        for token in queryset:
            try:
                workflow.revoke_api_token(token, by=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{token}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("已吊销 %(n)d 个令牌。") % {"n": done}, messages.SUCCESS)


class SeatInline(ScopedInline, admin.TabularInline):
    model = Seat
    extra = 0
    fields = [
        "committee",
        "term",
        "sector",
        "party",
        "is_standing_committee",
        "position",
        "status",
        "is_hk_macao",
        "started_on",
        "ended_on",
    ]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and sits_in_writable(request, obj)


def sits_in_writable(request, person) -> bool:
    """A person is changed by staff of a committee where they hold a seat."""
    return person is None or writable(person.seats.all(), request.user).exists()


@admin.register(Person)
class PersonAdmin(CommitteeScopedAdmin):
    """A person with all their seats; personal data only for staff of a committee they sit in."""

    list_display = ["name", "gender", "employer", "seat_list"]
    search_fields = ["name", "employer"]
    list_filter = ["gender", ("seats__committee", ScopedRelatedFilter)]
    inlines = [SeatInline]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("seats__committee")

    def get_fields(self, request, obj=None):
        fields = ["name", "gender", "birth_date", "ethnicity", "employer", "user"]
        if obj is None or can_see_personal_data(request.user, obj):
            fields += list(PERSONAL_FIELDS)
        return fields

    def _may_write(self, request, obj) -> bool:
        return sits_in_writable(request, obj)

    @admin.display(description=_("委员身份"))
    def seat_list(self, obj):
        return "；".join(
            f"{seat.committee}（{seat.get_status_display()}）" for seat in obj.seats.all()
        )


class RosterImportForm(forms.Form):
    term = forms.ModelChoiceField(label=_("导入到"), queryset=Term.objects.none())
    file = forms.FileField(label=_("名册文件（.xlsx）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = writable(Term.objects.select_related("committee"), user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 Excel（.xlsx）文件。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload


@admin.register(Seat)
class SeatAdmin(CommitteeScopedAdmin):
    list_display = [
        "person",
        "committee",
        "term",
        "sector",
        "party",
        "position",
        "is_standing_committee",
        "status",
        "is_hk_macao",
    ]
    list_filter = [
        ("committee", ScopedRelatedFilter),
        "committee__level",
        "status",
        "is_standing_committee",
        "is_hk_macao",
        ("sector", ScopedRelatedFilter),
        ("party", ScopedRelatedFilter),
    ]
    search_fields = ["person__name", "person__employer"]
    list_select_related = ["person", "committee", "term__committee", "sector", "party"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["special_committees"]
    actions = ["export_xlsx"]
    change_list_template = "admin/members/seat/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="members_seat_import"
            ),
            path(
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_progress_view),
                name="members_seat_import_progress",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload, term = form.cleaned_data["file"], form.cleaned_data["term"]
            try:
                rows, report = read_roster(upload, term=term)
                upload.seek(0)
                if report.ok and len(rows) > WORKER_ROWS:
                    job = start_import(upload, term=term, by=request.user, rows=len(rows))
                    return redirect("admin:members_seat_import_progress", job.pk)
                if report.ok:
                    report = import_roster(upload, term=term, by=request.user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if report.ok:
                    self.message_user(
                        request,
                        _("导入成功：新增 %(c)d 人，更新 %(u)d 人。")
                        % {"c": report.created, "u": report.updated},
                    )
                    return redirect("admin:members_seat_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "title": _("导入委员名册"),
            "columns": [heading for _name, heading in COLUMNS],
        }
        return TemplateResponse(request, "admin/members/seat/import.html", context)

    def import_progress_view(self, request, pk: int):
        """A large import's progress (the page reloads itself until the worker is done)."""
        job = get_object_or_404(
            readable(RosterImport.objects.select_related("term"), request.user), pk=pk
        )
        done = cache.get(progress_key(job.pk), 0)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "job": job,
            "done": done,
            "percent": round(100 * done / job.rows) if job.rows else 100,
            "title": _("导入委员名册"),
            "waiting": job.state in (RosterImport.State.QUEUED, RosterImport.State.RUNNING),
        }
        return TemplateResponse(request, "admin/members/seat/import_progress.html", context)

    @admin.action(description=_("导出所选委员为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return xlsx_response(export_roster(queryset, user=request.user), "roster.xlsx")


@admin.register(Visit)
class VisitAdmin(CommitteeScopedAdmin):
    list_display = ["visited_on", "kind", "seat", "enterprise", "visitors"]
    list_filter = [("committee", ScopedRelatedFilter), "kind", "visited_on"]
    search_fields = ["seat__person__name", "enterprise", "topics"]
    list_select_related = ["seat__person"]
    date_hierarchy = "visited_on"
    autocomplete_fields = ["seat"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ActKind)
class ActKindAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "points", "code"]
    list_editable = ["points"]
    list_filter = ["category"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return request.user.is_superuser  # new kinds come with the code that records them

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Act)
class ActAdmin(CommitteeScopedAdmin):
    """Acts are derived from what members did; staff read them here, never type them."""

    list_display = ["occurred_on", "seat", "kind", "source_type"]
    list_filter = ["kind", ("seat__committee", ScopedRelatedFilter)]
    search_fields = ["seat__person__name"]
    list_select_related = ["seat__person", "seat__committee", "kind", "source_type"]
    date_hierarchy = "occurred_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
