"""Consultations 协商 (DOMAIN §4): the annual plan and its topics, meetings of every kind with
their invitations, preparation (research visits, questionnaires) — meetings and visits organised
alone or jointly with the committees above or below (联动) — proceedings (speeches,
questions and responses) and outcomes (suggestions, the outcome report 《政协建言》, leader
instructions, media reports)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Stamped
from core.text import CleanText
from core.text import Kind as TextKind
from members.models import Committee, HandlingUnit, Seat, SpecialCommittee, User


def _partners(related_name: str) -> models.ManyToManyField:
    """联动: the committees organising a meeting or research visit jointly with its own."""
    return models.ManyToManyField(
        Committee,
        verbose_name=_("联动政协"),
        blank=True,
        related_name=related_name,
        help_text=_(
            "市区联动：与本政协共同组织的上级或下级政协；各组织方均计入，全市合计只计一次。"
        ),
    )


class Plan(Stamped):
    """年度协商计划: a committee's consultation plan for a year, approved by the party committee."""

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="consultation_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    approved_on = models.DateField(
        _("批准日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("党委批准年度协商计划的日期"),
    )
    notes = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度协商计划")
        verbose_name_plural = _("年度协商计划")
        ordering = ["-year", "committee"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="plan_once_a_year"),
        ]

    def __str__(self):
        return f"{self.committee} {self.year}年度协商计划"


class MeetingKind(models.TextChoices):
    BIMONTHLY = "bimonthly", _("双月协商会")
    STANDING_TOPIC = "standing_topic", _("专题议政性常委会议")
    COUNTERPART = "counterpart", _("对口协商")
    SALON = "salon", _("委员沙龙")
    BRIEFING = "briefing", _("情况通报会")
    SUPERVISION = "supervision", _("专题监督会")


