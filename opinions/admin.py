"""Admin of the public-opinion office: the queues (unscreened, being edited, reported, waiting for
an outcome), one-click acts that call opinions.workflow, the duplicate suggestions on each piece,
and Excel export of any filtered list."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ActForm,
    ActPageAdmin,
    CommitteeScopedAdmin,
    ScopedInline,
    ScopedRelatedFilter,
    bulk_act,
)
from core.errors import DomainError
from core.excel import table_response
from core.files import download_links
from core.params import valid_year
from core.scoping import writable
from members.models import Level
from opinions import workflow
from opinions.models import (
    Category,
    Outcome,
    Piece,
    PieceState,
    Report,
    ReportState,
    Step,
    SubmitterKind,
    Target,
)
from opinions.permissions import is_office
from opinions.selectors import outcomes_of, waiting_for_outcome, with_outcome
from opinions.similarity import similar_pieces


class ReadOnlyInline(ScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PieceStepInline(ReadOnlyInline):
    model = Step
    fk_name = "piece"
    fields = ["at", "action", "from_state", "to_state", "by", "opinion"]
    readonly_fields = fields


class ReportStepInline(PieceStepInline):
    fk_name = "report"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CombineForm(forms.Form):
    title = forms.CharField(label=_("编报稿标题（留空则用第一篇的标题）"), required=False)
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", "—"), *Category.choices], required=False
    )


class DeliverForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("报送对象"), choices=Target.choices, widget=forms.CheckboxSelectMultiple
    )
    on = forms.DateField(
        label=_("报送日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Outcome.Kind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    leader = forms.CharField(label=_("批示领导"), required=False)
    department = forms.CharField(label=_("落实部门"), required=False)
    content = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilter(admin.SimpleListFilter):
    title = _("工作队列")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("unscreened", _("待筛选")),
            ("editing", _("待编辑")),
        ]

    def queryset(self, request, queryset):
        # A queue holds what the user acts on: a municipal office reads its districts' pieces
        # but works only its own.
        states = {"unscreened": [PieceState.SUBMITTED], "editing": [PieceState.ACCEPTED]}
        if self.value() in states:
            return writable(queryset, request.user).filter(state__in=states[self.value()])
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The year received: the last five, without a query over every piece for their dates."""

    title = _("收到年度")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, this_year - 5, -1)]

    def queryset(self, request, queryset):
        year = valid_year(self.value())
        return queryset.filter(received_at__year=year) if year else queryset


