"""The admin's scoped base classes: every list, every object and every choice limited to what
the user may read or write; the change form whose saving is a workflow act (ActModelForm with
ActAdmin: the act is rehearsed while validating, so its refusals show as field errors); and the
bulk act that runs a workflow function on selected rows.

Each model says how it reaches its committee (`committee_path`, see core.scoping); the base
classes read it, so an app's admin names no committee field. A foreign key or many-to-many
choice offers the rows the user may write, or those of `linkable_fields` (own committee and the
committees above it: a district places or invites a municipal member).
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
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


class EstimatedCountPaginator(Paginator):
    """A change list's paginator that counts exactly up to EXACT_UP_TO rows and takes the
    planner's estimate beyond: a COUNT(*) of a million rows costs more than the page itself."""

    EXACT_UP_TO = 10_000

    @cached_property
    def count(self) -> int:
        queryset: QuerySet = self.object_list  # type: ignore[assignment]
        plan = json.loads(queryset.order_by().explain(format="json"))
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        return queryset.count() if estimate <= self.EXACT_UP_TO else estimate


class CommitteeScopedAdmin(ScopedChoices, SimpleHistoryAdmin):
    """Lists only readable committees' records (another committee's answer 404); changes only
    writable ones (a municipal user reads its districts' records without changing them).

    Lists stay fast at a million rows: no second COUNT of the unfiltered list, an estimated
    count beyond ten thousand rows, filters over the small related tables (ScopedRelatedFilter);
    a big list's admin also orders by an indexed column and names its joins."""

    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Columns the change list never shows (search vectors, long texts): not read for its rows.
    list_defer: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        defer = self.list_defer

        class NarrowChangeList(ChangeList):
            def get_queryset(self, request, exclude_parameters=None):
                queryset = super().get_queryset(request, exclude_parameters)
                return queryset.defer(*defer) if defer else queryset

        return NarrowChangeList

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


class ActPageAdmin(CommitteeScopedAdmin):
    """A read-only record page whose acts are buttons: `page_acts(request, obj)` names the
    admin actions the user may take on this record now; each button opens the action for this
    one row (its form, then back to the page). No save buttons: the page changes nothing itself.
    The template `admin/act_change_form.html` shows the buttons."""

    change_form_template = "admin/act_change_form.html"
    confirm_acts: tuple[str, ...] = ()  # acts without a form of their own: confirmed first

    def page_acts(self, request, obj) -> list[str]:
        raise NotImplementedError

    def _act_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_act"

    def get_urls(self):
        act = self.admin_site.admin_view(self.act_view)
        return [
            path("<int:pk>/act/<str:act>/", act, name=self._act_url_name()),
            *super().get_urls(),
        ]

    def act_view(self, request, pk: int, act: str):
        rows = self.get_queryset(request).filter(pk=pk)
        obj = rows.first()
        if obj is None or act not in self.page_acts(request, obj):
            raise Http404
        if request.method != "POST" and act in self.confirm_acts:
            return TemplateResponse(
                request,
                "admin/bulk_act.html",
                {
                    **self.admin_site.each_context(request),
                    "title": getattr(self, act).short_description,
                    "rows": rows,
                    "opts": self.opts,
                },
            )
        response = getattr(self, act)(request, rows)
        return response or redirect(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", pk
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        acts = self.page_acts(request, obj) if obj is not None else []
        extra_context = {
            **(extra_context or {}),
            "acts": [
                (
                    reverse(f"admin:{self._act_url_name()}", args=[obj.pk, act]),
                    getattr(self, act).short_description,
                )
                for act in acts
            ],
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)


class _Rehearsal(Exception):
    """Raised to roll back a rehearsed act."""


class ActModelForm(forms.ModelForm):
    """A change form whose saving is a workflow act (`perform`). The act is rehearsed in
    `clean()` and rolled back, so that what it refuses is shown on the form and nothing is
    saved; the admin's save_model then performs it. While rehearsing, `rehearsing` is true: an
    act that stores a file checks it then without writing it (the database rolls back, the
    storage would not)."""

    user = None  # set per request by ActAdmin.get_form
    rehearsing = False

    def create(self, data: dict):
        raise NotImplementedError

    def update(self, instance, changes: dict):
        raise NotImplementedError

    def perform(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            return self.create({name: data[name] for name in self.fields if name in data})
        changed = {name: data[name] for name in self.changed_data if name in data}
        return self.update(self.instance, changed)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.rehearsing = True
        try:
            with transaction.atomic():
                self.perform()
                raise _Rehearsal
        except _Rehearsal:
            pass
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))
        finally:
            self.rehearsing = False
        return data


class ActAdmin(CommitteeScopedAdmin):
    """Saves through the form's act; fields in `fixed_fields` are read-only once created."""

    fixed_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, *self.fixed_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        try:
            saved = form.perform()
        except DomainError as error:  # changed since the form was validated
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields were set by the act; inlines are saved one by one."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def run_inline(self, request, formset, *, create, update=None, delete=None):
        """Save an inline row by row through acts: create(data), update(instance, changes),
        delete(instance); a refusal is reported for its row. Fills the formset's
        new/changed/deleted objects for the admin's change message."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if not data or not inline_form.has_changed():
                continue
            instance = inline_form.instance
            try:
                if data.get("DELETE"):
                    if instance.pk and delete is not None:
                        delete(instance)
                        formset.deleted_objects.append(instance)
                elif instance.pk:
                    changes = {
                        name: data[name]
                        for name in inline_form.changed_data
                        if name in data and name != "DELETE"
                    }
                    if update is not None:
                        update(instance, changes)
                        formset.changed_objects.append((instance, list(changes)))
                else:
                    created = create(data)
                    formset.new_objects.extend(created if isinstance(created, list) else [created])
            except DomainError as error:
                self.message_user(
                    request,
                    f"{formset.model._meta.verbose_name}: {error.message}",
                    messages.ERROR,
                )


class ScopedInline(ScopedChoices):
    """Mixin for inlines: their choices are scoped like the parent's."""


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter offering the related rows the user may read, read from the related (small)
    table: never a DISTINCT over the whole (big) list, as Django's RelatedOnlyFieldListFilter
    would do."""

    def field_choices(self, field, request, model_admin):
        # Their names may read their parents (a session names its term's committee): joined.
        related = readable(field.related_model._default_manager.select_related(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(row.pk, str(row)) for row in related]


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
