"""Admin of streets, workstations (with their members), activities (with attendees), and the
五个好 assessments. Saving an activity or a placement goes through workstations.workflow."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import CommitteeScopedAdmin, ScopedInline, ScopedRelatedFilter, bulk_act
from core.errors import DomainError
from core.scoping import readable_or_linkable
from members.models import Seat
from workstations import workflow
from workstations.models import Activity, Assessment, Award, Placement, Street, Workstation


@admin.register(Street)
class StreetAdmin(CommitteeScopedAdmin):
    list_display = ["name", "kind", "committee", "order"]
    list_filter = [("committee", ScopedRelatedFilter), "kind"]
    search_fields = ["name"]
    list_select_related = ["committee"]


class PlacementInline(ScopedInline, admin.TabularInline):
    model = Placement
    linkable_fields = ("seat",)
    extra = 0
    fields = ["seat", "role", "joined_on", "left_on"]
    autocomplete_fields = ["seat"]
    ordering = ["left_on", "-role", "seat__person__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seat__person", "seat__committee")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seat":  # the municipal studios take its districts' members too
            kwargs["queryset"] = readable_or_linkable(Seat.objects.all(), request.user)
            return admin.TabularInline.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AwardForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


@admin.register(Workstation)
class WorkstationAdmin(CommitteeScopedAdmin):
    list_display = [
        "name",
        "tier",
        "committee",
        "street",
        "sector",
        "host",
        "certified_year",
        "demonstration_year",
        "is_active",
    ]
    list_filter = [
        ("committee", ScopedRelatedFilter),
        "tier",
        ("sector", ScopedRelatedFilter),
        "certified_year",
        "demonstration_year",
        "is_active",
    ]
    actions = ["certify", "designate_demonstration"]
    search_fields = ["name", "host", "street__name"]
    list_select_related = ["committee", "street", "sector"]
    filter_horizontal = ["liaisons"]
    readonly_fields = ["certified_year", "demonstration_year"]
    inlines = [PlacementInline]

    def _award(self, request, queryset, kind: str):
        return bulk_act(
            self,
            request,
            queryset,
            title=Award(kind).label,
            act=lambda station, form: workflow.award(
                workstation=station, kind=kind, year=form.cleaned_data["year"], by=request.user
            ),
            form_class=AwardForm,
        )

    @admin.action(description=_("达标授牌（按该年度“五个好”评定）"), permissions=["view"])
    def certify(self, request, queryset):
        return self._award(request, queryset, Award.CERTIFIED)

    @admin.action(description=_("命名为示范点"), permissions=["view"])
    def designate_demonstration(self, request, queryset):
        return self._award(request, queryset, Award.DEMONSTRATION)

    def save_formset(self, request, form, formset, change):
        """New placements and departures go through the workflow (checks, history)."""
        if formset.model is not Placement:
            return super().save_formset(request, form, formset, change)
        for placement_form in formset.forms:
            if not placement_form.has_changed() or not placement_form.cleaned_data:
                continue
            data, placement = placement_form.cleaned_data, placement_form.instance
            try:
                if placement.pk is None:
                    workflow.place(
                        workstation=form.instance,
                        seat=data["seat"],
                        role=data["role"],
                        joined_on=data["joined_on"],
                        by=request.user,
                    )
                elif data.get("left_on") and "left_on" in placement_form.changed_data:
                    workflow.end_placement(placement, left_on=data["left_on"], by=request.user)
                else:
                    placement_form.save()
            except DomainError as error:
                messages.error(request, f"{data.get('seat')}: {error.message}")
        return None


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "workstation",
            "kind",
            "held_on",
            "topic",
            "attendees",
            "public_participants",
            "outcomes",
        ]

    def clean(self):
        data = super().clean()
        if data.get("workstation") and data.get("held_on"):
            try:
                workflow.check_attendees(
                    data["workstation"], data["held_on"], data.get("attendees", [])
                )
            except DomainError as error:
                self.add_error("attendees", str(error.message))
        return data


@admin.register(Activity)
class ActivityAdmin(CommitteeScopedAdmin):
    form = ActivityForm
    list_display = ["held_on", "topic", "workstation", "kind", "public_participants"]
    list_filter = [
        ("workstation__committee", ScopedRelatedFilter),
        "kind",
        "workstation__tier",
        "held_on",
    ]
    search_fields = ["topic", "workstation__name"]
    list_select_related = ["workstation"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["attendees"]
    linkable_fields = ("attendees",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "workstation":
            kwargs["queryset"] = Workstation.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        workstation, attendees = data.pop("workstation"), data.pop("attendees")
        if change:
            saved = workflow.update_activity(obj, by=request.user, attendees=attendees, **data)
        else:
            saved = workflow.record_activity(
                workstation=workstation, by=request.user, attendees=attendees, **data
            )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """Attendees were saved by the workflow with their performance acts."""

    def delete_model(self, request, obj):
        workflow.delete_activity(obj, by=request.user)


@admin.register(Assessment)
class AssessmentAdmin(CommitteeScopedAdmin):
    list_display = [
        "workstation",
        "year",
        "support",
        "mechanism",
        "linkage",
        "role",
        "feedback",
        "total",
    ]
    list_filter = ["year", ("workstation__committee", ScopedRelatedFilter), "workstation__tier"]
    list_select_related = ["workstation"]
    exclude = ["assessed_by"]

    def save_model(self, request, obj, form, change):
        obj.assessed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("总分"))
    def total(self, obj):
        return obj.total
