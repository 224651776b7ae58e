"""Public-opinion information 社情民意信息 (DOMAIN §8): a piece written by a member, a party, a
sector, a special committee, a workstation or a lower committee; the receiving office's screening;
reports 编报稿 that combine pieces into a numbered issue of the committee's 《社情民意》 bulletin;
their delivery 报送 upward or to the local party committee and government; and the outcomes
(adoption per level, leaders' instructions, departments' follow-up) that come back to the
submitter."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, RandomName
from core.models import Stamped
from core.text import CleanText
from core.text import Kind as TextKind
from members.models import Committee, Level, Party, Seat, Sector, SpecialCommittee, User
from proposals.models import Proposal
from proposals.search import Bigrams
from workstations.models import Activity, Workstation


class Category(models.TextChoices):
    ECONOMY = "economy", _("经济建设")
    POLITICS = "politics", _("政治建设")
    CULTURE = "culture", _("文化建设")
    SOCIETY = "society", _("社会建设")
    ECOLOGY = "ecology", _("生态文明建设")
    OTHER = "other", _("其他")


class SubmitterKind(models.TextChoices):
    MEMBER = "member", _("委员")
    PARTY = "party", _("党派团体")
    SECTOR = "sector", _("界别")
    SPECIAL_COMMITTEE = "special_committee", _("专委会（指导组）")
    WORKSTATION = "workstation", _("站室点（直报点）")
    COLLECTIVE = "collective", _("集体")
    LOWER_COMMITTEE = "lower_committee", _("下级政协")


class PieceState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待筛选")
    RETURNED = "returned", _("退回补充")
    ACCEPTED = "accepted", _("采用待编辑")
    KEPT = "kept", _("存档备查")
    IN_REPORT = "in_report", _("已编入编报稿")
    WITHDRAWN = "withdrawn", _("已撤回")


class Piece(CleanText, Stamped):
    """一篇社情民意信息, as its submitter wrote it and as the receiving office screened it."""

    text_fields = {"title": TextKind.LINE, "body_name": TextKind.LINE, "content": TextKind.TEXT}

    committee_path = "committee"
    owner_field = "created_by"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("接收政协"),
        on_delete=models.PROTECT,
        related_name="opinion_pieces",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("正文"))
    category = models.CharField(
        _("类别"), max_length=10, choices=Category.choices, default=Category.SOCIETY
    )
    submitter_kind = models.CharField(
        _("报送主体类型"),
        max_length=20,
        choices=SubmitterKind.choices,
        default=SubmitterKind.MEMBER,
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("报送委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_pieces",
    )
    co_authors = models.ManyToManyField(
        Seat, verbose_name=_("联名委员"), blank=True, related_name="co_authored_opinions"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("党派"), on_delete=models.PROTECT, null=True, blank=True
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("界别"), on_delete=models.PROTECT, null=True, blank=True
    )
    special_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("专委会（指导组）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("站室点（直报点）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_pieces",
    )
    body_name = models.CharField(_("报送单位"), max_length=100, blank=True)
    source_activity = models.ForeignKey(
        Activity,
        verbose_name=_("来源站室点活动"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_pieces",
    )
    source_proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("来源提案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_piece",
    )
    forwarded_from = models.ForeignKey(
        "Report",
        verbose_name=_("下级政协报送稿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_pieces",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=PieceState.choices, default=PieceState.DRAFT
    )
    screening_note = models.TextField(_("筛选意见"), blank=True)
    report = models.ForeignKey(
        "Report",
        verbose_name=_("编报稿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pieces",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("收到时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    screened_at = models.DateTimeField(_("筛选时间"), null=True, blank=True)
    # Character bigrams of the text: the duplicate suggestions (opinions.similarity).
    search = models.GeneratedField(
        expression=Bigrams("title", "content"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["committee", "state", "-id"], name="piece_queue"),
            models.Index(fields=["committee", "received_at"], name="piece_received"),
            # The admin's list, newest first across the committees a user reads.
            models.Index(fields=["-received_at", "-id"], name="piece_recent"),
            GinIndex(fields=["search"], name="piece_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(submitter_kind="member") | Q(seat__isnull=False),
                name="member_piece_has_seat",
                violation_error_message=_("委员报送的信息须有报送委员。"),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(received_at__isnull=False),
                name="submitted_piece_has_received_at",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=True) | Q(state="in_report"),
                name="only_pieces_in_report_have_one",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def submitter(self) -> str:
        """Who speaks: the member, or the body in whose name it came."""
        if self.seat_id:
            return self.seat.person.name
        for related in (self.workstation, self.special_committee, self.sector, self.party):
            if related is not None:
                return str(related)
        if self.forwarded_from_id:
            return str(self.forwarded_from.committee)
        return self.body_name


ATTACHMENT_TYPES = DOCUMENT_TYPES
ATTACHMENT_MAX_BYTES = DOCUMENT_MAX_BYTES


class Attachment(models.Model):
    committee_path = "piece__committee"

    piece = models.ForeignKey(
        Piece, verbose_name=_("社情民意信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    # Stored under a random name (core.files.RandomName); `name` is the uploader's file name.
    file = models.FileField(
        _("文件"),
        upload_to=RandomName("opinions/%Y"),
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_TYPES)],
    )
    name = models.CharField(_("名称"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name


class ReportState(models.TextChoices):
    EDITING = "editing", _("编辑中")
    ISSUED = "issued", _("已编发")
    REPORTED = "reported", _("已报送")


class Report(CleanText, Stamped):
    """编报稿: one or more accepted pieces edited into one text; issued as a numbered issue 期号
    of the committee's 《社情民意》 bulletin (gap-free per committee and year), then reported."""

    text_fields = {"title": TextKind.LINE, "content": TextKind.TEXT}

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("正文"))
    category = models.CharField(
        _("类别"), max_length=10, choices=Category.choices, default=Category.SOCIETY
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ReportState.choices, default=ReportState.EDITING
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    issued_on = models.DateField(_("编发日期"), null=True, blank=True)
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    edited_by = models.ForeignKey(
        User, verbose_name=_("编辑"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("编报稿")
        verbose_name_plural = _("编报稿")
        ordering = ["-year", "-number", "-id"]
        indexes = [
            models.Index(fields=["committee", "state", "-id"], name="report_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="report_issue_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, state="editing")
                | Q(number__isnull=False, year__isnull=False, state__in=["issued", "reported"]),
                name="only_issued_reports_numbered",
            ),
        ]

    def __str__(self):
        if self.number:
            return _("%(year)s年第%(n)s期 %(title)s") % {
                "year": self.year,
                "n": self.number,
                "title": self.title,
            }
        return self.title


class IssueCounter(models.Model):
    """The last issue number of a committee's bulletin in a year: locked while issuing, so
    numbers are gap-free and never reused."""

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用期号"), default=0)

    class Meta:
        verbose_name = _("期号计数")
        verbose_name_plural = _("期号计数")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="issue_counter_unique"),
        ]

    def __str__(self):
        return f"{self.committee} {self.year}: {self.last_number}"


