"""Admin of the brand office 工作品牌办公室 and the district brand offices: the registry (series,
brands with their figures, milestones and images), the evaluation rounds with one action per
step, the eligibility queue, the results export, the fraud dashboard with its invalidations and
a read-only audit of the votes.

Thin: every save and every action is an act of brands.workflow (change forms rehearse their act
while validating, so refusals show as field errors; actions report refusals per row). Individual
expert scores are secret: the Score model is not registered and nothing here shows one.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brands import selectors, tally, workflow
from brands.models import (
    Brand,
    Candidate,
    Criterion,
    Expert,
    Image,
    Invalidation,
    KeyFigure,
    Milestone,
    Round,
    Series,
    Vote,
    Voter,
)
from core.admin import (
    ActAdmin,
    ActModelForm,
    CommitteeScopedAdmin,
    ScopedInline,
    ScopedRelatedFilter,
    bulk_act,
)
from core.errors import DomainError, Invalid
from core.excel import table_response
from core.files import DownloadFileInput, download_links
from core.roles import Role
from core.scoping import linkable, readable
from members.models import Committee, SpecialCommittee, User

PART_KINDS = {KeyFigure: "figure", Milestone: "milestone", Image: "image"}
REFUSAL_LABELS = {
    "closed": _("投票未开放"),
    "candidate": _("不在投票范围内"),
    "duplicate": _("重复投票"),
    "daily_limit": _("超过每日投票品牌数"),
    "rate_limited": _("请求过于频繁"),
}


def _own(formset, data: dict) -> dict:
    """An inline row's own fields: not its id, its link to the parent or its delete box."""
    skip = {"id", "DELETE", formset.fk.name}
    return {name: value for name, value in data.items() if name not in skip}