class Topic(CleanText, Stamped):
    """议题: proposed → shortlisted → confirmed (into the plan, with a month) or rejected."""

    text_fields = {"title": TextKind.LINE, "reason": TextKind.TEXT}

    committee_path = "committee"

    class State(models.TextChoices):
        PROPOSED = "proposed", _("已提出")
        SHORTLISTED = "shortlisted", _("初选")
        CONFIRMED = "confirmed", _("已确定")
        REJECTED = "rejected", _("未采纳")

    class ProposerKind(models.TextChoices):
        PARTY = "party", _("党派")
        ORGANISATION = "organisation", _("人民团体")
        MEMBER = "member", _("委员")
        SECTOR = "sector", _("界别")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        DEPARTMENT = "department", _("党政部门")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="consultation_topics",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("议题"), max_length=200)
    reason = models.TextField(_("建议理由"))
    proposer_kind = models.CharField(_("提出方类型"), max_length=20, choices=ProposerKind.choices)
    proposer = models.CharField(_("提出方"), max_length=100)
    meeting_kind = models.CharField(
        _("协商形式"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.BIMONTHLY
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PROPOSED, editable=False
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("年度协商计划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        editable=False,
    )
    planned_month = models.PositiveSmallIntegerField(
        _("计划月份"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["-year", "planned_month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="confirmed")
                | Q(plan__isnull=False, planned_month__isnull=False),
                name="confirmed_topic_in_plan",
            ),
            models.CheckConstraint(
                condition=Q(planned_month__isnull=True)
                | Q(planned_month__gte=1, planned_month__lte=12),
                name="planned_month_in_year",
            ),
        ]

    def __str__(self):
        return self.title


class TopicDecision(models.Model):
    """One step of a topic: who moved it from which state to which, when and why."""

    committee_path = "topic__committee"

    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="decisions"
    )
    from_state = models.CharField(_("原状态"), max_length=12, choices=Topic.State.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=Topic.State.choices)
    by = models.ForeignKey(
        User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("议题处理记录")
        verbose_name_plural = _("议题处理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.topic}: {self.from_state} → {self.to_state}"


class Meeting(CleanText, Stamped):
    """A consultation meeting of any kind. A closed meeting is seen by its invitees and staff."""

    text_fields = {"title": TextKind.LINE}

    committee_path = "committee"

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="consultation_meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    held_on = models.DateField(_("会议日期"), db_index=True)
    venue = models.CharField(_("地点"), max_length=100, blank=True)
    organiser = models.ForeignKey(
        SpecialCommittee,
        verbose_name=_("承办专委会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    partners = _partners("joint_meetings")
    leaders = models.TextField(_("出席的党政领导"), blank=True)
    is_closed = models.BooleanField(_("仅限受邀人员"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True, editable=False)
    materials = models.TextField(_("会议材料"), blank=True)
    summary = models.TextField(_("会议纪要"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Invitation(models.Model):
    """A participant of a meeting: a member (seat of any level) or a guest (expert, official)."""

    committee_path = "meeting__committee"

    class Role(models.TextChoices):
        MEMBER = "member", _("委员")
        EXPERT = "expert", _("专家")
        OFFICIAL = "official", _("部门负责人")

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        SIGNED_IN = "signed_in", _("已签到")
        LEAVE_REQUESTED = "leave_requested", _("请假待批")
        ON_LEAVE = "on_leave", _("已准假")
        LEAVE_REFUSED = "leave_refused", _("未准假")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.CASCADE, related_name="invitations"
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    guest = models.CharField(_("特邀人员"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("出席情况"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    leave_reason = models.TextField(_("请假事由"), blank=True)
    leave_decided_by = models.ForeignKey(
        User,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leave_decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"], condition=Q(seat__isnull=False), name="invited_once"
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=False) | ~Q(guest=""), name="invitation_names_someone"
            ),
        ]

    def __str__(self):
        return str(self.seat.person) if self.seat_id else self.guest


class ResearchVisit(models.Model):
    """调研/视察 preparing a topic or meeting; the members taking part earn an act."""

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="research_visits",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("协商会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_visits",
    )
    visited_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    participants = models.ManyToManyField(
        Seat, verbose_name=_("参加委员"), blank=True, related_name="research_visits"
    )
    findings = models.TextField(_("调研发现"), blank=True)
    partners = _partners("joint_research_visits")
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("调研视察")
        verbose_name_plural = _("调研视察")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.visited_on} {self.place}"


class Questionnaire(CleanText, models.Model):
    text_fields = {"title": TextKind.LINE}

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    title = models.CharField(_("问卷"), max_length=200)
    distributed = models.PositiveIntegerField(_("发放"), default=0)
    returned = models.PositiveIntegerField(_("回收"), default=0)

    class Meta:
        verbose_name = _("问卷调查")
        verbose_name_plural = _("问卷调查")
        constraints = [
            models.CheckConstraint(
                condition=Q(returned__lte=models.F("distributed")),
                name="questionnaire_returned_le_distributed",
                violation_error_message=_("回收数不能多于发放数。"),
            ),
        ]

    def __str__(self):
        return self.title


class Speech(CleanText, models.Model):
    """发言 at a meeting; a member speaker earns an act."""

    text_fields = {"title": TextKind.LINE, "text": TextKind.TEXT}

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.CASCADE, related_name="speeches"
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("发言委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
    )
    speaker = models.CharField(_("发言人（非委员）"), max_length=100, blank=True)
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("发言内容"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("会议发言")
        verbose_name_plural = _("会议发言")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seat__isnull=False) | ~Q(speaker=""), name="speech_has_speaker"
            ),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    """委员提问 and the department's response 部门回应."""

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.CASCADE, related_name="questions"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("提问委员"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("提问"))
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("回应部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    response = models.TextField(_("回应"), blank=True)

    class Meta:
        verbose_name = _("委员提问")
        verbose_name_plural = _("委员提问与部门回应")

    def __str__(self):
        return self.question[:30]


class Suggestion(CleanText, Stamped):
    """意见建议 from a meeting, tracked to the addressee's decision."""

    text_fields = {"text": TextKind.TEXT}

    committee_path = "meeting__committee"

    class Status(models.TextChoices):
        PENDING = "pending", _("待反馈")
        ADOPTED = "adopted", _("已采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.PROTECT, related_name="suggestions"
    )
    text = models.TextField(_("意见建议"))
    addressee = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("送达单位"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    status = models.CharField(
        _("采纳情况"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
    )
    response = models.TextField(_("单位反馈"), blank=True, editable=False)
    responded_on = models.DateField(_("反馈日期"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(responded_on__isnull=False),
                name="decided_suggestion_has_date",
            ),
        ]

    def __str__(self):
        return self.text[:40]


class OutcomeReport(CleanText, models.Model):
    """《政协建言》: the outcome report of a meeting, sent to the party committee and government."""

    text_fields = {"title": TextKind.LINE, "text": TextKind.TEXT}

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政协建言")
        verbose_name_plural = _("政协建言")
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return self.title


class Instruction(Stamped):
    """领导批示 on an outcome report or on a suggestion."""

    committee_path = ("report__meeting__committee", "suggestion__meeting__committee")

    report = models.ForeignKey(
        OutcomeReport,
        verbose_name=_("政协建言"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
    )
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("意见建议"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
    )
    leader = models.CharField(_("批示领导"), max_length=50)
    given_on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, suggestion__isnull=True)
                | Q(report__isnull=True, suggestion__isnull=False),
                name="instruction_on_one_thing",
                violation_error_message=_("批示须对应一份《政协建言》或一条意见建议。"),
            ),
        ]

    def __str__(self):
        return f"{self.leader} {self.given_on}"


class MediaReport(CleanText, models.Model):
    text_fields = {"title": TextKind.LINE}

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("协商会议"), on_delete=models.CASCADE, related_name="media_reports"
    )
    outlet = models.CharField(_("媒体"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    url = models.URLField(_("链接"), blank=True)
    published_on = models.DateField(_("发布日期"))

    class Meta:
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")
        ordering = ["-published_on"]

    def __str__(self):
        return self.title
