"""The three tiers 站、室、点: member workstations in streets and towns (a district's), sector
studios and contact points (a district's or the municipal committee's); the members of any level
placed in them (落组进站), their activities, yearly 五个好 assessments, and the 达标授牌 and 示范点
awards with their years."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Stamped
from core.text import CleanText
from core.text import Kind as TextKind
from members.models import Committee, Level, Seat, Sector, User


class Street(CleanText, Stamped):
    """街镇: a street or town of a district (a managed list)."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="streets"
    )
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=6, choices=Kind.choices, default=Kind.STREET)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("街镇")
        verbose_name_plural = _("街镇")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="street_unique"),
        ]

    def __str__(self):
        return self.name


class Tier(models.TextChoices):
    STATION = "station", _("委员工作站")
    STUDIO = "studio", _("界别委员工作室")
    CONTACT_POINT = "contact_point", _("联系点")


class Award(models.TextChoices):
    CERTIFIED = "certified", _("达标授牌")
    DEMONSTRATION = "demonstration", _("示范点")


class Workstation(CleanText, Stamped):
    """A workstation of one of the three tiers: a station belongs to a district, a studio or a
    contact point to a district or the municipal committee."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="workstations",
    )
    tier = models.CharField(_("类型"), max_length=15, choices=Tier.choices)
    name = models.CharField(_("名称"), max_length=100)
    street = models.ForeignKey(
        Street,
        verbose_name=_("所在街镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workstations",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("界别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workstations",
    )
    host = models.CharField(_("依托单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    certified_year = models.PositiveSmallIntegerField(
        _("达标授牌年度"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("按“五个好”标准达标并授牌的年度。"),
    )
    demonstration_year = models.PositiveSmallIntegerField(
        _("示范点命名年度"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("被命名为“践行全过程人民民主示范点”的年度。"),
    )
    liaisons = models.ManyToManyField(
        User, verbose_name=_("联络员"), blank=True, related_name="liaison_workstations"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员工作站（站室点）")
        verbose_name_plural = _("委员工作站（站室点）")
        ordering = ["committee", "tier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="workstation_name_unique"),
            models.CheckConstraint(
                condition=~Q(tier="station") | Q(street__isnull=False),
                name="station_has_street",
                violation_error_message=_("委员工作站须选择所在街镇。"),
            ),
            models.CheckConstraint(
                condition=~Q(tier="studio") | Q(sector__isnull=False),
                name="studio_has_sector",
                violation_error_message=_("界别委员工作室须选择界别。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        level = self.committee.level if self.committee_id else None
        if level == Level.NATIONAL:
            errors["committee"] = _("站、室、点属于区政协或市政协。")
        elif level == Level.MUNICIPAL and self.tier == Tier.STATION:
            errors["tier"] = _("委员工作站设在区的街镇；市政协可设界别委员工作室和联系点。")
        if self.street_id and self.street.committee_id != self.committee_id:
            errors["street"] = _("街镇不属于该区。")
        if self.tier == Tier.STATION and not self.street_id:
            errors["street"] = _("委员工作站须选择所在街镇。")
        if self.tier == Tier.STUDIO and not self.sector_id:
            errors["sector"] = _("界别委员工作室须选择界别。")
        if self.tier in (Tier.STUDIO, Tier.CONTACT_POINT) and not self.host:
            errors["host"] = _("请填写依托单位。")
        if errors:
            raise ValidationError(errors)


class Placement(Stamped):
    """落组进站: a seat (of any level) joins a workstation; ending it keeps the history."""

    committee_path = "workstation__committee"

    class Role(models.TextChoices):
        CONVENOR = "convenor", _("召集人")
        MEMBER = "member", _("成员")

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("站室点"), on_delete=models.PROTECT, related_name="placements"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("委员身份"), on_delete=models.PROTECT, related_name="placements"
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("进站日期"))
    left_on = models.DateField(_("离站日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进站委员")
        verbose_name_plural = _("进站委员")
        ordering = ["workstation", "-role", "seat__person__name"]
        indexes = [
            # "is this seat placed anywhere now?" (the entry rate)
            models.Index(
                fields=["seat"], condition=Q(left_on__isnull=True), name="placement_current_seat"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workstation", "seat"],
                condition=Q(left_on__isnull=True),
                name="placement_one_active",
                violation_error_message=_("该委员已在本站。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="placement_leaves_after_joining",
                violation_error_message=_("离站日期不能早于进站日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.seat.person} @ {self.workstation}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Activity(CleanText, Stamped):
    """An activity of a workstation; the members present earn a performance act."""

    text_fields = {"topic": TextKind.LINE, "outcomes": TextKind.TEXT}

    committee_path = "workstation__committee"

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("协商议事")
        BRIEFING = "briefing", _("政策宣讲")
        READING = "reading", _("读书学习")
        PUBLIC = "public", _("联系群众")
        RESEARCH = "research", _("调研")
        SERVICE = "service", _("服务")

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("站室点"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=15, choices=Kind.choices)
    held_on = models.DateField(_("活动日期"), db_index=True)
    topic = models.CharField(_("主题"), max_length=200)
    attendees = models.ManyToManyField(
        Seat, verbose_name=_("参加委员"), blank=True, related_name="workstation_activities"
    )
    public_participants = models.PositiveIntegerField(_("群众参与人数"), default=0)
    outcomes = models.TextField(_("活动成效"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("站室点活动")
        verbose_name_plural = _("站室点活动")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class Assessment(models.Model):
    """The yearly "五个好" assessment of a workstation, each criterion scored 0–20."""

    committee_path = "workstation__committee"

    CRITERIA = ("support", "mechanism", "linkage", "role", "feedback")

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("站室点"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    support = models.PositiveSmallIntegerField(
        _("基本保障落实好"), validators=[MaxValueValidator(20)]
    )
    mechanism = models.PositiveSmallIntegerField(
        _("平台机制建设好"), validators=[MaxValueValidator(20)]
    )
    linkage = models.PositiveSmallIntegerField(
        _("协商联动组织好"), validators=[MaxValueValidator(20)]
    )
    role = models.PositiveSmallIntegerField(_("主体作用发挥好"), validators=[MaxValueValidator(20)])
    feedback = models.PositiveSmallIntegerField(
        _("基层群众反映好"), validators=[MaxValueValidator(20)]
    )
    comment = models.TextField(_("评语"), blank=True)
    assessed_by = models.ForeignKey(
        User,
        verbose_name=_("评定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("“五个好”评定")
        verbose_name_plural = _("“五个好”评定")
        ordering = ["-year", "workstation"]
        constraints = [
            models.UniqueConstraint(fields=["workstation", "year"], name="assessment_once_a_year"),
            models.CheckConstraint(
                condition=Q(
                    support__lte=20,
                    mechanism__lte=20,
                    linkage__lte=20,
                    role__lte=20,
                    feedback__lte=20,
                ),
                name="assessment_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.workstation} {self.year}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.CRITERIA)
