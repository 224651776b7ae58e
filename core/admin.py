"""The admin's scoped base classes: every list, every object and every choice limited to what
the user may read or write, and the bulk act that runs a workflow function on selected rows.

Each model says how it reaches its committee (`committee_path`, see core.scoping); the base
classes read it, so an app's admin names no committee field. A foreign key or many-to-many
choice offers the rows the user may write, or those of `linkable_fields` (own committee and the
committees above it: a district places or invites a municipal member).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from core.scoping import can_write, committee_id_of, linkable, readable, writable


class ScopedChoices(admin.options.BaseModelAdmin):
    """Limits every foreign-key and many-to-many choice of a form to what the user may link."""

    linkable_fields: tuple[str, ...] = ()

    def _scope_choices(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
            if db_field.remote_field.limit_choices_to:
                queryset = queryset.complex_filter(db_field.remote_field.limit_choices_to)
        scope = linkable if db_field.name in self.linkable_fields else writable
        kwargs["queryset"] = scope(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CommitteeScopedAdmin(ScopedChoices, SimpleHistoryAdmin):
    """Lists only readable committees' records (another committee's answer 404); changes only
    writable ones (a municipal user reads its districts' records without changing them)."""

    list_per_page = 50

    def get_queryset(self, request):
        return readable(super().get_queryset(request), request.user)

    def _may_write(self, request, obj) -> bool:
        return obj is None or can_write(request.user, committee_id_of(obj))

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the last historical copy of a row it cannot find, which
        # would show another committee's deleted records; models without a history table get
        # Django's own log-based page instead of a crash.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("对象不存在。"))
        if not hasattr(self.model, "history"):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the admin index; another committee's record is simply not found.
        raise Http404(_("对象不存在。"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)


class ScopedInline(ScopedChoices):
    """Mixin for inlines: their choices are scoped like the parent's."""


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A filter that offers only the related rows present in the (scoped) list."""


class ActForm(forms.Form):
    """The default form of a bulk act: an optional opinion."""

    opinion = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def bulk_act(
    model_admin,
    request,
    queryset,
    *,
    title,
    act,
    form_class=ActForm,
    template="admin/bulk_act.html",
    **form_kwargs,
):
    """Show `form_class` for the selected rows; on confirmation run `act(row, form)` on each and
    report what was done and each refusal (a DomainError's message) per row."""
    applying = "apply" in request.POST
    form = form_class(request.POST if applying else None, **form_kwargs)
    if applying and form.is_valid():
        done = 0
        for row in queryset:
            try:
                act(row, form)
                done += 1
            except DomainError as error:
                model_admin.message_user(request, f"{row}: {error.message}", messages.ERROR)
        if done:
            model_admin.message_user(
                request, _("已处理 %(n)d 项。") % {"n": done}, messages.SUCCESS
            )
        return None
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "rows": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "opts": model_admin.model._meta,
        },
    )
