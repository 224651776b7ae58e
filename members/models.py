"""The organisation directory: committees and their terms and plenary sessions, handling units,
the managed lists (sectors, parties, special committees), and the users who log in."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 14 → 十四, 20 → 二十, 32 → 三十二 (terms and sessions are written this way)."""
    if not 0 < number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


class Level(models.TextChoices):
    NATIONAL = "national", _("全国")
    MUNICIPAL = "municipal", _("市")
    DISTRICT = "district", _("区")


# The level a committee's parent must have.
PARENT_LEVEL = {Level.MUNICIPAL: Level.NATIONAL, Level.DISTRICT: Level.MUNICIPAL}


class Committee(models.Model):
    """One CPPCC committee at one level. Every record of the portal belongs to exactly one."""

    name = models.CharField(_("全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级政协"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region_code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码为6位数字。"))],
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政协委员会")
        verbose_name_plural = _("政协委员会")
        ordering = ["order", "region_code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) | ~Q(level=Level.NATIONAL))
                & ~Q(parent=models.F("id")),
                name="committee_parent_fits_level",
                violation_error_message=_("全国政协没有上级政协，且上级不能是本身。"),
            ),
        ]

    def __str__(self):
        return self.short_name

    def clean(self):
        expected = PARENT_LEVEL.get(self.level)
        if self.parent_id and (expected is None or self.parent.level != expected):
            raise ValidationError({"parent": _("上级政协的层级与本政协不匹配。")})


class Term(models.Model):
    """届: a committee's five-year term."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["committee", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="term_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_start",
                violation_error_message=_("结束日期应晚于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.committee} 第{chinese_numeral(self.number)}届"


class PlenarySession(models.Model):
    """次会议: the yearly plenary session of a term (e.g. 十四届二次会议)."""

    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("次"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("全体会议")
        verbose_name_plural = _("全体会议")
        ordering = ["term", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="session_closes_after_opening",
                violation_error_message=_("闭幕日期不能早于开幕日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.term.committee} {self.title}"

    @property
    def title(self) -> str:
        return f"{chinese_numeral(self.term.number)}届{chinese_numeral(self.number)}次会议"

    @property
    def year(self) -> int:
        return self.opens_on.year


class HandlingUnit(models.Model):
    """承办单位: a department or body that answers proposals and suggestions of a committee."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        PARTY = "party", _("党委部门")
        JUDICIAL = "judicial", _("司法机关")
        PUBLIC_BODY = "public_body", _("人民团体及事业单位")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.PROTECT,
        related_name="handling_units",
    )
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="handling_unit_name_unique"),
        ]

    def __str__(self):
        return self.name


class DirectoryEntry(models.Model):
    """A committee's managed list entry (sector, party, special committee)."""

    committee = models.ForeignKey(Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["committee", "order", "name"]

    def __str__(self):
        return self.name


class Sector(DirectoryEntry):
    """界别."""

    history = HistoricalRecords()

    class Meta(DirectoryEntry.Meta):
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="sector_unique")]


class Party(DirectoryEntry):
    """党派: 中共, the eight democratic parties, 无党派."""

    history = HistoricalRecords()

    class Meta(DirectoryEntry.Meta):
        verbose_name = _("党派")
        verbose_name_plural = _("党派")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="party_unique")]


class SpecialCommittee(DirectoryEntry):
    """专门委员会."""

    history = HistoricalRecords()

    class Meta(DirectoryEntry.Meta):
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="special_committee_unique")
        ]


class User(AbstractUser):
    """A login. Belongs to a committee (staff, members) or to a handling unit (its staff); roles are
    groups (members.roles). Superusers belong to neither and see everything."""

    first_name = None
    last_name = None
    name = models.CharField(_("姓名"), max_length=50)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("所属政协"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("所属承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email", "name"]

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(committee__isnull=True) | Q(handling_unit__isnull=True),
                name="user_one_affiliation",
                violation_error_message=_("用户只能属于一个政协或一个承办单位。"),
            ),
        ]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    def clean(self):
        super().clean()
        if self.committee_id and self.handling_unit_id:
            raise ValidationError(_("用户只能属于一个政协或一个承办单位。"))

    @property
    def home_committee_id(self) -> int | None:
        """The committee whose records this user works on (a unit's users: the unit's committee)."""
        if self.handling_unit_id:
            return self.handling_unit.committee_id
        return self.committee_id


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A district office's API credential. It acts as its own service account (`user`), which
    holds the district-office role in exactly one committee; only a hash of the key is stored."""

    name = models.CharField(_("客户端名称"), max_length=100)
    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.OneToOneField(
        User, verbose_name=_("服务账号"), on_delete=models.PROTECT, related_name="api_token"
    )
    prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    def set_key(self, key: str) -> None:
        self.prefix = key[:8]
        self.key_hash = _hash_key(key)

    @classmethod
    def find(cls, key: str) -> "ApiToken | None":
        return cls.objects.active().select_related("user").filter(key_hash=_hash_key(key)).first()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