class ConfirmForm(forms.Form):
    """A step of a round needs no input: the page lists the rounds and asks to confirm."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


# --- The registry ----------------------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(CommitteeScopedAdmin):
    list_display = ["name", "committee", "order"]
    list_filter = [("committee", ScopedRelatedFilter)]
    search_fields = ["name"]


class ActInline(ScopedInline):
    """An inline whose rows are saved and deleted through acts (the admin's save_formset): the
    roles hold no delete permission, the act decides who may remove a row."""

    extra = 0

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class PartInline(ActInline, admin.TabularInline):
    """A brand's key figures, milestones and images: saved row by row through
    workflow.save_part / delete_part (BrandAdmin.save_formset)."""


class KeyFigureInline(PartInline):
    model = KeyFigure
    fields = ["label", "value", "unit", "order"]


class MilestoneInline(PartInline):
    model = Milestone
    fields = ["happened_on", "title", "description"]


def _image_url(image) -> str:
    return reverse("brands:image", args=[image.pk])


class ImageInline(PartInline):
    model = Image
    fields = ["file", "caption", "order"]
    # "Currently" links to the image view (MEDIA_ROOT is not served).
    formfield_overrides = {models.FileField: {"widget": DownloadFileInput(url=_image_url)}}


class BrandForm(ActModelForm):
    class Meta:
        model = Brand
        fields = ["committee", *workflow.EDITABLE]

    def create(self, data):
        return workflow.create_brand(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_brand(instance, by=self.user, **changes)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Brand.Status.choices)
    merged_into = forms.ModelChoiceField(
        label=_("并入品牌"), queryset=Brand.objects.none(), required=False
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A brand merges into one of its own committee or of a committee above it.
        self.fields["merged_into"].queryset = linkable(
            Brand.objects.filter(status=Brand.Status.ACTIVE), user
        )


@admin.register(Brand)
class BrandAdmin(ActAdmin):
    form = BrandForm
    list_display = ["name", "series", "owner", "founded_year", "status"]
    list_filter = [
        ("series", ScopedRelatedFilter),
        "status",
        ("committee", ScopedRelatedFilter),
    ]
    search_fields = ["name"]
    list_select_related = ["series", "committee", "special_committee"]
    readonly_fields = ["status", "merged_into"]
    fixed_fields = ("committee",)
    linkable_fields = ("series",)  # a district brand sits in a municipal series
    inlines = [KeyFigureInline, MilestoneInline, ImageInline]
    actions = ["change_status"]

    @admin.display(description=_("所属"))
    def owner(self, obj):
        return obj.owner_label

    def save_formset(self, request, form, formset, change):
        brand, by = form.instance, request.user
        kind = PART_KINDS[formset.model]
        self.run_inline(
            request,
            formset,
            create=lambda data: workflow.save_part(brand, kind, by=by, **_own(formset, data)),
            update=lambda part, changes: workflow.save_part(
                brand, kind, by=by, instance=part, **_own(formset, changes)
            ),
            delete=lambda part: workflow.delete_part(part, by=by),
        )

    @admin.action(description=_("变更状态"), permissions=["change"])
    def change_status(self, request, queryset):
        def act(brand, form):
            data = form.cleaned_data
            workflow.change_status(
                brand,
                by=request.user,
                status=data["status"],
                reason=data["reason"],
                merged_into=data["merged_into"],
            )

        return bulk_act(
            self,
            request,
            queryset,
            title=_("变更状态"),
            act=act,
            form_class=StatusForm,
            user=request.user,
        )


# --- Rounds ----------------------------------------------------------------------------------


class CriterionInline(ActInline, admin.TabularInline):
    model = Criterion
    fields = ["name", "weight", "max_score", "order"]


class ExpertInline(ActInline, admin.TabularInline):
    """The panel: experts may come from the districts the organiser reads (their unit defaults
    to their account's committee). Removing one is recorded with a fixed reason."""

    model = Expert
    fields = ["user", "committee", "special_committee", "completed_at"]
    readonly_fields = ["completed_at"]

    def _scope_choices(self, db_field, request, kwargs):
        user = request.user
        if db_field.name == "user":
            experts = User.objects.filter(groups__name=Role.BRAND_EXPERT, is_active=True)
            kwargs["queryset"] = readable(experts, user)
        elif db_field.name == "committee":
            kwargs["queryset"] = readable(Committee.objects.all(), user, via="id")
        elif db_field.name == "special_committee":
            kwargs["queryset"] = readable(SpecialCommittee.objects.all(), user)
        else:
            super()._scope_choices(db_field, request, kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "committee":
            field.required = False
            field.help_text = _("留空为专家账号所属政协。")
        return field


class RoundForm(ActModelForm):
    class Meta:
        model = Round
        fields = ["committee", "year", "title", "series", *workflow.RULE_FIELDS]
        fields += list(workflow.DATE_FIELDS)

    def create(self, data):
        return workflow.create_round(by=self.user, **data)

    def update(self, instance, changes):
        return workflow.update_round(instance, by=self.user, **changes)


def _award(value: str) -> str:
    return str(Candidate.Award(value).label) if value else ""


@admin.register(Round)
class RoundAdmin(ActAdmin):
    form = RoundForm
    list_display = [
        "title",
        "year",
        "committee",
        "state",
        "nomination_closes_on",
        "voting_closes_at",
    ]
    list_filter = [("committee", ScopedRelatedFilter), "year", "state"]
    search_fields = ["title"]
    list_select_related = ["committee"]
    readonly_fields = ["state", "published_at", "scoring_progress", "fraud_link"]
    fixed_fields = ("committee",)
    inlines = [CriterionInline, ExpertInline]
    actions = [
        "open_nominations",
        "close_nominations",
        "start_scoring",
        "open_voting",
        "close_voting",
        "publish",
        "export_results",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != Round.State.SETUP:
            fields += ["year", "title", "series", *workflow.RULE_FIELDS]  # fixed once open
        if obj is not None and obj.state == Round.State.PUBLISHED:
            fields += list(workflow.DATE_FIELDS)
        return fields

    @admin.display(description=_("评分进度"))
    def scoring_progress(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = workflow.progress(obj)
        if not rows:
            return gettext("尚未组建专家评审组。")
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row["expert"],
                    row["to_score"],
                    row["scored"],
                    timezone.localtime(row["completed_at"]).strftime("%Y-%m-%d %H:%M")
                    if row["completed_at"]
                    else "—",
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("专家"),
            gettext("应评品牌"),
            gettext("已评品牌"),
            gettext("完成时间"),
            body,
        )

    @admin.display(description=_("投票监测"))
    def fraud_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:brands_round_fraud", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("投票监测与作废"))

    def save_formset(self, request, form, formset, change):
        round_, by = form.instance, request.user
        if formset.model is Criterion:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.save_criterion(round_, by=by, **_own(formset, data)),
                update=lambda criterion, changes: workflow.save_criterion(
                    round_, by=by, instance=criterion, **_own(formset, changes)
                ),
                delete=lambda criterion: workflow.delete_criterion(criterion, by=by),
            )
        elif formset.model is Expert:
            self.run_inline(
                request,
                formset,
                create=lambda data: workflow.add_expert(
                    round_,
                    by=by,
                    user=data["user"],
                    committee=data.get("committee"),
                    special_committee=data.get("special_committee"),
                ),
                update=_experts_are_not_edited,
                delete=lambda expert: workflow.remove_expert(
                    expert, by=by, reason=gettext("管理员移出评审组")
                ),
            )
        else:  # pragma: no cover - every inline is handled above
            super().save_formset(request, form, formset, change)

    # --- The steps ---

    def _step(self, request, queryset, title, act):
        return bulk_act(
            self,
            request,
            queryset,
            title=title,
            act=lambda round_, form: act(round_, by=request.user),
            form_class=ConfirmForm,
        )

    @admin.action(description=_("开始申报"), permissions=["change"])
    def open_nominations(self, request, queryset):
        return self._step(request, queryset, _("开始申报"), workflow.open_nominations)

    @admin.action(description=_("截止申报，进入资格审核"), permissions=["change"])
    def close_nominations(self, request, queryset):
        return self._step(
            request, queryset, _("截止申报，进入资格审核"), workflow.close_nominations
        )

    @admin.action(description=_("开始专家评分"), permissions=["change"])
    def start_scoring(self, request, queryset):
        return self._step(request, queryset, _("开始专家评分"), workflow.start_scoring)

    @admin.action(description=_("开始网络投票"), permissions=["change"])
    def open_voting(self, request, queryset):
        return self._step(request, queryset, _("开始网络投票"), workflow.open_voting)

    @admin.action(description=_("结束投票，综合评定"), permissions=["change"])
    def close_voting(self, request, queryset):
        return self._step(request, queryset, _("结束投票，综合评定"), workflow.close_voting)

    @admin.action(description=_("发布结果"), permissions=["change"])
    def publish(self, request, queryset):
        return self._step(request, queryset, _("发布结果"), workflow.publish)

    @admin.action(description=_("导出评选结果为 Excel"), permissions=["view"])
    def export_results(self, request, queryset):
        candidates = (
            Candidate.objects.filter(round__in=queryset, state=Candidate.State.ELIGIBLE)
            .select_related(
                "round", "brand__series", "brand__committee", "brand__special_committee"
            )
            .order_by("round", "brand__series__order", "brand__series", "rank", "number")
        )
        return table_response(
            "brand-results.xlsx",
            [
                gettext("评选"),
                gettext("编号"),
                gettext("品牌"),
                gettext("系列"),
                gettext("所属"),
                gettext("专家得分"),
                gettext("有效票数"),
                gettext("综合得分"),
                gettext("系列排名"),
                gettext("建议等次"),
                gettext("评定等次"),
                gettext("调整理由"),
                gettext("证书编号"),
            ],
            (
                (
                    c.round.title,
                    c.number,
                    c.brand.name,
                    c.brand.series.name,
                    c.brand.owner_label,
                    c.expert_score,
                    c.votes,
                    c.composite,
                    c.rank,
                    _award(c.proposed_award),
                    _award(c.award),
                    c.override_reason,
                    c.certificate_no,
                )
                for c in candidates
            ),
        )

    # --- The fraud dashboard ---

    def get_urls(self):
        return [
            path(
                "<path:object_id>/fraud/",
                self.admin_site.admin_view(self.fraud_view),
                name="brands_round_fraud",
            ),
            *super().get_urls(),
        ]

    def fraud_view(self, request, object_id):
        """Who votes how much, per candidate and hour (top IPs and e-mail domains / phone
        prefixes, valid and invalidated), the votes the rule refused, and the invalidations,
        with a form to set aside the votes of an IP, a network or a voter."""
        round_ = self.get_object(request, unquote(object_id))
        if round_ is None or not self.has_view_permission(request, round_):
            raise Http404(gettext("对象不存在。"))
        may_write = self.has_change_permission(request, round_)
        initial = {k: request.GET[k] for k in ("kind", "value") if k in request.GET}
        form = InvalidateForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if not may_write:
                raise PermissionDenied
            if form.is_valid():
                try:
                    invalidation = workflow.invalidate(round_, by=request.user, **form.cleaned_data)
                except DomainError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, str(error.message))
                else:
                    self.message_user(
                        request,
                        gettext("已作废 %(n)d 票。") % {"n": invalidation.votes_affected},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(request.path)
        if round_.state == Round.State.VOTING or not round_.refused_votes:
            refused = tally.refusals(round_.pk)
        else:
            refused = round_.refused_votes
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(round)s：投票监测") % {"round": round_.title},
            "opts": self.model._meta,
            "original": round_,
            "round": round_,
            "trends": selectors.trends(round_),
            "refused": [
                (str(REFUSAL_LABELS.get(reason, reason)), count)
                for reason, count in sorted(refused.items())
            ],
            "invalidations": round_.invalidations.select_related("by", "revoked_by"),
            "form": form,
            "may_write": may_write,
        }
        return TemplateResponse(request, "admin/brands/round_fraud.html", context)


class InvalidateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Invalidation.Kind.choices)
    value = forms.CharField(label=_("对象"), max_length=254)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


def _experts_are_not_edited(expert, changes):
    raise Invalid(gettext("评审专家不能修改，请移出后重新加入。"))


# --- Candidates: the eligibility queue and the results --------------------------------------

RESULT_FIELDS = [
    "expert_score",
    "votes",
    "composite",
    "rank",
    "proposed_award",
    "award",
    "override_reason",
    "certificate_no",
]


class NominateForm(ActModelForm):
    class Meta:
        model = Candidate
        fields = ["round", "brand", "materials", "material_file"]

    def create(self, data):
        upload = data.get("material_file") or None
        if upload is not None and self.rehearsing:
            workflow.check_material(upload)  # checked now, stored only when saved for real
            upload = None
        return workflow.nominate(
            data["round"],
            data["brand"],
            by=self.user,
            materials=data.get("materials", ""),
            material_file=upload,
        )

    def update(self, instance, changes):
        return instance  # a nomination is not edited: withdrawn and filed again


class IneligibleForm(forms.Form):
    reason = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))