class Target(models.TextChoices):
    UPPER = "upper", _("上级政协")
    PARTY_COMMITTEE = "party_committee", _("同级党委")
    GOVERNMENT = "government", _("同级政府")


class Delivery(models.Model):
    """报送: a report sent to one addressee; to the upper committee it also becomes a piece in
    that committee's queue (市区联动) when the upper committee works in the portal."""

    committee_path = "report__committee"

    report = models.ForeignKey(
        Report, verbose_name=_("编报稿"), on_delete=models.CASCADE, related_name="deliveries"
    )
    target = models.CharField(_("报送对象"), max_length=20, choices=Target.choices)
    sent_on = models.DateField(_("报送日期"))
    by = models.ForeignKey(
        User, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="delivered_once"),
        ]

    def __str__(self):
        return f"{self.get_target_display()} {self.sent_on}"


class Outcome(models.Model):
    """What became of a report: adopted 采用 by the CPPCC of a level, a leader's instruction
    批示, or a department's follow-up. An outcome recorded on an upper committee's report is
    relayed to the lower reports it came from (`relayed_from`), so the district and the
    submitter see it."""

    committee_path = "report__committee"

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("采用")
        INSTRUCTION = "instruction", _("领导批示")
        FOLLOW_UP = "follow_up", _("部门落实")

    report = models.ForeignKey(
        Report, verbose_name=_("编报稿"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    on = models.DateField(_("日期"))
    leader = models.CharField(_("批示领导"), max_length=50, blank=True)
    department = models.CharField(_("落实部门"), max_length=100, blank=True)
    content = models.TextField(_("内容"), blank=True)
    relayed_from = models.ForeignKey(
        "self",
        verbose_name=_("上级记录"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relays",
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("采用与批示")
        verbose_name_plural = _("采用与批示")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["report", "kind"], name="outcome_report_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "level"],
                condition=Q(kind="adopted"),
                name="adopted_once_per_level",
                violation_error_message=_("该编报稿已记录过该层级的采用。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}{self.get_kind_display()} {self.on}"


class Step(models.Model):
    """One step in the life of a piece or a report: who did what, when, and why."""

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.CASCADE, related_name="+"
    )
    piece = models.ForeignKey(
        Piece,
        verbose_name=_("社情民意信息"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steps",
    )
    report = models.ForeignKey(
        Report,
        verbose_name=_("编报稿"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steps",
    )
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, blank=True)
    by = models.ForeignKey(
        User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    opinion = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"
