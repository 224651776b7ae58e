"""Work brands 工作品牌 (DOMAIN §7): the registry of brands with their figures, milestones and
images, and the evaluation round 评选 — nominations, the eligibility check, expert scoring,
public voting with verified voters, invalidations, results and certificates."""

from decimal import Decimal
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import MeetingKind
from core.files import RandomName
from core.models import Stamped
from core.text import CleanText
from core.text import Kind as TextKind
from members.models import Committee, SpecialCommittee, User
from proposals.models import Category
from workstations.models import Tier, Workstation

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


def image_path(instance, filename):
    return RandomName("brands/images")(instance, filename)


def material_path(instance, filename):
    return RandomName("brands/materials")(instance, filename)


class Series(CleanText, Stamped):
    """品牌系列: a managed list per organising committee (e.g. 综合性工作和机关建设)."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("系列名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("品牌系列")
        verbose_name_plural = _("品牌系列")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="series_name_once"),
        ]

    def __str__(self):
        return self.name


class Brand(CleanText, Stamped):
    """工作品牌: owned by a committee (its office or one of its special committees)."""

    text_fields = {"name": TextKind.LINE, "overview": TextKind.TEXT, "highlights": TextKind.TEXT}

    committee_path = "committee"

    class Status(models.TextChoices):
        ACTIVE = "active", _("在用")
        MERGED = "merged", _("已合并")
        RETIRED = "retired", _("已停用")

    committee = models.ForeignKey(
        Committee, verbose_name=_("所属政协"), on_delete=models.PROTECT, related_name="brands"
    )
    special_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("所属专委会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brands",
        help_text=_("由专门委员会（指导组）打造的品牌；空表示机关或委员会整体。"),
    )
    series = models.ForeignKey(
        Series, verbose_name=_("品牌系列"), on_delete=models.PROTECT, related_name="brands"
    )
    name = models.CharField(_("品牌名称"), max_length=100)
    founded_year = models.PositiveSmallIntegerField(
        _("创立年份"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    overview = models.TextField(_("品牌概况"))
    highlights = models.TextField(_("特色亮点"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入品牌"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_brands",
    )
    is_public = models.BooleanField(_("公开展示"), default=True)
    # The work the brand stands on, whose live figures its page shows.
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("依托站室点"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brands",
    )
    workstation_tier = models.CharField(
        _("依托站室点类型"),
        max_length=15,
        blank=True,
        choices=Tier.choices,
        help_text=_("全市共建的品牌（如“协商于民”委员工作站）：本政协及下级政协该类站室点。"),
    )
    meeting_kind = models.CharField(
        _("依托协商形式"),
        max_length=20,
        blank=True,
        choices=MeetingKind.choices,
    )
    proposal_category = models.ForeignKey(
        Category,
        verbose_name=_("依托提案类别"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brands",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作品牌")
        verbose_name_plural = _("工作品牌")
        ordering = ["series__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="brand_name_once"),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="merged_brand_names_target",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def owner_label(self) -> str:
        if self.special_committee_id:
            return f"{self.committee.short_name}{self.special_committee.name}"
        return self.committee.short_name


class KeyFigure(models.Model):
    """关键数据, e.g. 政协头条: 日均发稿 100 篇."""

    committee_path = "brand__committee"

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.CASCADE, related_name="figures"
    )
    label = models.CharField(_("指标"), max_length=50)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("关键数据")
        verbose_name_plural = _("关键数据")
        ordering = ["brand", "order", "id"]

    def __str__(self):
        return f"{self.label} {self.value.normalize():f}{self.unit}"


class Milestone(CleanText, models.Model):
    text_fields = {"title": TextKind.LINE, "description": TextKind.TEXT}

    committee_path = "brand__committee"

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.CASCADE, related_name="milestones"
    )
    happened_on = models.DateField(_("日期"))
    title = models.CharField(_("事件"), max_length=200)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("发展历程")
        verbose_name_plural = _("发展历程")
        ordering = ["brand", "happened_on", "id"]

    def __str__(self):
        return f"{self.happened_on} {self.title}"


class Image(models.Model):
    committee_path = "brand__committee"

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.CASCADE, related_name="images"
    )
    file = models.FileField(_("图片"), upload_to=image_path, max_length=200)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("品牌图片")
        verbose_name_plural = _("品牌图片")
        ordering = ["brand", "order", "id"]

    def __str__(self):
        return self.caption or PurePath(self.file.name).name


class Round(CleanText, Stamped):
    """评选: one evaluation round of a committee, from nomination to publication."""

    text_fields = {"title": TextKind.LINE}

    committee_path = "committee"

    class State(models.TextChoices):
        SETUP = "setup", _("筹备")
        NOMINATING = "nominating", _("申报中")
        CHECKING = "checking", _("资格审核")
        SCORING = "scoring", _("专家评分")
        VOTING = "voting", _("网络投票")
        DELIBERATING = "deliberating", _("综合评定")
        PUBLISHED = "published", _("已发布")

    committee = models.ForeignKey(
        Committee, verbose_name=_("主办政协"), on_delete=models.PROTECT, related_name="brand_rounds"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    title = models.CharField(_("评选名称"), max_length=100)
    series = models.ManyToManyField(Series, verbose_name=_("参评系列"), related_name="rounds")
    top_quota = models.PositiveSmallIntegerField(_("十大品牌名额"), default=10)
    excellent_quota = models.PositiveSmallIntegerField(_("优秀品牌名额"), default=30)
    expert_weight = models.PositiveSmallIntegerField(
        _("专家评分权重（%）"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("综合得分 = 专家得分 × 本权重 + 网络投票得分 × (100 − 本权重)。"),
    )
    drop_extremes = models.BooleanField(
        _("去掉最高分和最低分"),
        default=True,
        help_text=_("专家人数不少于三人时，每个参评品牌去掉一个最高分和一个最低分。"),
    )
    votes_per_candidate_per_day = models.PositiveSmallIntegerField(
        _("每人每天可为同一品牌投票次数"), default=1, validators=[MinValueValidator(1)]
    )
    candidates_per_day = models.PositiveSmallIntegerField(
        _("每人每天最多投票品牌数"), default=10, validators=[MinValueValidator(1)]
    )
    nomination_closes_on = models.DateField(_("申报截止"))
    check_closes_on = models.DateField(_("资格审核截止"))
    scoring_closes_on = models.DateField(_("专家评分截止"))
    voting_opens_at = models.DateTimeField(_("投票开始"))
    voting_closes_at = models.DateTimeField(_("投票截止"))
    deliberation_on = models.DateField(_("综合评定（主席会议）"))
    publication_on = models.DateField(_("发布日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SETUP, editable=False
    )
    # Votes refused per reason, kept when voting closes (live counts are in the cache).
    refused_votes = models.JSONField(_("被拒投票"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[series])

    class Meta:
        verbose_name = _("品牌评选")
        verbose_name_plural = _("品牌评选")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "title"], name="round_title_once"),
            models.CheckConstraint(
                condition=Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="round_voting_window",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def vote_weight(self) -> int:
        return 100 - self.expert_weight


class Criterion(CleanText, models.Model):
    """评分标准: scored 0..max_score by each expert; weights of a round add up to 100."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "round__committee"

    round = models.ForeignKey(
        Round, verbose_name=_("评选"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("评分项"), max_length=50)
    weight = models.PositiveSmallIntegerField(
        _("权重（%）"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("满分"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_once"),
        ]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class Expert(models.Model):
    """A member of a round's expert panel, with the unit they belong to (never scoring a brand
    of that unit)."""

    committee_path = "round__committee"

    round = models.ForeignKey(
        Round, verbose_name=_("评选"), on_delete=models.CASCADE, related_name="experts"
    )
    user = models.ForeignKey(
        User, verbose_name=_("专家账号"), on_delete=models.PROTECT, related_name="brand_panels"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("所在政协"), on_delete=models.PROTECT, related_name="+"
    )
    special_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("所在专委会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("完成评分"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="expert_once_per_round"),
        ]

    def __str__(self):
        return self.user.name or self.user.username

    def conflicts_with(self, brand: Brand) -> bool:
        """The brand belongs to the expert's own unit."""
        return (
            brand.committee_id == self.committee_id
            and brand.special_committee_id == self.special_committee_id
        )


class Candidate(Stamped):
    """参评品牌: a brand nominated to a round, checked, scored, voted on and awarded."""

    # Read by the organising committee and by the committee owning the brand.
    committee_path = ("round__committee", "brand__committee")

    class State(models.TextChoices):
        NOMINATED = "nominated", _("已申报")
        ELIGIBLE = "eligible", _("审核通过")
        INELIGIBLE = "ineligible", _("审核未通过")

    class Award(models.TextChoices):
        TOP = "top", _("十大工作品牌")
        EXCELLENT = "excellent", _("优秀工作品牌")
        NONE = "none", _("未获评")

    round = models.ForeignKey(
        Round, verbose_name=_("评选"), on_delete=models.PROTECT, related_name="candidates"
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.PROTECT, related_name="candidacies"
    )
    number = models.PositiveSmallIntegerField(_("编号"), editable=False)
    materials = models.TextField(_("申报材料"))
    material_file = models.FileField(
        _("申报附件"), upload_to=material_path, max_length=200, blank=True
    )
    nominated_by = models.ForeignKey(
        User,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    nominated_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    state = models.CharField(
        _("审核状态"),
        max_length=12,
        choices=State.choices,
        default=State.NOMINATED,
        editable=False,
    )
    check_reason = models.TextField(_("审核意见"), blank=True, editable=False)
    # Results, computed when voting closes and frozen on publication.
    expert_score = models.DecimalField(
        _("专家得分"), max_digits=6, decimal_places=2, null=True, editable=False
    )
    votes = models.PositiveIntegerField(_("有效票数"), null=True, editable=False)
    composite = models.DecimalField(
        _("综合得分"), max_digits=6, decimal_places=2, null=True, editable=False
    )
    rank = models.PositiveSmallIntegerField(_("系列排名"), null=True, editable=False)
    proposed_award = models.CharField(
        _("建议等次"), max_length=10, choices=Award.choices, blank=True, editable=False
    )
    award = models.CharField(
        _("评定等次"), max_length=10, choices=Award.choices, blank=True, editable=False
    )
    override_reason = models.TextField(_("调整理由"), blank=True, editable=False)
    certificate_no = models.CharField(_("证书编号"), max_length=30, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参评品牌")
        verbose_name_plural = _("参评品牌")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "brand"], name="candidate_once_per_round"),
            models.UniqueConstraint(fields=["round", "number"], name="candidate_number_once"),
            models.CheckConstraint(
                condition=~Q(state="ineligible") | ~Q(check_reason=""),
                name="ineligible_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.number:02d} {self.brand.name}" if self.brand_id else str(self.number)


class Score(models.Model):
    """One expert's score of one candidate on one criterion (secret until deliberation)."""

    committee_path = "candidate__round__committee"

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("参评品牌"), on_delete=models.CASCADE, related_name="scores"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("评分项"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "expert", "criterion"], name="score_once"),
        ]

    def __str__(self):
        return f"{self.candidate} / {self.criterion.name}: {self.value}"


class Voter(models.TextChoices):
    ACCOUNT = "account", _("平台账号")
    PHONE = "phone", _("手机号")
    EMAIL = "email", _("电子邮箱")


class Vote(models.Model):
    """One accepted public vote. The unique constraint is the rule's last word: at most
    `votes_per_candidate_per_day` votes per voter, candidate and day (seq 1..k)."""

    committee_path = "round__committee"

    round = models.ForeignKey(
        Round, verbose_name=_("评选"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("参评品牌"), on_delete=models.PROTECT, related_name="+"
    )
    voter_kind = models.CharField(_("投票人类型"), max_length=8, choices=Voter.choices)
    voter = models.CharField(_("投票人"), max_length=254)
    day = models.DateField(_("投票日"))
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    cast_at = models.DateTimeField(_("投票时间"))
    ip = models.GenericIPAddressField(_("IP地址"))
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)
    # The e-mail domain or the phone's first seven digits: what the fraud dashboard groups by.
    network = models.CharField(_("邮箱域名/号段"), max_length=100, blank=True)
    invalidation = models.ForeignKey(
        "Invalidation",
        verbose_name=_("作废"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
    )

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "voter", "day", "seq"], name="vote_once_per_rule"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "voter", "day"], name="vote_voter_day"),
            models.Index(fields=["round", "cast_at"], name="vote_round_time"),
            models.Index(fields=["round", "ip"], name="vote_round_ip"),
        ]

    def __str__(self):  # without the voter: a phone number or e-mail address is personal data
        return f"{self.day} #{self.pk}"


class Invalidation(models.Model):
    """作废: the votes of an IP, an e-mail domain / phone prefix or a voter in a round, with a
    reason; revoking it gives the votes back (unless another invalidation still covers them)."""

    committee_path = "round__committee"

    class Kind(models.TextChoices):
        IP = "ip", _("IP地址")
        NETWORK = "network", _("邮箱域名/号段")
        VOTER = "voter", _("投票人")

    round = models.ForeignKey(
        Round, verbose_name=_("评选"), on_delete=models.PROTECT, related_name="invalidations"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("对象"), max_length=254)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(
        User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("作废时间"), auto_now_add=True)
    votes_affected = models.PositiveIntegerField(_("作废票数"), default=0)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("撤销人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("撤销理由"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("投票作废")
        verbose_name_plural = _("投票作废")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"


class Code(models.Model):
    """A one-time code sent to a phone or e-mail address to identify a voter."""

    committee_path = ""  # no committee: voters are the public

    channel = models.CharField(_("渠道"), max_length=8, choices=Voter.choices)
    address = models.CharField(_("地址"), max_length=254, db_index=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    ip = models.GenericIPAddressField(_("IP地址"))

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")

    def __str__(self):
        return f"{self.channel}:{self.address}"
