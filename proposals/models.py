"""Proposals 提案 through the five steps 提、立、办、督、评 (DOMAIN §3): the proposal and its
co-signers and attachments, the three reviews, the session's numbering, assignments to handling
units with their consultations and replies, the proposers' feedback, supervision of key
proposals, and every transition's history."""

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
from members.models import Committee, HandlingUnit, PlenarySession, Seat, SpecialCommittee, User
from proposals.search import Bigrams


class Category(CleanText, Stamped):
    """提案类别: a committee's managed list (经济建设, 政治建设, …)."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="proposal_categories",
    )
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="category_unique"),
        ]

    def __str__(self):
        return self.name


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待初审")
    SECOND_REVIEW = "second_review", _("待复审")
    FINAL_REVIEW = "final_review", _("待定审")
    FILED = "filed", _("已立案待交办")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    NOT_FILED = "not_filed", _("不予立案")
    MERGED = "merged", _("已并案")
    WITHDRAWN = "withdrawn", _("已撤案")


class Proposal(CleanText, Stamped):
    # The transition the act at hand just recorded (set by proposals.workflow, never stored).
    last_transition: "Transition"

    text_fields = {
        "title": TextKind.LINE,
        "body_name": TextKind.LINE,
        "reason": TextKind.TEXT,
        "analysis": TextKind.TEXT,
        "suggestions": TextKind.TEXT,
        "research_basis": TextKind.TEXT,
    }

    committee_path = "committee"
    owner_field = "created_by"

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人提案")
        JOINT = "joint", _("联名提案")
        COLLECTIVE = "collective", _("集体提案")

    class Timing(models.TextChoices):
        PLENARY = "plenary", _("大会期间")
        BETWEEN = "between", _("闭会期间")

    class BodyKind(models.TextChoices):
        PARTY = "party", _("党派组织")
        SECTOR = "sector", _("界别")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        ORGANISATION = "organisation", _("人民团体")

    class Disposition(models.TextChoices):
        OPINION = "opinion", _("转社情民意信息")
        REFERRED = "referred", _("作为意见建议转有关部门参考")

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="proposals"
    )
    session = models.ForeignKey(
        PlenarySession, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="proposals"
    )
    timing = models.CharField(
        _("提交时段"), max_length=10, choices=Timing.choices, default=Timing.PLENARY
    )
    kind = models.CharField(
        _("提案类型"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL
    )
    lead = models.ForeignKey(
        Seat,
        verbose_name=_("领衔委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_proposals",
    )
    body_kind = models.CharField(
        _("提案单位类型"), max_length=20, choices=BodyKind.choices, blank=True
    )
    body_name = models.CharField(_("提案单位"), max_length=100, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("案由"), max_length=200)
    reason = models.TextField(_("理由"), blank=True)
    analysis = models.TextField(_("情况分析"), blank=True)
    suggestions = models.TextField(_("具体建议"), blank=True)
    research_basis = models.TextField(
        _("调研基础"), blank=True, help_text=_("非调研不提案：本提案依据的调研")
    )
    disclose = models.BooleanField(_("同意公开"), default=True)
    disclosure_note = models.CharField(_("不公开理由"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=15, choices=State.choices, default=State.DRAFT, db_index=True
    )
    number = models.PositiveIntegerField(_("案号"), null=True, blank=True)
    disposition = models.CharField(
        _("不予立案处理"), max_length=10, choices=Disposition.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rehandled = models.BooleanField(_("已重新办理"), default=False)
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervisor = models.ForeignKey(
        User,
        verbose_name=_("领衔督办"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_proposals",
    )
    supervising_committee = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("督办专委会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_proposals",
    )
    is_excellent = models.BooleanField(_("优秀提案"), default=False)
    # 双公开: set by the workflow (proposals.workflow._move) when the proposal is replied or
    # closed, its proposers agreed to publish it and a unit marked a reply publishable.
    public = models.BooleanField(_("已公开"), default=False, editable=False)
    # Character bigrams of the text, for the public search (proposals.search).
    search = models.GeneratedField(
        expression=Bigrams("title", "reason", "analysis", "suggestions"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-session", "number", "-id"]
        indexes = [
            # The API pages by descending id within a committee (cursor pagination), often
            # filtered by state.
            models.Index(fields=["committee", "-id"], name="proposal_committee_recent"),
            models.Index(fields=["committee", "state", "-id"], name="proposal_state_recent"),
            GinIndex(fields=["search"], name="proposal_search"),
            # The public list 提案公开, newest first, and its filters by committee.
            models.Index(
                fields=["-session", "-number"], condition=Q(public=True), name="proposal_public"
            ),
            models.Index(
                fields=["committee", "-session", "-number"],
                condition=Q(public=True),
                name="proposal_public_committee",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="proposal_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="collective", lead__isnull=True) & ~Q(body_name="")
                | ~Q(kind="collective") & Q(lead__isnull=False),
                name="proposal_has_proposer",
                violation_error_message=_("集体提案须填写提案单位，其他提案须有领衔委员。"),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | Q(state__in=["filed", "handling", "replied", "closed"]),
                name="only_filed_proposals_numbered",
            ),
        ]

    def __str__(self):
        return f"第{self.number}号 {self.title}" if self.number else self.title


class CoSigner(Stamped):
    """附议人: a member who co-signs a joint proposal and must confirm it."""

    committee_path = "proposal__committee"

    class Status(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="cosigners"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("附议委员"), on_delete=models.PROTECT, related_name="cosigned"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附议人")
        verbose_name_plural = _("附议人")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "seat"], name="cosign_once"),
        ]

    def __str__(self):
        return str(self.seat.person)


ATTACHMENT_TYPES = DOCUMENT_TYPES
ATTACHMENT_MAX_BYTES = DOCUMENT_MAX_BYTES


class Attachment(Stamped):
    committee_path = "proposal__committee"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="attachments"
    )
    # Stored under a random name (core.files.RandomName); `name` is the uploader's file name.
    file = models.FileField(
        _("文件"),
        upload_to=RandomName("proposals/%Y"),
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


class Transition(models.Model):
    """One step in a proposal's life: who did what, when, from which state to which, and why."""

    committee_path = "proposal__committee"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=15, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=15, choices=State.choices)
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
        return f"{self.action}: {self.get_from_state_display()} → {self.get_to_state_display()}"