class AwardForm(forms.Form):
    award = forms.ChoiceField(label=_("评定等次"), choices=Candidate.Award.choices)
    reason = forms.CharField(label=_("主席会议的理由"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Candidate)
class CandidateAdmin(ActAdmin):
    form = NominateForm
    list_display = ["number", "brand", "series", "round", "state", "award", "certificate_no"]
    list_display_links = ["number", "brand"]
    list_filter = [
        ("round", ScopedRelatedFilter),
        "state",
        "award",
        ("brand__series", ScopedRelatedFilter),
    ]
    search_fields = ["brand__name"]
    list_select_related = ["round", "brand__series"]
    linkable_fields = ("round",)  # a district office nominates to the municipal round
    actions = ["approve", "refuse", "override_award"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "round",
            "brand",
            "number",
            "materials",
            "material_link",
            "nominated_by",
            "nominated_at",
            "state",
            "check_reason",
            *RESULT_FIELDS,
        ]

    def get_fields(self, request, obj=None):
        # A filed nomination shows its PDF as a link to the material view, not to /media/.
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        return ["material_link" if name == "material_file" else name for name in fields]

    @admin.display(description=_("申报附件"))
    def material_link(self, obj):
        if not obj.material_file:
            return "—"
        return download_links(
            [(reverse("brands:material", args=[obj.pk]), f"{obj.brand.name}.pdf")]
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.pk is not None:
            obj.refresh_from_db()  # the act numbered it: its name shows the number

    @admin.display(description=_("品牌系列"), ordering="brand__series__order")
    def series(self, obj):
        return obj.brand.series

    @admin.action(description=_("资格审核通过"), permissions=["change"])
    def approve(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("资格审核通过"),
            act=lambda candidate, form: workflow.check_eligibility(
                candidate, by=request.user, eligible=True
            ),
            form_class=ConfirmForm,
        )

    @admin.action(description=_("资格审核不通过"), permissions=["change"])
    def refuse(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("资格审核不通过"),
            act=lambda candidate, form: workflow.check_eligibility(
                candidate, by=request.user, eligible=False, reason=form.cleaned_data["reason"]
            ),
            form_class=IneligibleForm,
        )

    @admin.action(description=_("调整评定等次"), permissions=["change"])
    def override_award(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("调整评定等次"),
            act=lambda candidate, form: workflow.override_award(
                candidate, by=request.user, **form.cleaned_data
            ),
            form_class=AwardForm,
        )


# --- Invalidations and votes -----------------------------------------------------------------


class InvalidationForm(ActModelForm):
    class Meta:
        model = Invalidation
        fields = ["round", "kind", "value", "reason"]

    def create(self, data):
        return workflow.invalidate(
            data["round"],
            by=self.user,
            kind=data["kind"],
            value=data["value"],
            reason=data["reason"],
        )

    def update(self, instance, changes):
        return instance  # revoked by the action, never edited


@admin.register(Invalidation)
class InvalidationAdmin(ActAdmin):
    form = InvalidationForm
    list_display = ["__str__", "round", "reason", "votes_affected", "by", "at", "revoked_at"]
    list_filter = [("round", ScopedRelatedFilter), "kind", "revoked_at"]
    search_fields = ["value"]
    list_select_related = ["round", "by"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "round",
            "kind",
            "value",
            "reason",
            "by",
            "at",
            "votes_affected",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["round", "kind", "value", "reason"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("撤销作废"), permissions=["change"])
    def revoke(self, request, queryset):
        return bulk_act(
            self,
            request,
            queryset,
            title=_("撤销作废"),
            act=lambda invalidation, form: workflow.revoke_invalidation(
                invalidation, by=request.user, reason=form.cleaned_data["reason"]
            ),
            form_class=ReasonForm,
        )


def mask_voter(kind: str, voter: str) -> str:
    """138****0000 for a phone, a***@qq.com for an e-mail address."""
    if kind == Voter.PHONE and len(voter) >= 7:
        return f"{voter[:3]}****{voter[-4:]}"
    if kind == Voter.EMAIL and "@" in voter:
        local, _at, domain = voter.rpartition("@")
        return f"{local[:1]}***@{domain}"
    return voter


class VoteRoundFilter(admin.SimpleListFilter):
    """The readable rounds (not the distinct rounds of every vote: the table is large)."""

    title = _("评选")
    parameter_name = "round"

    def lookups(self, request, model_admin):
        rounds = readable(Round.objects.all(), request.user).order_by("-year", "-id")
        return [(str(r.pk), r.title) for r in rounds]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(round_id=int(value))
        return queryset


class InvalidatedFilter(admin.SimpleListFilter):
    title = _("是否作废")
    parameter_name = "invalidated"

    def lookups(self, request, model_admin):
        return [("1", _("已作废")), ("0", _("有效"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(invalidation__isnull=False)
        if self.value() == "0":
            return queryset.filter(invalidation__isnull=True)
        return queryset


@admin.register(Vote)
class VoteAdmin(CommitteeScopedAdmin):
    """The votes, read-only, for the office's audit; voters are shown masked."""

    list_display = [
        "candidate",
        "voter_kind",
        "masked_voter",
        "day",
        "cast_at",
        "ip",
        "network",
        "invalidation",
    ]
    list_filter = [VoteRoundFilter, "voter_kind", InvalidatedFilter]
    list_select_related = ["candidate__brand", "invalidation"]
    show_full_result_count = False
    fields = [
        "round",
        "candidate",
        "voter_kind",
        "masked_voter",
        "day",
        "seq",
        "cast_at",
        "ip",
        "user_agent",
        "network",
        "invalidation",
    ]
    readonly_fields = fields

    @admin.display(description=_("投票人"))
    def masked_voter(self, obj):
        return mask_voter(obj.voter_kind, obj.voter)

    def get_object(self, request, object_id, from_field=None):
        """The vote with its voter masked (its page title names it); nothing here saves it."""
        vote = super().get_object(request, object_id, from_field)
        if vote is not None:
            vote.voter = mask_voter(vote.voter_kind, vote.voter)
        return vote

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
