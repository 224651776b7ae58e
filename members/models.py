"""The organisation directory: committees and their terms and plenary sessions, handling units,
the managed lists (sectors, parties, special committees), and the users who log in."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Stamped
from core.params import is_digits
from core.text import CleanText
from core.text import Kind as TextKind

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


class Committee(CleanText, Stamped):
    """One CPPCC committee at one level. Every record of the portal belongs to exactly one."""

    text_fields = {"name": TextKind.LINE, "short_name": TextKind.LINE}

    committee_path = "id"

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


class Term(Stamped):
    """届: a committee's five-year term."""

    committee_path = "committee"

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


class PlenarySession(Stamped):
    """次会议: the yearly plenary session of a term (e.g. 十四届二次会议)."""

    committee_path = "term__committee"

    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("次"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    # Set by the proposal office: when proposals of this session (大会期间) may be submitted.
    proposals_open_on = models.DateField(_("提案征集开始"), null=True, blank=True)
    proposals_close_on = models.DateField(_("提案征集截止"), null=True, blank=True)
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


class HandlingUnit(CleanText, Stamped):
    """承办单位: a department or body that answers proposals and suggestions of a committee."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

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


class DirectoryEntry(CleanText, Stamped):
    """A committee's managed list entry (sector, party, special committee)."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

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


class User(CleanText, AbstractUser):
    """A login. Belongs to a committee (staff, members) or to a handling unit (its staff); roles are
    groups (core.roles). Superusers belong to neither and see everything."""

    text_fields = {"name": TextKind.NAME}

    committee_path = ("committee", "handling_unit__committee")

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
    receives_email = models.BooleanField(
        _("接收邮件提醒"),
        default=True,
        help_text=_("关闭后提醒只在平台的“我的通知”中显示。"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email", "name"]

    @property
    def is_service_account(self) -> bool:
        """A district office's service account (its API token's `user`), as far as known without
        a query: token authentication loads the account together with its token. A service
        account is nobody's member record: it leads and co-signs nothing."""
        token = User.api_token.related  # type: ignore[attr-defined]
        return token.is_cached(self) and token.get_cached_value(self) is not None

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
        """Not revoked, not expired, and its account still active."""
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
            Q(user__is_active=True) | Q(owner__is_active=True),
            revoked_at__isnull=True,
        )


class ApiToken(CleanText, Stamped):
    """An API credential; only a hash of its key is stored (the key is shown once).

    A district office's token acts as its own service account (`user`), which holds the
    district-office role in exactly one committee. A personal token (`owner`) acts as the user
    who holds it — their roles, their committee — until it expires or is revoked."""

    text_fields = {"name": TextKind.LINE}

    committee_path = "committee"

    name = models.CharField(_("客户端名称"), max_length=100)
    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="api_token",
        null=True,
        blank=True,
        editable=False,
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("个人令牌持有人"),
        on_delete=models.PROTECT,
        related_name="personal_tokens",
        null=True,
        blank=True,
        help_text=_("留空则签发区政协办公室的服务账号令牌；选择用户则签发该用户的个人令牌。"),
    )
    prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(owner__isnull=True),
                name="api_token_one_account",
                violation_error_message=_("令牌须属于一个服务账号或一名用户。"),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    def set_key(self, key: str) -> None:
        self.prefix = key[:8]
        self.key_hash = _hash_key(key)

    @staticmethod
    def hash_key(key: str) -> str:
        """What is stored of a key, and looked up (members.authentication)."""
        return _hash_key(key)

    @classmethod
    def find(cls, key: str) -> "ApiToken | None":
        return cls.find_hash(_hash_key(key))

    @classmethod
    def find_hash(cls, key_hash: str) -> "ApiToken | None":
        tokens = cls.objects.active().select_related("user", "owner")
        return tokens.filter(key_hash=key_hash).first()

    @property
    def account(self) -> User:
        """Who the token acts as: its owner, or the district office's service account."""
        return self.owner or self.user

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def is_usable(self) -> bool:
        """Active and its account too (as `ApiToken.objects.active()`), for a kept token."""
        return self.is_active and self.account.is_active


def validate_id_number(value: str) -> None:
    """Mainland resident ID numbers (18 characters) must carry a valid GB 11643 check digit;
    other documents (Hong Kong, Macao, passports) are 6–20 letters, digits and brackets."""
    value = value.upper()
    if len(value) == 18 and is_digits(value[:17]):
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        check = "10X98765432"[
            sum(int(d) * w for d, w in zip(value[:17], weights, strict=True)) % 11
        ]
        if value[17] != check:
            raise ValidationError(_("身份证号校验位不正确。"))
    elif not (6 <= len(value) <= 20 and all(c.isalnum() or c in "()（）" for c in value)):
        raise ValidationError(_("证件号码格式不正确。"))


# Seen and changed only by staff of a committee where the person holds a seat (members.privacy).
PERSONAL_FIELDS = ("phone", "id_number", "address")


class Person(CleanText, Stamped):
    """A member as a person, stored once; each seat they hold is a Seat."""

    text_fields = {"name": TextKind.NAME, "employer": TextKind.LINE}

    committee_path = "seats__committee"

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    employer = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    phone = models.CharField(
        _("手机号码"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", _("手机号码为以1开头的11位数字。"))],
    )
    id_number = models.CharField(
        _("证件号码"), max_length=20, blank=True, validators=[validate_id_number]
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=list(PERSONAL_FIELDS))

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_id_number_unique",
                violation_error_message=_("该证件号码已登记。"),
            ),
        ]

    def __str__(self):
        return self.name


class SeatStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("已离任")
    ADJUSTED = "adjusted", _("已调整")


class Seat(Stamped):
    """委员身份: a person's seat in one committee for one term."""

    committee_path = "committee"

    class Position(models.TextChoices):
        CHAIR = "chair", _("主席")
        VICE_CHAIR = "vice_chair", _("副主席")
        SECRETARY_GENERAL = "secretary_general", _("秘书长")
        MEMBER = "member", _("委员")

    person = models.ForeignKey(
        Person, verbose_name=_("委员"), on_delete=models.PROTECT, related_name="seats"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="seats"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="seats"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("界别"), on_delete=models.PROTECT, null=True, blank=True
    )
    party = models.ForeignKey(
        Party, verbose_name=_("党派"), on_delete=models.PROTECT, null=True, blank=True
    )
    special_committees = models.ManyToManyField(
        SpecialCommittee, verbose_name=_("专门委员会"), blank=True, related_name="seats"
    )
    is_standing_committee = models.BooleanField(_("常委"), default=False)
    position = models.CharField(
        _("职务"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SeatStatus.choices, default=SeatStatus.ACTIVE
    )
    is_hk_macao = models.BooleanField(_("港澳委员"), default=False)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[special_committees])

    class Meta:
        verbose_name = _("委员身份")
        verbose_name_plural = _("委员身份")
        ordering = ["committee", "person__name", "id"]
        indexes = [models.Index(fields=["committee", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "term"],
                name="seat_one_per_term",
                violation_error_message=_("该委员在本届已有委员身份。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="seat_ends_after_start",
                violation_error_message=_("离任日期不能早于任职日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.committee}"

    def clean(self):
        errors = {}
        if self.term_id and self.committee_id and self.term.committee_id != self.committee_id:
            errors["term"] = _("届次不属于该政协委员会。")
        for field in ("sector", "party"):
            entry = getattr(self, field)
            if entry is not None and entry.committee_id != self.committee_id:
                errors[field] = _("只能选择本政协的条目。")
        if errors:
            raise ValidationError(errors)


class Visit(CleanText, models.Model):
    """走访: staff visit a member or a member's enterprise ("走一遍、建一档、立一策")."""

    text_fields = {"topics": TextKind.TEXT, "follow_up": TextKind.TEXT}

    committee_path = "committee"

    class Kind(models.TextChoices):
        MEMBER = "member", _("走访委员")
        ENTERPRISE = "enterprise", _("走访委员企业")

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协委员会"), on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    visited_on = models.DateField(_("走访日期"))
    seat = models.ForeignKey(
        Seat, verbose_name=_("走访委员"), on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.CharField(_("企业名称"), max_length=100, blank=True)
    visitors = models.CharField(_("走访人员"), max_length=200)
    topics = models.TextField(_("走访内容"))
    follow_up = models.TextField(_("后续措施"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | ~Q(enterprise=""),
                name="visit_enterprise_named",
                violation_error_message=_("走访委员企业须填写企业名称。"),
            ),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.get_kind_display()} {self.enterprise or self.seat.person}"


class ActKind(CleanText, models.Model):
    """A kind of act that counts in the performance record, and its points (a managed table)."""

    text_fields = {"name": TextKind.LINE}

    committee_path = ""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    category = models.CharField(_("类别"), max_length=20)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("履职事项")
        verbose_name_plural = _("履职事项及分值")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Act(models.Model):
    """One act of a member's seat, recorded by the app where it happened (members.performance)."""

    committee_path = "seat__committee"

    seat = models.ForeignKey(
        Seat, verbose_name=_("委员身份"), on_delete=models.CASCADE, related_name="acts"
    )
    kind = models.ForeignKey(ActKind, verbose_name=_("履职事项"), on_delete=models.PROTECT)
    occurred_on = models.DateField(_("日期"))
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name=_("来源类型")
    )
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["seat", "occurred_on"]),
            models.Index(fields=["source_type", "source_id"], name="act_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "kind", "source_type", "source_id"], name="act_once_per_source"
            ),
        ]

    def __str__(self):
        return f"{self.seat.person} {self.kind} {self.occurred_on}"


def roster_path(instance, filename):
    """Uploaded rosters are kept under random names (they hold ID numbers)."""
    return f"rosters/{uuid.uuid4().hex}.xlsx"


class RosterImport(models.Model):
    """A large roster import run by the worker (members.tasks); its page shows the progress and,
    at the end, the counts or every error (all rows or none, as for a small import)."""

    committee_path = "term__committee"

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未导入")

    term = models.ForeignKey(Term, verbose_name=_("届次"), on_delete=models.CASCADE)
    file = models.FileField(_("名册文件"), upload_to=roster_path, max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("数据行数"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.term} {self.file_name}"
