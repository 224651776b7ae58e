"""Admin of the proposal office, the review group and the directors' meeting: queues by state
(newest first), actions that call proposals.workflow (with an opinion form; each role is offered
its own), the proposal page with its whole text, co-signers, attachments, assignments, replies
and timeline, and the acts this user may take now as buttons; the overdue filter and Excel
export of any filtered list."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ActForm,
    ActPageAdmin,
    CommitteeScopedAdmin,
    ScopedInline,
    ScopedRelatedFilter,
    bulk_act,
)
from core.excel import table_response
from core.files import download_links
from core.roles import Role, has_role
from core.scoping import writable
from members.models import PERSONAL_FIELDS, HandlingUnit, SpecialCommittee, User
from proposals import workflow
from proposals.exports import PROPOSAL_HEADINGS, proposal_rows
from proposals.models import (
    Assignment,
    Category,
    CoSigner,
    Proposal,
    Reply,
    Review,
    Supervision,
    Transition,
)
from proposals.permissions import STAFF_ACTS, acts_for, holds, may_take
from proposals.selectors import WIDE_FIELDS, with_overdue


@admin.register(Category)
class CategoryAdmin(CommitteeScopedAdmin):
    list_display = ["name", "committee", "order", "is_active"]
    list_filter = [("committee", ScopedRelatedFilter), "is_active"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("逾期未答复"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(overdue=True)
        return queryset


class ReadOnlyInline(ScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["unit", "role", "status", "assigned_on", "acknowledge_by", "due_on", "replied_on"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["stage", "decision", "opinion", "reviewer", "at"]
    readonly_fields = fields


class SupervisionInline(ReadOnlyInline):
    model = Supervision
    fields = ["kind", "held_on", "notes", "promise_kept", "by"]
    readonly_fields = fields


class CoSignerInline(ReadOnlyInline):
    model = CoSigner
    fields = ["seat", "status", "invited_at", "responded_at"]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["at", "action", "from_state", "to_state", "by", "opinion"]
    readonly_fields = fields


class NotFileForm(ActForm):
    disposition = forms.ChoiceField(label=_("处理方式"), choices=Proposal.Disposition.choices)


def pick_units(form: forms.Form, user, *names: str) -> None:
    """Let the named unit fields be picked by typing part of a name (the admin's autocomplete,
    scoped like the unit list), among the active units the user may assign."""
    units = writable(HandlingUnit.objects.filter(is_active=True), user)
    unit_field = Assignment._meta.get_field("unit")
    for name in names:
        field = form.fields[name]
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
        field.widget = widget(unit_field, admin.site, attrs={"style": "width:32em"})
        field.queryset = units  # after the widget: sets its choices too


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False
    )
    co = forms.ModelMultipleChoiceField(
        label=_("会办单位"), queryset=HandlingUnit.objects.none(), required=False
    )
    split = forms.ModelMultipleChoiceField(
        label=_("分办单位"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pick_units(self, user, "lead", "co", "split")

    def units(self):
        data = self.cleaned_data
        return (
            ([(data["lead"], Assignment.Role.LEAD)] if data["lead"] else [])
            + [(unit, Assignment.Role.CO) for unit in data["co"]]
            + [(unit, Assignment.Role.SPLIT) for unit in data["split"]]
        )


class ReassignForm(ActForm):
    new_unit = forms.ModelChoiceField(
        label=_("改由哪个单位承办"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pick_units(self, user, "new_unit")


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("新的办理期限"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class RehandleForm(forms.Form):
    due_on = forms.DateField(
        label=_("新的办理期限"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=Supervision.Kind.choices)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 4}))
    promise_kept = forms.NullBooleanField(label=_("承诺已兑现（回头看）"), required=False)


class KeyForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("领衔督办"), queryset=User.objects.none())
    supervising_committee = forms.ModelChoiceField(
        label=_("督办专委会"), queryset=SpecialCommittee.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = writable(
            User.objects.filter(groups__name=Role.CHAIR_MEETING_MEMBER), user
        )
        self.fields["supervising_committee"].queryset = writable(
            SpecialCommittee.objects.all(), user
        )


@admin.register(Proposal)
class ProposalAdmin(ActPageAdmin):
    list_display = [
        "number",
        "title",
        "proposer",
        "kind",
        "category",
        "state",
        "is_key",
        "is_excellent",
        "overdue_mark",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "state",
        OverdueFilter,
        ("committee", ScopedRelatedFilter),
        ("session", ScopedRelatedFilter),
        "kind",
        ("category", ScopedRelatedFilter),
        "is_key",
        "is_excellent",
    ]
    search_fields = ["title", "lead__person__name", "body_name"]
    list_select_related = ["lead__person", "category"]
    ordering = ["-id"]  # newest first, along the (committee, -id) index
    list_defer = (*WIDE_FIELDS, *(f"lead__person__{name}" for name in PERSONAL_FIELDS))
    readonly_fields = [
        "committee",
        "session",
        "timing",
        "kind",
        "lead",
        "body_kind",
        "body_name",
        "category",
        "title",
        "reason",
        "analysis",
        "suggestions",
        "research_basis",
        "disclose",
        "disclosure_note",
        "state",
        "number",
        "disposition",
        "merged_into",
        "submitted_at",
        "filed_at",
        "closed_at",
        "rehandled",
        "is_key",
        "supervisor",
        "supervising_committee",
        "is_excellent",
        "attachment_links",
        "reply_list",
    ]
    exclude = ["created_by"]
    inlines = [
        CoSignerInline,
        AssignmentInline,
        ReviewInline,
        SupervisionInline,
        TransitionInline,
    ]
    actions = [
        "pass_first_review",
        "pass_second_review",
        "file",
        "not_file",
        "send_back",
        "assign",
        "select_key",
        "record_supervision",
        "select_excellent",
        "order_rehandling",
        "close",
        "export_xlsx",
    ]

    def get_queryset(self, request):
        # Drafts are private to their authors.
        return with_overdue(super().get_queryset(request)).exclude(state="draft")

    @admin.display(description=_("附件"))
    def attachment_links(self, obj):
        return download_links(
            (reverse("proposals:attachment", args=[a.pk]), a.name) for a in obj.attachments.all()
        )

    @admin.display(description=_("答复"))
    def reply_list(self, obj):
        """Each reply with its letter 答复函 (a link to the authorised download)."""
        replies = Reply.objects.filter(assignment__proposal=obj).select_related("assignment__unit")
        rows = [
            (
                r.assignment.unit,
                r.result,
                r.replied_on,
                r.text,
                format_html(
                    ' · <a href="{}">{}</a>',
                    reverse("proposals:reply-letter", args=[r.pk]),
                    _("答复函"),
                )
                if r.letter
                else "",
            )
            for r in replies
        ]
        return format_html_join("", "<div>{}（{}，{}）：{}{}</div>", rows) or "—"

    def has_add_permission(self, request):
        return False  # proposals are written in the portal or entered through the API

    def get_actions(self, request):
        """Each role is offered its own acts only."""
        actions = super().get_actions(request)
        return {
            name: action
            for name, action in actions.items()
            if name not in STAFF_ACTS or may_take(request.user, name)
        }

    def page_acts(self, request, obj) -> list[str]:
        return acts_for(request.user, obj)

    @admin.display(description=_("提案人"))
    def proposer(self, obj):
        return obj.lead.person.name if obj.lead_id else obj.body_name

    @admin.display(description=_("逾期"), boolean=True)
    def overdue_mark(self, obj):
        return obj.overdue

    def _run(self, request, queryset, title, act, form_class=ActForm, **form_kwargs):
        return bulk_act(
            self, request, queryset, title=title, act=act, form_class=form_class, **form_kwargs
        )

    def _review(self, request, queryset, title, function, decision, form_class=ActForm):
        def act(proposal, form):
            extra = (
                {"disposition": form.cleaned_data["disposition"]}
                if "disposition" in form.cleaned_data
                else {}
            )
            function(
                proposal,
                decision=decision,
                opinion=form.cleaned_data["opinion"],
                by=request.user,
                **extra,
            )

        return self._run(request, queryset, title, act, form_class)

    @admin.action(description=_("初审通过"), permissions=["change"])
    def pass_first_review(self, request, queryset):
        return self._review(request, queryset, _("初审通过"), workflow.first_review, "pass")

    @admin.action(description=_("复审通过"), permissions=["change"])
    def pass_second_review(self, request, queryset):
        return self._review(request, queryset, _("复审通过"), workflow.second_review, "pass")

    @admin.action(description=_("定审：立案"), permissions=["change"])
    def file(self, request, queryset):
        return self._review(request, queryset, _("定审：立案"), workflow.final_review, "file")

    @admin.action(description=_("定审：不予立案"), permissions=["change"])
    def not_file(self, request, queryset):
        return self._review(
            request, queryset, _("定审：不予立案"), workflow.final_review, "not_file", NotFileForm
        )

    @admin.action(description=_("退回修改"), permissions=["change"])
    def send_back(self, request, queryset):
        def act(proposal, form):
            workflow.return_for_revision(
                proposal, opinion=form.cleaned_data["opinion"], by=request.user
            )

        return self._run(request, queryset, _("退回修改"), act)

    @admin.action(description=_("交办"), permissions=["change"])
    def assign(self, request, queryset):
        def act(proposal, form):
            workflow.assign(proposal, units=form.units(), by=request.user)

        return self._run(request, queryset, _("交办"), act, AssignForm, user=request.user)

    @admin.action(description=_("列为重点提案"), permissions=["change"])
    def select_key(self, request, queryset):
        def act(proposal, form):
            workflow.select_key(proposal, by=request.user, **form.cleaned_data)

        return self._run(request, queryset, _("列为重点提案"), act, KeyForm, user=request.user)

    @admin.action(description=_("记录督办或回头看"), permissions=["change"])
    def record_supervision(self, request, queryset):
        def act(proposal, form):
            workflow.record_supervision(proposal, by=request.user, **form.cleaned_data)

        return self._run(request, queryset, _("记录督办或回头看"), act, SupervisionForm)

    @admin.action(description=_("重新办理"), permissions=["change"])
    def order_rehandling(self, request, queryset):
        def act(proposal, form):
            workflow.order_rehandling(proposal, by=request.user, **form.cleaned_data)

        return self._run(request, queryset, _("重新办理"), act, RehandleForm)

    @admin.action(description=_("办结"), permissions=["change"])
    def close(self, request, queryset):
        def act(proposal, form):
            workflow.close(proposal, by=request.user, reason=form.cleaned_data["reason"])

        return self._run(request, queryset, _("办结"), act, ReasonForm)

    @admin.action(description=_("评为优秀提案"), permissions=["change"])
    def select_excellent(self, request, queryset):
        def act(proposal, form):
            workflow.select_excellent(
                proposal, by=request.user, reason=form.cleaned_data["opinion"]
            )

        return self._run(request, queryset, _("评为优秀提案"), act)

    @admin.action(description=_("导出所选提案为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response("proposals.xlsx", PROPOSAL_HEADINGS, proposal_rows(queryset))


@admin.register(Assignment)
class AssignmentAdmin(ActPageAdmin):
    """交办 and deadlines: the most urgent first; an assignment's page offers the office's acts
    its state allows (decide a reassignment request, extend the deadline) as buttons."""

    list_display = ["proposal", "unit", "role", "status", "assigned_on", "due_on", "replied_on"]
    # The deadline filter offers fixed periods; a date hierarchy would read every year present.
    list_filter = ["status", "role", ("unit", ScopedRelatedFilter), "due_on"]
    search_fields = ["proposal__title", "unit__name"]
    list_select_related = ["proposal", "unit"]
    list_defer = tuple(f"proposal__{name}" for name in WIDE_FIELDS)
    ordering = ["due_on", "id"]  # along the due_on index, not the proposal's ordering's joins
    readonly_fields = [*list_display, "acknowledge_by", "reassign_reason", "accepted_at"]
    actions = ["approve_reassignment", "refuse_reassignment", "extend_deadline"]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        """The acts are the proposal office's: other roles are not offered them."""
        return super().get_actions(request) if has_role(request.user, Role.PROPOSAL_OFFICE) else {}

    def page_acts(self, request, obj) -> list[str]:
        if not holds(request.user, Role.PROPOSAL_OFFICE, obj.proposal.committee_id):
            return []
        if obj.status == Assignment.Status.REASSIGN_REQUESTED:
            return ["approve_reassignment", "refuse_reassignment"]
        if obj.status in (Assignment.Status.ASSIGNED, Assignment.Status.ACCEPTED):
            return ["extend_deadline"]
        return []

    def _run(self, request, queryset, title, act, form_class, **form_kwargs):
        return bulk_act(
            self, request, queryset, title=title, act=act, form_class=form_class, **form_kwargs
        )

    @admin.action(description=_("同意调整承办单位"), permissions=["view"])
    def approve_reassignment(self, request, queryset):
        def act(assignment, form):
            workflow.decide_reassignment(
                assignment,
                approve=True,
                new_unit=form.cleaned_data["new_unit"],
                opinion=form.cleaned_data["opinion"],
                by=request.user,
            )

        return self._run(
            request, queryset, _("同意调整承办单位"), act, ReassignForm, user=request.user
        )

    @admin.action(description=_("不同意调整"), permissions=["view"])
    def refuse_reassignment(self, request, queryset):
        def act(assignment, form):
            workflow.decide_reassignment(
                assignment, approve=False, opinion=form.cleaned_data["opinion"], by=request.user
            )

        return self._run(request, queryset, _("不同意调整"), act, ActForm)

    @admin.action(description=_("延长办理期限"), permissions=["view"])
    def extend_deadline(self, request, queryset):
        def act(assignment, form):
            workflow.extend_deadline(assignment, by=request.user, **form.cleaned_data)

        return self._run(request, queryset, _("延长办理期限"), act, ExtendForm)
