"""Admin of the consultation office: plan → topics → meetings, with inlines for participants,
speeches, suggestions and outcome reports, actions for every decision and Excel export.

Thin: every save and every action calls an act of consultations.workflow. A change form rehearses
its act while validating (in a savepoint that is rolled back), so the act's refusals show as
field errors; fields an act owns (a meeting's status, a suggestion's response, a topic's state,
a plan's approval) are read-only here and change only through the actions.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations import workflow
from consultations.exports import MEETING_HEADINGS, meeting_rows
from consultations.models import (
    Instruction,
    Invitation,
    MediaReport,
    Meeting,
    OutcomeReport,
    Plan,
    Question,
    Questionnaire,
    ResearchVisit,
    Speech,
    Suggestion,
    Topic,
)
from consultations.stats import cadence
from core.admin import (
    ActAdmin,
    ActModelForm,
    ActPageAdmin,
    ScopedInline,
    ScopedRelatedFilter,
    bulk_act,
)
from core.errors import DomainError
from core.excel import table_response
from core.scoping import writable
from members.models import Committee, HandlingUnit

# --- Plans and topics -------------------------------------------------------------------------


class TopicInline(ScopedInline, admin.TabularInline):
    model = Topic
    fields = ["title", "proposer", "meeting_kind", "state", "planned_month"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PlanForm(ActModelForm):
    class Meta:
        model = Plan
        fields = ["committee", "year", "notes"]

    def create(self, data):
        return workflow.create_plan(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_plan(instance, by=self.user, **changes)


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("批准日期"))


@admin.register(Plan)
class PlanAdmin(ActAdmin):
    form = PlanForm
    list_display = ["__str__", "year", "approved_on", "gaps"]
    list_filter = [("committee", ScopedRelatedFilter), "year"]
    inlines = [TopicInline]
    readonly_fields = ["approved_on", "cadence_table"]
    fixed_fields = ("committee",)
    actions = ["approve"]

    @admin.display(description=_("缺少双月协商会的时段"))
    def gaps(self, obj):
        windows = [w["months"] for w in cadence(obj) if w["gap"]]
        return "、".join(f"{a}–{b}月" for a, b in windows) or "—"

    @admin.display(description=_("双月协商节奏"))
    def cadence_table(self, obj):
        if obj.pk is None:
            return "—"
        parts = []
        for window in cadence(obj):
            first, last = window["months"]
            items = [m["title"] for m in window["meetings"]] + [
                f"{t['title']}（计划{t['planned_month']}月）" for t in window["topics"]
            ]
            parts.append(f"{first}–{last}月：" + ("；".join(items) or "【空缺】"))
        return "\n".join(parts)

    @admin.action(description=_("党委批准年度协商计划"), permissions=["change"])
    def approve(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("党委批准年度协商计划"),
            act=lambda plan, form: workflow.approve_plan(
                plan, by=request.user, **form.cleaned_data
            ),
            form_class=ApproveForm,
        )


class TopicForm(ActModelForm):
    class Meta:
        model = Topic
        fields = [
            "committee",
            "year",
            "title",
            "reason",
            "proposer_kind",
            "proposer",
            "meeting_kind",
        ]

    def create(self, data):
        return workflow.propose_topic(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_topic(instance, by=self.user, **changes)


class DecisionForm(forms.Form):
    """The reason of a topic decision (optional unless `reason_required`)."""

    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class ConfirmForm(DecisionForm):
    plan = forms.ModelChoiceField(label=_("列入计划"), queryset=Plan.objects.none())
    planned_month = forms.IntegerField(label=_("计划月份"), min_value=1, max_value=12)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = writable(Plan.objects.all(), user)


@admin.register(Topic)
class TopicAdmin(ActAdmin):
    form = TopicForm
    list_display = ["title", "year", "proposer", "meeting_kind", "state", "planned_month"]
    list_filter = [
        ("committee", ScopedRelatedFilter),
        "year",
        "state",
        "meeting_kind",
        "proposer_kind",
    ]
    search_fields = ["title", "proposer"]
    readonly_fields = ["state", "plan", "planned_month", "decision_log"]
    fixed_fields = ("committee",)
    actions = ["shortlist", "confirm", "reject", "export_xlsx"]

    @admin.display(description=_("处理记录"))
    def decision_log(self, obj):
        return (
            "\n".join(
                f"{d.at:%Y-%m-%d %H:%M} {d.by} {d.get_from_state_display()}→"
                f"{d.get_to_state_display()} {d.reason}"
                for d in obj.decisions.select_related("by")
            )
            or "—"
        )

    def _decide(self, request, queryset, title, act, form_class=DecisionForm, **form_kwargs):
        def run(topic, form):
            return act(topic, by=request.user, **form.cleaned_data)

        return bulk_act(
            self, request, queryset, title=title, act=run, form_class=form_class, **form_kwargs
        )

    @admin.action(description=_("列入初选"), permissions=["change"])
    def shortlist(self, request, queryset):
        return self._decide(request, queryset, _("列入初选"), workflow.shortlist_topic)

    @admin.action(description=_("确定并列入年度计划"), permissions=["change"])
    def confirm(self, request, queryset):
        return self._decide(
            request,
            queryset,
            _("确定并列入年度计划"),
            workflow.confirm_topic,
            ConfirmForm,
            user=request.user,
        )

    @admin.action(description=_("不予采纳"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(
            request, queryset, _("不予采纳"), workflow.reject_topic, reason_required=True
        )

    @admin.action(description=_("导出所选议题为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response(
            "topics.xlsx",
            ["年度", "议题", "提出方", "协商形式", "状态", "计划月份"],
            (
                (
                    t.year,
                    t.title,
                    t.proposer,
                    t.get_meeting_kind_display(),
                    t.get_state_display(),
                    t.planned_month,
                )
                for t in queryset
            ),
        )


# --- Meetings ---------------------------------------------------------------------------------


class InvitationInline(ScopedInline, admin.TabularInline):
    model = Invitation
    fields = ["seat", "guest", "role", "status", "leave_reason"]
    readonly_fields = ["status", "leave_reason"]
    autocomplete_fields = ["seat"]
    linkable_fields = ("seat",)  # members of the committees above may be invited
    extra = 0


class SpeechInline(ScopedInline, admin.StackedInline):
    model = Speech
    fields = ["order", "seat", "speaker", "title", "text"]
    autocomplete_fields = ["seat"]
    linkable_fields = ("seat",)
    extra = 0


class SuggestionInline(ScopedInline, admin.TabularInline):
    model = Suggestion
    fields = ["text", "addressee", "status", "responded_on"]
    readonly_fields = ["status", "responded_on"]
    extra = 0
    can_delete = False
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "addressee":
            kwargs["queryset"] = HandlingUnit.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(ScopedInline, admin.StackedInline):
    model = Question
    autocomplete_fields = ["seat"]
    linkable_fields = ("seat",)
    extra = 0


class QuestionnaireInline(ScopedInline, admin.TabularInline):
    model = Questionnaire
    extra = 0


class ReportInline(ScopedInline, admin.StackedInline):
    model = OutcomeReport
    fields = ["title", "text", "sent_on"]
    extra = 0
    can_delete = False
    show_change_link = True


class MediaInline(ScopedInline, admin.TabularInline):
    model = MediaReport
    extra = 0


class MeetingForm(ActModelForm):
    class Meta:
        model = Meeting
        fields = ["committee", *workflow.MEETING_FIELDS, "partners"]

    def create(self, data):
        return workflow.plan_meeting(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_meeting(instance, by=self.user, **changes)


class HoldForm(forms.Form):
    summary = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Meeting)
class MeetingAdmin(ActAdmin):
    form = MeetingForm
    list_display = ["held_on", "title", "kind", "status", "is_closed", "organiser"]
    list_filter = [("committee", ScopedRelatedFilter), "kind", "status", "is_closed", "held_on"]
    search_fields = ["title", "venue"]
    date_hierarchy = "held_on"
    list_select_related = ["organiser"]
    readonly_fields = ["status", "cancel_reason"]
    fixed_fields = ("committee",)
    inlines = [
        InvitationInline,
        QuestionnaireInline,
        SpeechInline,
        QuestionInline,
        SuggestionInline,
        ReportInline,
        MediaInline,
    ]
    actions = ["hold", "cancel", "export_xlsx"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "partners":  # 联动协商: the committees of the same city
            home = Committee.objects.filter(pk=request.user.home_committee_id).first()
            kwargs["queryset"] = (
                workflow.joint_partner_choices(home) if home else Committee.objects.all()
            )
            return admin.ModelAdmin.formfield_for_manytomany(self, db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """Invitations, speeches, suggestions and reports go through the workflow."""
        meeting, by = form.instance, request.user
        if formset.model is Invitation:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.invite(
                    meeting,
                    seats=[data["seat"]] if data.get("seat") else [],
                    guests=[] if data.get("seat") else [(data["guest"], data["role"])],
                    by=by,
                ),
                update=lambda invitation, changes: invitation.save(),
                delete=lambda invitation: invitation.delete(),
            )
        elif formset.model is Speech:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.record_speech(
                    meeting,
                    by=by,
                    seat=data.get("seat"),
                    speaker=data.get("speaker", ""),
                    title=data["title"],
                    text=data.get("text", ""),
                    order=data.get("order") or 0,
                ),
                update=lambda speech, changes: speech.save(),
                delete=lambda speech: workflow.delete_speech(speech, by=by),
            )
        elif formset.model is Suggestion:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.record_suggestion(
                    meeting=meeting, text=data["text"], addressee=data["addressee"], by=by
                ),
                update=lambda suggestion, changes: workflow.update_suggestion(
                    suggestion, by=by, **changes
                ),
            )
        elif formset.model is OutcomeReport:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.record_report(
                    meeting=meeting,
                    title=data["title"],
                    text=data["text"],
                    sent_on=data.get("sent_on"),
                    by=by,
                ),
                update=lambda report, changes: workflow.update_report(report, by=by, **changes),
            )
        else:
            super().save_formset(request, form, formset, change)

    @admin.action(description=_("会议已召开"), permissions=["change"])
    def hold(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("会议已召开"),
            act=lambda meeting, form: workflow.hold_meeting(
                meeting, by=request.user, **form.cleaned_data
            ),
            form_class=HoldForm,
        )

    @admin.action(description=_("取消会议"), permissions=["change"])
    def cancel(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("取消会议"),
            act=lambda meeting, form: workflow.cancel_meeting(
                meeting, by=request.user, **form.cleaned_data
            ),
            form_class=CancelForm,
        )

    @admin.action(description=_("导出所选会议为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response("meetings.xlsx", MEETING_HEADINGS, meeting_rows(queryset))


@admin.register(Invitation)
class InvitationAdmin(ActPageAdmin):
    """Invitations, the leave requests of the nearest meeting first; an invitation's page offers
    the acts its state allows as buttons."""

    list_display = ["__str__", "meeting", "held_on", "role", "status", "leave_reason"]
    ordering = ["-meeting__held_on", "id"]
    confirm_acts = ("sign_in", "approve_leave", "refuse_leave")
    list_filter = ["status", "role", ("meeting__committee", ScopedRelatedFilter)]
    search_fields = ["seat__person__name", "guest", "meeting__title"]
    list_select_related = ["seat__person", "meeting"]
    readonly_fields = [
        "meeting",
        "seat",
        "guest",
        "role",
        "status",
        "signed_in_at",
        "leave_reason",
        "leave_decided_by",
        "leave_decision_note",
    ]
    actions = ["sign_in", "approve_leave", "refuse_leave"]

    def has_add_permission(self, request):
        return False  # invite from the meeting's page

    def get_ordering(self, request):
        if request.GET.get("status__exact") == Invitation.Status.LEAVE_REQUESTED:
            return ["meeting__held_on", "id"]  # leave to decide: the nearest meeting first
        return super().get_ordering(request)

    @admin.display(description=_("会议日期"), ordering="meeting__held_on")
    def held_on(self, invitation):
        return invitation.meeting.held_on

    def page_acts(self, request, obj) -> list[str]:
        meeting, status = obj.meeting, obj.status
        if not self.has_change_permission(request, obj):
            return []
        if status == Invitation.Status.LEAVE_REQUESTED and meeting.status == Meeting.Status.PLANNED:
            return ["approve_leave", "refuse_leave"]
        if (
            status in (Invitation.Status.INVITED, Invitation.Status.LEAVE_REFUSED)
            and meeting.status != Meeting.Status.CANCELLED
            and meeting.held_on <= timezone.localdate()
        ):
            return ["sign_in"]
        return []

    def _each(self, request, queryset, act, **kwargs):
        done = 0
        for invitation in queryset:
            try:
                act(invitation, by=request.user, **kwargs)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{invitation}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("已处理 %(n)d 人。") % {"n": done})

    @admin.action(description=_("代为签到"), permissions=["change"])
    def sign_in(self, request, queryset):
        self._each(request, queryset, workflow.sign_in)

    @admin.action(description=_("准假"), permissions=["change"])
    def approve_leave(self, request, queryset):
        self._each(request, queryset, workflow.decide_leave, approve=True)

    @admin.action(description=_("不准假"), permissions=["change"])
    def refuse_leave(self, request, queryset):
        self._each(request, queryset, workflow.decide_leave, approve=False)


# --- Outcomes ---------------------------------------------------------------------------------


class InstructionInline(ScopedInline, admin.StackedInline):
    model = Instruction
    fk_name = "suggestion"
    fields = ["leader", "given_on", "text"]
    extra = 0
    can_delete = False


class ReportInstructionInline(InstructionInline):
    fk_name = "report"


def _save_instructions(model_admin, request, formset, **target):
    model_admin.run_inline(
        request,
        formset,
        create=lambda data: workflow.record_instruction(
            leader=data["leader"],
            given_on=data["given_on"],
            text=data["text"],
            by=request.user,
            **target,
        ),
        update=lambda instruction, changes: workflow.update_instruction(
            instruction, by=request.user, **changes
        ),
    )


class SuggestionForm(ActModelForm):
    class Meta:
        model = Suggestion
        fields = ["meeting", "text", "addressee"]

    def create(self, data):
        return workflow.record_suggestion(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_suggestion(instance, by=self.user, **changes)


class RespondForm(forms.Form):
    status = forms.ChoiceField(
        label=_("采纳情况"),
        choices=[
            (s.value, s.label)
            for s in (
                Suggestion.Status.ADOPTED,
                Suggestion.Status.PARTLY,
                Suggestion.Status.NOT_ADOPTED,
            )
        ],
    )
    response = forms.CharField(
        label=_("单位反馈"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responded_on = forms.DateField(label=_("反馈日期"))


@admin.register(Suggestion)
class SuggestionAdmin(ActAdmin):
    form = SuggestionForm
    list_display = ["__str__", "meeting", "addressee", "status", "responded_on"]
    list_filter = ["status", ("meeting__committee", ScopedRelatedFilter), "addressee"]
    search_fields = ["text", "response"]
    list_select_related = ["meeting", "addressee"]
    readonly_fields = ["status", "response", "responded_on"]
    inlines = [InstructionInline]
    actions = ["respond", "export_xlsx"]

    def save_formset(self, request, form, formset, change):
        _save_instructions(self, request, formset, suggestion=form.instance)

    @admin.action(description=_("登记单位反馈"), permissions=["change"])
    def respond(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("登记单位反馈"),
            act=lambda suggestion, form: workflow.respond_to_suggestion(
                suggestion, by=request.user, **form.cleaned_data
            ),
            form_class=RespondForm,
        )

    @admin.action(description=_("导出所选意见建议为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response(
            "suggestions.xlsx",
            ["会议", "意见建议", "送达单位", "采纳情况", "反馈日期", "单位反馈"],
            (
                (
                    s.meeting.title,
                    s.text,
                    s.addressee.name,
                    s.get_status_display(),
                    s.responded_on,
                    s.response,
                )
                for s in queryset
            ),
        )


class OutcomeReportForm(ActModelForm):
    class Meta:
        model = OutcomeReport
        fields = ["meeting", "title", "text", "sent_on"]

    def create(self, data):
        return workflow.record_report(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_report(instance, by=self.user, **changes)


@admin.register(OutcomeReport)
class OutcomeReportAdmin(ActAdmin):
    form = OutcomeReportForm
    list_display = ["title", "meeting", "sent_on"]
    list_filter = [("meeting__committee", ScopedRelatedFilter)]
    search_fields = ["title", "text"]
    inlines = [ReportInstructionInline]

    def save_formset(self, request, form, formset, change):
        _save_instructions(self, request, formset, report=form.instance)


# --- Preparation ------------------------------------------------------------------------------


class ResearchVisitForm(ActModelForm):
    class Meta:
        model = ResearchVisit
        fields = ["committee", "meeting", "visited_on", "place", "participants", "findings"]

    def create(self, data):
        return workflow.record_research_visit(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_research_visit(instance, by=self.user, **changes)


@admin.register(ResearchVisit)
class ResearchVisitAdmin(ActAdmin):
    form = ResearchVisitForm
    list_display = ["visited_on", "place", "meeting"]
    list_filter = [("committee", ScopedRelatedFilter), "visited_on"]
    search_fields = ["place", "findings"]
    autocomplete_fields = ["participants"]
    linkable_fields = ("participants",)  # members of the committees above may take part
    fixed_fields = ("committee",)
    date_hierarchy = "visited_on"
