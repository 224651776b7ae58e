"""Admin of the consultation office: plan → topics → meetings, with inlines for participants,
speeches and suggestions, one-click topic decisions and Excel export. Acts go through
consultations.workflow."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from consultations import workflow
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
from core.admin import CommitteeScopedAdmin, ScopedRelatedFilter
from core.errors import DomainError
from core.excel import table_response
from core.scoping import writable
from members.models import HandlingUnit, SpecialCommittee


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ["title", "proposer", "meeting_kind", "state", "planned_month"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "year", "approved_on", "gaps"]
    list_filter = [("committee", ScopedRelatedFilter), "year"]
    inlines = [TopicInline]
    readonly_fields = ["cadence_table"]

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


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea, required=False)
    plan = forms.ModelChoiceField(label=_("列入计划"), queryset=Plan.objects.none(), required=False)
    planned_month = forms.IntegerField(
        label=_("计划月份"), min_value=1, max_value=12, required=False
    )


@admin.register(Topic)
class TopicAdmin(CommitteeScopedAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = {
            name: form.cleaned_data[name]
            for name in (
                "committee",
                "year",
                "title",
                "reason",
                "proposer_kind",
                "proposer",
                "meeting_kind",
            )
        }
        obj.pk = workflow.propose_topic(by=request.user, **data).pk
        return None

    def _decide(self, request, queryset, act, title, *, needs_plan=False, needs_reason=False):
        if "apply" in request.POST:
            form = DecisionForm(request.POST)
            form.fields["plan"].queryset = writable(Plan.objects.all(), request.user)
            if form.is_valid() and not (
                needs_plan
                and not (form.cleaned_data["plan"] and form.cleaned_data["planned_month"])
            ):
                done = 0
                for topic in queryset:
                    extra = (
                        {
                            "plan": form.cleaned_data["plan"],
                            "planned_month": form.cleaned_data["planned_month"],
                        }
                        if needs_plan
                        else {}
                    )
                    try:
                        act(topic, by=request.user, reason=form.cleaned_data["reason"], **extra)
                        done += 1
                    except DomainError as error:
                        self.message_user(request, f"{topic}: {error.message}", messages.ERROR)
                if done:
                    self.message_user(request, _("已处理 %(n)d 个议题。") % {"n": done})
                return None
            self.message_user(request, _("请填写计划和月份。"), messages.ERROR)
        form = DecisionForm()
        form.fields["plan"].queryset = writable(Plan.objects.all(), request.user)
        if not needs_plan:
            del form.fields["plan"], form.fields["planned_month"]
        form.fields["reason"].required = needs_reason
        return TemplateResponse(
            request,
            "admin/consultations/topic_decision.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "topics": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("列入初选"), permissions=["change"])
    def shortlist(self, request, queryset):
        return self._decide(request, queryset, workflow.shortlist_topic, _("列入初选"))

    @admin.action(description=_("确定并列入年度计划"), permissions=["change"])
    def confirm(self, request, queryset):
        return self._decide(
            request, queryset, workflow.confirm_topic, _("确定并列入年度计划"), needs_plan=True
        )

    @admin.action(description=_("不予采纳"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(
            request, queryset, workflow.reject_topic, _("不予采纳"), needs_reason=True
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


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["seat", "guest", "role", "status", "leave_reason"]
    readonly_fields = ["status", "leave_reason"]
    autocomplete_fields = ["seat"]
    extra = 0


class SpeechInline(admin.StackedInline):
    model = Speech
    fields = ["order", "seat", "speaker", "title", "text"]
    autocomplete_fields = ["seat"]
    extra = 0


class SuggestionInline(admin.TabularInline):
    model = Suggestion
    fields = ["text", "addressee", "status", "responded_on"]
    readonly_fields = ["status", "responded_on"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "addressee":
            kwargs["queryset"] = writable(HandlingUnit.objects.filter(is_active=True), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(admin.StackedInline):
    model = Question
    autocomplete_fields = ["seat"]
    extra = 0


class QuestionnaireInline(admin.TabularInline):
    model = Questionnaire
    extra = 0


class ReportInline(admin.StackedInline):
    model = OutcomeReport
    extra = 0
    show_change_link = True


class MediaInline(admin.TabularInline):
    model = MediaReport
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(CommitteeScopedAdmin):
    list_display = ["held_on", "title", "kind", "status", "is_closed", "organiser"]
    list_filter = [("committee", ScopedRelatedFilter), "kind", "status", "is_closed", "held_on"]
    search_fields = ["title", "venue"]
    date_hierarchy = "held_on"
    list_select_related = ["organiser"]
    inlines = [
        InvitationInline,
        QuestionnaireInline,
        SpeechInline,
        QuestionInline,
        SuggestionInline,
        ReportInline,
        MediaInline,
    ]
    actions = ["export_xlsx"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("organiser", "topic"):
            model = SpecialCommittee if db_field.name == "organiser" else Topic
            kwargs["queryset"] = writable(model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """New invitations and speeches go through the workflow (acts, history)."""
        if formset.model not in (Invitation, Speech):
            return super().save_formset(request, form, formset, change)
        meeting = form.instance
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if not data or not inline_form.has_changed():
                continue
            try:
                if data.get("DELETE") and inline_form.instance.pk:
                    if formset.model is Speech:
                        workflow.delete_speech(inline_form.instance, by=request.user)
                    else:
                        inline_form.instance.delete()
                elif inline_form.instance.pk:
                    inline_form.save()
                elif formset.model is Invitation:
                    workflow.invite(
                        meeting,
                        seats=[data["seat"]] if data.get("seat") else [],
                        guests=[] if data.get("seat") else [(data["guest"], data["role"])],
                        by=request.user,
                    )
                else:
                    workflow.record_speech(
                        meeting,
                        by=request.user,
                        seat=data.get("seat"),
                        speaker=data.get("speaker", ""),
                        title=data["title"],
                        text=data.get("text", ""),
                        order=data.get("order", 0),
                    )
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
        return None

    @admin.action(description=_("导出所选会议为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        queryset = queryset.prefetch_related("suggestions", "speeches")
        return table_response(
            "meetings.xlsx",
            ["日期", "会议", "类型", "状态", "发言", "意见建议"],
            (
                (
                    m.held_on,
                    m.title,
                    m.get_kind_display(),
                    m.get_status_display(),
                    len(m.speeches.all()),
                    len(m.suggestions.all()),
                )
                for m in queryset
            ),
        )


@admin.register(Invitation)
class InvitationAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "meeting", "role", "status", "leave_reason"]
    list_filter = ["status", "role", ("meeting__committee", ScopedRelatedFilter)]
    search_fields = ["seat__person__name", "guest", "meeting__title"]
    list_select_related = ["seat__person", "meeting"]
    readonly_fields = [
        "meeting",
        "seat",
        "guest",
        "status",
        "signed_in_at",
        "leave_reason",
        "leave_decided_by",
    ]
    actions = ["sign_in", "approve_leave", "refuse_leave"]

    def has_add_permission(self, request):
        return False  # invite from the meeting's page

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


class InstructionInline(admin.StackedInline):
    model = Instruction
    fk_name = "suggestion"
    extra = 0


@admin.register(Suggestion)
class SuggestionAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "meeting", "addressee", "status", "responded_on"]
    list_filter = ["status", ("meeting__committee", ScopedRelatedFilter), "addressee"]
    search_fields = ["text", "response"]
    list_select_related = ["meeting", "addressee"]
    inlines = [InstructionInline]
    actions = ["export_xlsx"]

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


class ReportInstructionInline(admin.StackedInline):
    model = Instruction
    fk_name = "report"
    extra = 0


@admin.register(OutcomeReport)
class OutcomeReportAdmin(CommitteeScopedAdmin):
    list_display = ["title", "meeting", "sent_on"]
    list_filter = [("meeting__committee", ScopedRelatedFilter)]
    search_fields = ["title", "text"]
    inlines = [ReportInstructionInline]


@admin.register(ResearchVisit)
class ResearchVisitAdmin(CommitteeScopedAdmin):
    list_display = ["visited_on", "place", "meeting"]
    list_filter = [("committee", ScopedRelatedFilter), "visited_on"]
    search_fields = ["place", "findings"]
    autocomplete_fields = ["participants"]
    date_hierarchy = "visited_on"

    def save_related(self, request, form, formsets, change):
        """Participants are set through the workflow, which keeps their research acts."""
        participants = form.cleaned_data.pop("participants", [])
        super().save_related(request, form, formsets, change)
        workflow.set_research_participants(form.instance, participants, by=request.user)