class Review(models.Model):
    """One of the three reviews 初审 / 复审 / 定审 with its decision and opinion."""

    committee_path = "proposal__committee"

    class Stage(models.TextChoices):
        FIRST = "first", _("初审")
        SECOND = "second", _("复审")
        FINAL = "final", _("定审")

    class Decision(models.TextChoices):
        PASS = "pass", _("通过")
        RETURN = "return", _("退回修改")
        FILE = "file", _("立案")
        NOT_FILE = "not_file", _("不予立案")
        MERGE = "merge", _("并案")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="reviews"
    )
    stage = models.CharField(_("审查环节"), max_length=10, choices=Stage.choices)
    decision = models.CharField(_("结论"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("审查意见"), blank=True)
    reviewer = models.ForeignKey(
        User, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审查")
        verbose_name_plural = _("审查")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.get_decision_display()}"


class SessionCounter(models.Model):
    """The last number given in a session: locked while filing, so numbers are gap-free and
    never reused."""

    committee_path = "session__term__committee"

    session = models.OneToOneField(
        PlenarySession,
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="proposal_counter",
    )
    last_number = models.PositiveIntegerField(_("已用案号"), default=0)

    class Meta:
        verbose_name = _("案号计数")
        verbose_name_plural = _("案号计数")

    def __str__(self):
        return f"{self.session}: {self.last_number}"


class Assignment(Stamped):
    """交办: a proposal assigned to a handling unit as lead, co-handling or split unit."""

    committee_path = "proposal__committee"

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SPLIT = "split", _("分办")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待签收")
        ACCEPTED = "accepted", _("办理中")
        REASSIGN_REQUESTED = "reassign_requested", _("申请调整")
        WITHDRAWN = "withdrawn", _("已调整")
        REPLIED = "replied", _("已答复")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("办理方式"), max_length=6, choices=Role.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ASSIGNED, db_index=True
    )
    assigned_on = models.DateField(_("交办日期"))
    acknowledge_by = models.DateField(_("签收期限"))
    due_on = models.DateField(_("办理期限"), db_index=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reassign_reason = models.TextField(_("申请调整理由"), blank=True)
    opinion = models.TextField(
        _("会办意见"), blank=True, help_text=_("会办单位向主办单位提出的办理意见")
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        # The proposal's column, not its ordering: "proposal" would join four tables to sort
        # by committee, term, session and number in every query of assignments.
        ordering = ["proposal_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"],
                condition=~Q(status="withdrawn"),
                name="assigned_once_per_unit",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} → {self.unit}（{self.get_role_display()}）"


class HandlingConsultation(Stamped):
    """办前 / 办中 / 办后协商 between the unit and the proposer."""

    committee_path = "assignment__proposal__committee"

    class Stage(models.TextChoices):
        BEFORE = "before", _("办前协商")
        DURING = "during", _("办中协商")
        AFTER = "after", _("办后协商")

    class Form(models.TextChoices):
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("座谈")
        PHONE = "phone", _("电话")
        ONLINE = "online", _("网络")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="consultations"
    )
    stage = models.CharField(_("阶段"), max_length=6, choices=Stage.choices)
    held_on = models.DateField(_("日期"))
    form = models.CharField(_("形式"), max_length=8, choices=Form.choices)
    participants = models.CharField(_("参加人员"), max_length=200)
    summary = models.TextField(_("协商情况"))

    class Meta:
        verbose_name = _("办理协商")
        verbose_name_plural = _("办理协商")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.held_on}"


