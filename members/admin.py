"""Admin of the organisation directory, and CommitteeScopedAdmin, the base of every app's admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.errors import DomainError
from members import workflow
from members.models import (
    ApiToken,
    Committee,
    HandlingUnit,
    Party,
    PlenarySession,
    Sector,
    SpecialCommittee,
    Term,
    User,
)
from members.roles import Role
from members.scoping import can_write, readable_committee_ids, writable


def committee_id_of(obj, path: str) -> int | None:
    """Follow `path` (e.g. "term__committee") from obj to a committee id."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, int) else obj.pk


class CommitteeScopedAdmin(SimpleHistoryAdmin):
    """Lists only readable committees' records; changes only writable ones (others are view-only);
    committee choices are limited to the committees the user may write."""

    committee_field = "committee"
    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = readable_committee_ids(request.user)
        return queryset if ids is None else queryset.filter(**{f"{self.committee_field}__in": ids})

    def _may_write(self, request, obj) -> bool:
        return obj is None or can_write(request.user, committee_id_of(obj, self.committee_field))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Committee:
            kwargs["queryset"] = writable(Committee.objects.all(), request.user, via="id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A committee filter that offers only the committees present in the (scoped) list."""


@admin.register(Committee)
class CommitteeAdmin(CommitteeScopedAdmin):
    committee_field = "id"
    list_display = ["short_name", "name", "level", "parent", "region_code"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "region_code"]
    ordering = ["order", "region_code"]

    def has_add_permission(self, request):
        # The committee tree is set up by the system administrator only.
        return request.user.is_superuser


class PlenarySessionInline(admin.TabularInline):
    model = PlenarySession
    extra = 0


@admin.register(Term)
class TermAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "committee", "number", "starts_on", "ends_on"]
    list_filter = [("committee", ScopedRelatedFilter)]
    inlines = [PlenarySessionInline]


@admin.register(PlenarySession)
class PlenarySessionAdmin(CommitteeScopedAdmin):
    committee_field = "term__committee"
    list_display = ["__str__", "term", "number", "opens_on", "closes_on"]
    list_filter = [("term__committee", ScopedRelatedFilter)]
    list_select_related = ["term__committee"]
    date_hierarchy = "opens_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "term":
            kwargs["queryset"] = writable(Term.objects.select_related("committee"), request.user)
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
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
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
        queryset = super().get_queryset(request).prefetch_related("groups")
        ids = readable_committee_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(Q(committee__in=ids) | Q(handling_unit__committee__in=ids))

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser"]

    def _may_write(self, request, obj) -> bool:
        return obj is None or can_write(request.user, obj.home_committee_id)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee":
            kwargs["queryset"] = writable(Committee.objects.all(), request.user, via="id")
        elif db_field.name == "handling_unit":
            kwargs["queryset"] = writable(HandlingUnit.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
    list_display = ["name", "committee", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("committee", ScopedRelatedFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    list_select_related = ["committee"]
    fields = [
        "name",
        "committee",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's name and committee are fixed once issued.
        return self.readonly_fields if obj is None else [*self.readonly_fields, "name", "committee"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the history of who used which token stays

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            token, key = workflow.issue_api_token(
                committee=form.cleaned_data["committee"],
                name=form.cleaned_data["name"],
                by=request.user,
            )
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