@admin.register(Piece)
class PieceAdmin(ActPageAdmin):
    """The office's queue of pieces; a piece's page offers the screening acts its state allows
    as buttons (and 合并编报 once accepted)."""

    list_display = [
        "title",
        "submitter_name",
        "submitter_kind",
        "category",
        "state",
        "received_at",
        "report",
    ]
    list_filter = [
        QueueFilter,
        YearFilter,
        "state",
        "submitter_kind",
        "category",
        ("committee", ScopedRelatedFilter),
        ("sector", ScopedRelatedFilter),
    ]
    search_fields = ["title", "seat__person__name", "body_name"]
    list_select_related = [
        "seat__person",
        "report",
        "workstation",
        "special_committee",
        "sector",
        "party",
        "forwarded_from__committee",
    ]
    readonly_fields = [
        "committee",
        "title",
        "content",
        "category",
        "submitter_kind",
        "seat",
        "party",
        "sector",
        "special_committee",
        "workstation",
        "body_name",
        "source_activity",
        "source_proposal",
        "forwarded_from",
        "state",
        "screening_note",
        "report",
        "received_at",
        "screened_at",
        "similar",
        "outcomes",
        "attachment_links",
    ]
    exclude = ["created_by", "co_authors", "submitted_at"]
    inlines = [PieceStepInline]
    actions = ["accept", "keep", "send_back", "combine", "export_xlsx"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(state=PieceState.DRAFT)

    def has_add_permission(self, request):
        return False  # pieces are written in the portal or entered through the API

    def page_acts(self, request, obj) -> list[str]:
        if not is_office(request.user, obj.committee_id):
            return []
        if obj.state == PieceState.SUBMITTED:
            lower = obj.submitter_kind == SubmitterKind.LOWER_COMMITTEE  # kept, never returned
            return ["accept", "keep"] if lower else ["accept", "keep", "send_back"]
        return ["combine"] if obj.state == PieceState.ACCEPTED else []

    @admin.display(description=_("报送人"))
    def submitter_name(self, obj):
        return obj.submitter

    @admin.display(description=_("相似信息（近12个月）"))
    def similar(self, obj):
        rows = similar_pieces(obj)
        if not rows:
            return "—"
        return format_html_join(
            "",
            '<div><a href="{}">{}</a>（{}，{}）</div>',
            (
                (
                    reverse("admin:opinions_piece_change", args=[piece.pk]),
                    piece.title,
                    f"{score:.0%}",
                    piece.get_state_display(),
                )
                for piece, score in rows
            ),
        )

    @admin.display(description=_("附件"))
    def attachment_links(self, obj):
        return download_links(
            (reverse("opinions:attachment", args=[a.pk]), a.name) for a in obj.attachments.all()
        )

    @admin.display(description=_("采用与批示"))
    def outcomes(self, obj):
        rows = outcomes_of(obj)
        return (
            format_html_join(
                "", "<div>{}：{}</div>", ((str(o), o.leader or o.content) for o in rows)
            )
            or "—"
        )

    def _run(self, request, queryset, title, act, form_class=ActForm):
        return bulk_act(self, request, queryset, title=title, act=act, form_class=form_class)

    @admin.action(description=_("采用待编辑"), permissions=["change"])
    def accept(self, request, queryset):
        def act(piece, form):
            workflow.screen(
                piece, decision="accept", reason=form.cleaned_data["opinion"], by=request.user
            )

        return self._run(request, queryset, _("采用待编辑"), act)

    @admin.action(description=_("存档备查"), permissions=["change"])
    def keep(self, request, queryset):
        def act(piece, form):
            workflow.screen(
                piece, decision="keep", reason=form.cleaned_data["reason"], by=request.user
            )

        return self._run(request, queryset, _("存档备查"), act, ReasonForm)

    @admin.action(description=_("退回补充"), permissions=["change"])
    def send_back(self, request, queryset):
        def act(piece, form):
            workflow.screen(
                piece, decision="return", reason=form.cleaned_data["reason"], by=request.user
            )

        return self._run(request, queryset, _("退回补充"), act, ReasonForm)

    @admin.action(description=_("合并编报"), permissions=["change"])
    def combine(self, request, queryset):
        """All the selected pieces become one report."""
        applying = "apply" in request.POST
        form = CombineForm(request.POST if applying else None)
        if applying and form.is_valid():
            try:
                report = workflow.combine(list(queryset), by=request.user, **form.cleaned_data)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request, _("已编入编报稿：%(r)s") % {"r": report}, messages.SUCCESS
                )
            return None
        return TemplateResponse(
            request,
            "admin/bulk_act.html",
            {
                **self.admin_site.each_context(request),
                "title": _("合并编报"),
                "rows": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("导出所选信息为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response(
            "opinions.xlsx",
            ["标题", "报送人", "报送主体", "类别", "状态", "收到时间", "编报稿"],
            (
                [
                    p.title,
                    p.submitter,
                    p.get_submitter_kind_display(),
                    p.get_category_display(),
                    p.get_state_display(),
                    p.received_at.strftime("%Y-%m-%d") if p.received_at else "",
                    str(p.report) if p.report_id else "",
                ]
                for p in queryset
            ),
        )


class ReportQueueFilter(admin.SimpleListFilter):
    title = _("工作队列")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("editing", _("编辑中")),
            ("reported", _("已报送")),
            ("waiting", _("待反馈采用情况")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return waiting_for_outcome(writable(queryset, request.user))
        if self.value() == "editing":
            return writable(queryset, request.user).filter(state=ReportState.EDITING)
        if self.value() == "reported":
            return queryset.filter(state=ReportState.REPORTED)
        return queryset


class OutcomeInline(ReadOnlyInline):
    model = Outcome
    fk_name = "report"
    fields = ["kind", "level", "on", "leader", "department", "content", "recorded_by"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(CommitteeScopedAdmin):
    list_display = ["__str__", "state", "piece_count", "issued_on", "reported_on", "has_outcome"]
    list_filter = [ReportQueueFilter, "state", "year", ("committee", ScopedRelatedFilter)]
    search_fields = ["title"]
    readonly_fields = [
        "committee",
        "state",
        "year",
        "number",
        "issued_on",
        "reported_on",
        "edited_by",
        "pieces_list",
    ]
    fields = ["title", "content", "category", *readonly_fields]
    inlines = [OutcomeInline, ReportStepInline]
    actions = ["issue", "deliver", "record_outcome", "export_xlsx"]

    def get_queryset(self, request):
        return with_outcome(super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # a report is made by combining pieces

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != ReportState.EDITING:
            return ["title", "content", "category", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        workflow.edit_report(
            obj,
            by=request.user,
            title=obj.title,
            content=obj.content,
            category=obj.category,
        )

    @admin.display(description=_("篇数"))
    def piece_count(self, obj):
        return obj.piece_count

    @admin.display(description=_("已有反馈"), boolean=True)
    def has_outcome(self, obj):
        return obj.has_outcome

    @admin.display(description=_("所含信息"))
    def pieces_list(self, obj):
        return format_html_join(
            "",
            '<div><a href="{}">{}</a>（{}）</div>',
            (
                (reverse("admin:opinions_piece_change", args=[p.pk]), p.title, p.submitter)
                for p in obj.pieces.select_related("seat__person", "forwarded_from__committee")
            ),
        )

    def _run(self, request, queryset, title, act, form_class=ActForm):
        return bulk_act(self, request, queryset, title=title, act=act, form_class=form_class)

    @admin.action(description=_("编发（编期号）"), permissions=["change"])
    def issue(self, request, queryset):
        def act(report, form):
            workflow.issue(report, by=request.user)

        return self._run(request, queryset.order_by("pk"), _("编发（编期号）"), act)

    @admin.action(description=_("报送"), permissions=["change"])
    def deliver(self, request, queryset):
        def act(report, form):
            workflow.deliver(
                report,
                targets=form.cleaned_data["targets"],
                on=form.cleaned_data["on"],
                by=request.user,
            )

        return self._run(request, queryset, _("报送"), act, DeliverForm)

    @admin.action(description=_("记录采用、批示或落实"), permissions=["change"])
    def record_outcome(self, request, queryset):
        def act(report, form):
            workflow.record_outcome(report, by=request.user, **form.cleaned_data)

        return self._run(request, queryset, _("记录采用、批示或落实"), act, OutcomeForm)

    @admin.action(description=_("导出所选编报稿为 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return table_response(
            "opinion-reports.xlsx",
            ["年度", "期号", "标题", "状态", "篇数", "编发日期", "报送日期", "已有反馈"],
            (
                [
                    r.year,
                    r.number,
                    r.title,
                    r.get_state_display(),
                    r.piece_count,
                    r.issued_on,
                    r.reported_on,
                    "是" if r.has_outcome else "",
                ]
                for r in queryset
            ),
        )