class Reply(Stamped):
    """答复 of a lead or split unit: A / B / C, text, signatory, publishable or not."""

    committee_path = "assignment__proposal__committee"

    class Result(models.TextChoices):
        A = "A", _("A 所提问题已经解决或基本解决")
        B = "B", _("B 正在解决或已列入计划逐步解决")
        C = "C", _("C 因条件限制暂时不能解决或留作参考")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="replies"
    )
    result = models.CharField(_("答复类别"), max_length=1, choices=Result.choices)
    text = models.TextField(_("答复内容"))
    signatory = models.CharField(_("签发人"), max_length=50)
    replied_on = models.DateField(_("答复日期"))
    publishable = models.BooleanField(_("可公开"), default=True)
    not_publishable_reason = models.CharField(_("不公开理由"), max_length=200, blank=True)
    is_rehandling = models.BooleanField(_("重新办理答复"), default=False)
    # 答复函: the signed letter, stored under a random name (core.files.RandomName), private like
    # the proposal's attachments; `letter_name` is the uploader's file name.
    letter = models.FileField(
        _("答复函"),
        upload_to=RandomName("replies/%Y"),
        max_length=200,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_TYPES)],
    )
    letter_name = models.CharField(_("答复函文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["replied_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publishable=True) | ~Q(not_publishable_reason=""),
                name="unpublished_reply_says_why",
                violation_error_message=_("不公开的答复须说明理由。"),
            ),
        ]

    def __str__(self):
        return f"{self.assignment.unit} {self.result}"


class Feedback(Stamped):
    """反馈: the lead proposer rates a reply."""

    committee_path = "reply__assignment__proposal__committee"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    reply = models.OneToOneField(
        Reply, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    by = models.ForeignKey(
        User, verbose_name=_("反馈人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")

    def __str__(self):
        return self.get_rating_display()


class Supervision(Stamped):
    """督办活动 on a key proposal, or its follow-up review 回头看 after closing."""

    committee_path = "proposal__committee"

    class Kind(models.TextChoices):
        SYMPOSIUM = "symposium", _("座谈会")
        PROGRESS = "progress", _("办理推进会")
        INSPECTION = "inspection", _("视察")
        FOLLOW_UP = "follow_up", _("回头看")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="supervisions"
    )
    kind = models.CharField(_("形式"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    notes = models.TextField(_("情况"))
    promise_kept = models.BooleanField(_("承诺已兑现"), null=True, blank=True)
    by = models.ForeignKey(
        User, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"
