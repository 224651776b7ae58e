"""Acts on brands and evaluation rounds — every write of a brands record.

The registry: create and update a brand, change its status (merged / retired, with a reason),
save or delete its parts (key figures, milestones, images). The round 评选: create and update it
(rules while in set-up), its criteria and expert panel, then the steps nomination → eligibility
check → expert scoring → public voting → deliberation → publication, each an act that checks the
actor's role and the round's state, locks the round row and writes its history. Votes are cast
by brands.voting (which identifies and rate-limits the voter) through `cast_vote` here.

Admin, portal, API and Celery call these functions and hold no rule of their own. Opening the
scoring tells the experts, an eligibility check tells the nominator (notifications.events).
"""

import itertools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brands import tally
from brands.models import (
    IMAGE_FORMATS,
    IMAGE_MAX_BYTES,
    MATERIAL_MAX_BYTES,
    Brand,
    Candidate,
    Criterion,
    Expert,
    Image,
    Invalidation,
    KeyFigure,
    Milestone,
    Round,
    Score,
    Vote,
    Voter,
)
from core.errors import Invalid, NotAllowed, NotFound, WrongState
from core.files import check_content, detect
from core.history import stamp
from core.roles import Role, has_role
from core.scoping import can_write
from members.models import Committee, Seat, SeatStatus
from members.performance import record_act
from notifications.events import notify

TWO = Decimal("0.01")
RULE_FIELDS = (
    "top_quota",
    "excellent_quota",
    "expert_weight",
    "drop_extremes",
    "votes_per_candidate_per_day",
    "candidates_per_day",
)
DATE_FIELDS = (
    "nomination_closes_on",
    "check_closes_on",
    "scoring_closes_on",
    "voting_opens_at",
    "voting_closes_at",
    "deliberation_on",
    "publication_on",
)
PART_MODELS = {"figure": KeyFigure, "milestone": Milestone, "image": Image}


# --- Who may act ---------------------------------------------------------------------------------


def is_brand_office(user, committee_id: int) -> bool:
    """The committee's brand office (a district office's account counts for its district)."""
    return (has_role(user, Role.BRAND_OFFICE) or has_role(user, Role.DISTRICT_OFFICE)) and (
        can_write(user, committee_id)
    )


def _require_office(user, committee_id: int) -> None:
    if not is_brand_office(user, committee_id):
        raise NotAllowed(_("只有本政协的品牌工作人员可以办理。"))


def _require_organiser(user, round_: Round) -> None:
    if not (has_role(user, Role.BRAND_OFFICE) and can_write(user, round_.committee_id)):
        raise NotAllowed(_("只有主办评选的政协品牌办公室可以办理。"))


def _locked_round(round_: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).get(pk=round_.pk)


def _require_state(round_: Round, *states: str, action: str) -> None:
    if round_.state not in states:
        raise WrongState(
            _("评选当前为“%(state)s”，不能%(action)s。")
            % {"state": round_.get_state_display(), "action": action}
        )


def _move(round_: Round, to_state: str, *, by, reason: str, fields=()) -> Round:
    round_.state = to_state
    stamp(round_, by, reason)
    round_.save(update_fields=["state", *fields])
    return round_


# --- The registry --------------------------------------------------------------------------------


def _check_brand(committee: Committee, data: dict) -> None:
    special = data.get("special_committee")
    if special is not None and special.committee_id != committee.pk:
        raise Invalid(_("专委会须属于品牌所属政协。"), field="special_committee")
    series = data.get("series")
    if series is not None and series.committee_id not in _up_the_tree(committee):
        raise Invalid(_("品牌系列须由本政协或上级政协设立。"), field="series")
    station = data.get("workstation")
    if station is not None and station.committee_id != committee.pk:
        raise Invalid(_("依托的站室点须属于品牌所属政协。"), field="workstation")
    category = data.get("proposal_category")
    if category is not None and category.committee_id != committee.pk:
        raise Invalid(_("依托的提案类别须属于品牌所属政协。"), field="proposal_category")
    year = data.get("founded_year")
    if year is not None and not 1949 <= year <= timezone.localdate().year:
        raise Invalid(_("创立年份应在1949年至今年之间。"), field="founded_year")
    name = data.get("name")
    if name is not None and not name.strip():
        raise Invalid(_("请填写品牌名称。"), field="name")


def _up_the_tree(committee: Committee) -> set[int]:
    row = Committee.objects.filter(pk=committee.pk).values_list("parent_id", "parent__parent_id")
    return {committee.pk, *(pk for pk in (row.first() or ()) if pk)}


def _unique_name(committee_id: int, name: str, exclude: int | None = None) -> None:
    clash = Brand.objects.filter(committee_id=committee_id, name=name.strip())
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Invalid(_("本政协已有同名品牌。"), field="name")


@transaction.atomic
def create_brand(*, committee: Committee, by, **data) -> Brand:
    _require_office(by, committee.pk)
    _check_brand(committee, data)
    _unique_name(committee.pk, data.get("name", ""))
    brand = Brand(committee=committee, **data)
    brand.name = brand.name.strip()
    stamp(brand, by, _("登记品牌"))
    brand.save()
    return brand


EDITABLE = (
    "special_committee",
    "series",
    "name",
    "founded_year",
    "overview",
    "highlights",
    "is_public",
    "workstation",
    "workstation_tier",
    "meeting_kind",
    "proposal_category",
)


@transaction.atomic
def update_brand(brand: Brand, *, by, **changes) -> Brand:
    brand = Brand.objects.select_for_update(of=("self",)).get(pk=brand.pk)
    _require_office(by, brand.committee_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(_("不能修改：%(f)s。") % {"f": "、".join(sorted(unknown))})
    _check_brand(brand.committee, changes)
    if "name" in changes:
        _unique_name(brand.committee_id, changes["name"], exclude=brand.pk)
        changes["name"] = changes["name"].strip()
    for name, value in changes.items():
        setattr(brand, name, value)
    stamp(brand, by, _("修改品牌信息"))
    brand.save()
    return brand


@transaction.atomic
def change_status(
    brand: Brand, *, by, status: str, reason: str, merged_into: Brand | None = None
) -> Brand:
    """Merge a brand into another, retire it, or bring it back into use; always with a reason."""
    brand = Brand.objects.select_for_update(of=("self",)).get(pk=brand.pk)
    _require_office(by, brand.committee_id)
    if status not in Brand.Status.values:
        raise Invalid(_("未知的品牌状态。"), field="status")
    if not reason.strip():
        raise Invalid(_("请说明理由。"), field="reason")
    if status == brand.status:
        raise WrongState(_("品牌已是“%(s)s”。") % {"s": brand.get_status_display()})
    if status == Brand.Status.MERGED:
        if merged_into is None or merged_into.pk == brand.pk:
            raise Invalid(_("请选择并入的其他品牌。"), field="merged_into")
        if merged_into.committee_id not in _up_the_tree(brand.committee):
            raise Invalid(_("只能并入本政协或上级政协的品牌。"), field="merged_into")
        if merged_into.status != Brand.Status.ACTIVE:
            raise Invalid(_("只能并入在用的品牌。"), field="merged_into")
    brand.status = status
    brand.merged_into = merged_into if status == Brand.Status.MERGED else None
    stamp(brand, by, reason.strip())
    brand.save(update_fields=["status", "merged_into", "updated_at"])
    return brand


def check_image(upload) -> None:
    """An image is what its content says it is (JPEG, PNG or WebP), whatever its name."""
    from PIL import Image as Picture
    from PIL import UnidentifiedImageError

    if upload.size > IMAGE_MAX_BYTES:
        raise Invalid(_("图片不能超过5MB。"), field="file")
    try:
        upload.seek(0)
        with Picture.open(upload) as picture:
            kind = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(_("文件内容不是图片。"), field="file") from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise Invalid(_("只接受JPEG、PNG或WebP图片。"), field="file")


def check_material(upload) -> None:
    """Nomination materials: a PDF (by its content and its name) of at most 20 MB."""
    if upload.size > MATERIAL_MAX_BYTES:
        raise Invalid(_("申报附件不能超过20MB。"), field="material_file")
    if detect(upload) != "pdf":
        raise Invalid(_("申报附件须为PDF文件。"), field="material_file")
    check_content(upload, allowed=["pdf"], field="material_file")


@transaction.atomic
def save_part(brand: Brand, kind: str, *, by, instance=None, **data):
    """Add or change a key figure, milestone or image of the brand."""
    brand = Brand.objects.select_for_update(of=("self",)).get(pk=brand.pk)
    _require_office(by, brand.committee_id)
    model = PART_MODELS[kind]
    if instance is not None and (
        not isinstance(instance, model) or getattr(instance, "brand_id", None) != brand.pk
    ):
        raise Invalid(_("不属于该品牌。"))
    if kind == "image" and data.get("file") is not None and hasattr(data["file"], "size"):
        check_image(data["file"])
    if kind == "milestone" and data.get("happened_on"):
        happened = data["happened_on"]
        if not date(1949, 1, 1) <= happened <= timezone.localdate():
            raise Invalid(_("日期应在1949年至今天之间。"), field="happened_on")
    part = instance or model(brand=brand)
    for name, value in data.items():
        setattr(part, name, value)
    part.save()
    stamp(brand, by, _("修改%(part)s") % {"part": model._meta.verbose_name})
    brand.save(update_fields=["updated_at"])
    return part


@transaction.atomic
def delete_part(part, *, by) -> None:
    brand = Brand.objects.select_for_update(of=("self",)).get(pk=part.brand_id)
    _require_office(by, brand.committee_id)
    part.delete()
    stamp(brand, by, _("删除%(part)s") % {"part": part._meta.verbose_name})
    brand.save(update_fields=["updated_at"])


# --- Rounds: set-up ------------------------------------------------------------------------------


def _check_dates(values: dict) -> None:
    """The steps follow each other: nomination ≤ check ≤ scoring ≤ voting ≤ deliberation ≤
    publication."""
    local = timezone.localtime
    opens, closes = values.get("voting_opens_at"), values.get("voting_closes_at")
    chain = [
        ("nomination_closes_on", values.get("nomination_closes_on")),
        ("check_closes_on", values.get("check_closes_on")),
        ("scoring_closes_on", values.get("scoring_closes_on")),
        ("voting_opens_at", local(opens).date() if opens else None),
        ("voting_closes_at", local(closes).date() if closes else None),
        ("deliberation_on", values.get("deliberation_on")),
        ("publication_on", values.get("publication_on")),
    ]
    for (_name, earlier), (name, later) in itertools.pairwise(chain):
        if earlier and later and later < earlier:
            raise Invalid(_("各阶段日期须依次排列。"), field=name)
    if opens and closes and closes <= opens:
        raise Invalid(_("投票截止须晚于投票开始。"), field="voting_closes_at")
    for name, value in chain:
        if value and not 2000 <= value.year <= 2100:
            raise Invalid(_("日期应在2000年至2100年之间。"), field=name)


def _check_rules(values: dict) -> None:
    weight = values.get("expert_weight")
    if weight is not None and not 0 <= weight <= 100:
        raise Invalid(_("专家评分权重应在0至100之间。"), field="expert_weight")
    for name in ("votes_per_candidate_per_day", "candidates_per_day"):
        if values.get(name) is not None and values[name] < 1:
            raise Invalid(_("至少为1。"), field=name)
    year = values.get("year")
    if year is not None and not 2000 <= year <= 2100:
        raise Invalid(_("年度应在2000至2100之间。"), field="year")


def _check_series(committee: Committee, series) -> None:
    for item in series:
        if item.committee_id != committee.pk:
            raise Invalid(_("参评系列须由主办政协设立。"), field="series")


@transaction.atomic
def create_round(*, committee: Committee, by, series=(), **values) -> Round:
    _require_organiser(by, Round(committee=committee))
    _check_rules(values)
    _check_dates(values)
    _check_series(committee, series)
    if Round.objects.filter(committee=committee, title=values.get("title", "")).exists():
        raise Invalid(_("本政协已有同名评选。"), field="title")
    round_ = Round(committee=committee, **values)
    stamp(round_, by, _("创建评选"))
    round_.save()
    round_.series.set(series)
    return round_


@transaction.atomic
def update_round(round_: Round, *, by, series=None, **changes) -> Round:
    """Rules and included series change only in set-up; dates until publication."""
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, *[s for s in Round.State.values if s != "published"], action=_("修改"))
    fixed = {"year", "title", *RULE_FIELDS}
    if round_.state != Round.State.SETUP and (series is not None or fixed & set(changes)):
        raise WrongState(_("申报开始后，评选规则和参评系列不能再修改。"))
    unknown = set(changes) - fixed - set(DATE_FIELDS)
    if unknown:
        raise Invalid(_("不能修改：%(f)s。") % {"f": "、".join(sorted(unknown))})
    _check_rules(changes)
    merged = {name: getattr(round_, name) for name in DATE_FIELDS} | {
        k: v for k, v in changes.items() if k in DATE_FIELDS
    }
    _check_dates(merged)
    if "title" in changes and (
        Round.objects.filter(committee_id=round_.committee_id, title=changes["title"])
        .exclude(pk=round_.pk)
        .exists()
    ):
        raise Invalid(_("本政协已有同名评选。"), field="title")
    for name, value in changes.items():
        setattr(round_, name, value)
    stamp(round_, by, _("修改评选"))
    round_.save()
    if series is not None:
        _check_series(round_.committee, series)
        round_.series.set(series)
    return round_


@transaction.atomic
def save_criterion(round_: Round, *, by, instance: Criterion | None = None, **data) -> Criterion:
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.SETUP, action=_("修改评分标准"))
    criterion = instance or Criterion(round=round_)
    for name, value in data.items():
        setattr(criterion, name, value)
    if not criterion.name.strip():
        raise Invalid(_("请填写评分项。"), field="name")
    if (
        Criterion.objects.filter(round=round_, name=criterion.name)
        .exclude(pk=criterion.pk)
        .exists()
    ):
        raise Invalid(_("评分项重复。"), field="name")
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(criterion: Criterion, *, by) -> None:
    round_ = _locked_round(criterion.round)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.SETUP, action=_("修改评分标准"))
    criterion.delete()


@transaction.atomic
def add_expert(round_: Round, *, by, user, committee=None, special_committee=None) -> Expert:
    """Add an expert (of their own unit: by default the committee of their account)."""
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(
        round_,
        Round.State.SETUP,
        Round.State.NOMINATING,
        Round.State.CHECKING,
        action=_("调整专家"),
    )
    if not user.is_active or not has_role(user, Role.BRAND_EXPERT):
        raise Invalid(_("专家须为在用的“品牌评审专家”账号。"), field="user")
    committee = committee or user.committee
    if committee is None:
        raise Invalid(_("请注明专家所在政协。"), field="committee")
    if special_committee is not None and special_committee.committee_id != committee.pk:
        raise Invalid(_("专委会须属于专家所在政协。"), field="special_committee")
    if round_.experts.filter(user=user).exists():
        raise Invalid(_("该专家已在评审组中。"), field="user")
    expert = Expert(
        round=round_, user=user, committee=committee, special_committee=special_committee
    )
    stamp(expert, by, _("加入评审组"))
    expert.save()
    return expert


@transaction.atomic
def remove_expert(expert: Expert, *, by, reason: str) -> None:
    """Before voting opens an expert may leave the panel; their scores go with them."""
    round_ = _locked_round(expert.round)
    _require_organiser(by, round_)
    _require_state(
        round_,
        Round.State.SETUP,
        Round.State.NOMINATING,
        Round.State.CHECKING,
        Round.State.SCORING,
        action=_("调整专家"),
    )
    if not reason.strip():
        raise Invalid(_("请说明理由。"), field="reason")
    stamp(expert, by, reason.strip())
    expert.delete()


# --- Rounds: the steps ---------------------------------------------------------------------------


@transaction.atomic
def open_nominations(round_: Round, *, by) -> Round:
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.SETUP, action=_("开始申报"))
    if not round_.series.exists():
        raise WrongState(_("请先选择参评系列。"))
    weights = round_.criteria.aggregate(total=Sum("weight"))["total"] or 0
    if weights != 100:
        raise WrongState(_("评分标准的权重合计须为100%%（现为%(w)d%%）。") % {"w": weights})
    return _move(round_, Round.State.NOMINATING, by=by, reason=_("开始申报"))


@transaction.atomic
def nominate(round_: Round, brand: Brand, *, by, materials: str, material_file=None) -> Candidate:
    """A committee office puts its own brand forward with its materials."""
    round_ = _locked_round(round_)
    _require_office(by, brand.committee_id)
    _require_state(round_, Round.State.NOMINATING, action=_("申报"))
    if round_.committee_id not in _up_the_tree(brand.committee):
        raise Invalid(_("只能向本政协或上级政协的评选申报。"), field="round")
    if brand.status != Brand.Status.ACTIVE:
        raise Invalid(_("只能申报在用的品牌。"), field="brand")
    if not round_.series.filter(pk=brand.series_id).exists():
        raise Invalid(_("该品牌的系列不在本次评选范围内。"), field="brand")
    if not materials.strip():
        raise Invalid(_("请填写申报材料。"), field="materials")
    if material_file:
        check_material(material_file)
    if Candidate.objects.filter(round=round_, brand=brand).exists():
        raise Invalid(_("该品牌已申报本次评选。"), field="brand")
    number = (round_.candidates.aggregate(top=Max("number"))["top"] or 0) + 1
    candidate = Candidate(
        round=round_,
        brand=brand,
        number=number,
        materials=materials.strip(),
        material_file=material_file or "",
        nominated_by=by,
    )
    stamp(candidate, by, _("申报"))
    candidate.save()
    return candidate


@transaction.atomic
def withdraw_nomination(candidate: Candidate, *, by, reason: str) -> None:
    round_ = _locked_round(candidate.round)
    _require_office(by, candidate.brand.committee_id)
    _require_state(round_, Round.State.NOMINATING, action=_("撤回申报"))
    if not reason.strip():
        raise Invalid(_("请说明理由。"), field="reason")
    stamp(candidate, by, reason.strip())
    candidate.delete()


@transaction.atomic
def close_nominations(round_: Round, *, by) -> Round:
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.NOMINATING, action=_("截止申报"))
    if not round_.candidates.exists():
        raise WrongState(_("尚无品牌申报。"))
    return _move(round_, Round.State.CHECKING, by=by, reason=_("截止申报，进入资格审核"))


@transaction.atomic
def check_eligibility(candidate: Candidate, *, by, eligible: bool, reason: str = "") -> Candidate:
    """The organising office's check; a refusal says why."""
    round_ = _locked_round(candidate.round)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.CHECKING, action=_("审核资格"))
    candidate = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    if not eligible and not reason.strip():
        raise Invalid(_("审核不通过的，请说明理由。"), field="reason")
    candidate.state = Candidate.State.ELIGIBLE if eligible else Candidate.State.INELIGIBLE
    candidate.check_reason = reason.strip()
    stamp(candidate, by, reason.strip() or _("审核通过"))
    candidate.save(update_fields=["state", "check_reason"])
    notify(
        "brands.eligibility_checked",
        subject=candidate,
        committee_id=round_.committee_id,
        recipients=[candidate.nominated_by_id],
        params={
            "round": round_.title,
            "brand": candidate.brand.name,
            "result": candidate.get_state_display(),
            "reason": candidate.check_reason,
        },
        url=reverse("admin:brands_candidate_change", args=[candidate.pk]),
        event=candidate.state,
        by=by,
    )
    return candidate


@transaction.atomic
def start_scoring(round_: Round, *, by) -> Round:
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.CHECKING, action=_("开始专家评分"))
    waiting = round_.candidates.filter(state=Candidate.State.NOMINATED).count()
    if waiting:
        raise WrongState(_("还有%(n)d个品牌未审核资格。") % {"n": waiting})
    if not round_.candidates.filter(state=Candidate.State.ELIGIBLE).exists():
        raise WrongState(_("没有审核通过的品牌。"))
    if not round_.experts.exists():
        raise WrongState(_("请先组建专家评审组。"))
    _move(round_, Round.State.SCORING, by=by, reason=_("开始专家评分"))
    for expert in round_.experts.all():
        notify(
            "brands.scoring_started",
            subject=expert,
            committee_id=round_.committee_id,
            recipients=[expert.user_id],
            params={"round": round_.title},
            url=reverse("brands:scoring"),
            by=by,
        )
    return round_


def scorable(expert: Expert):
    """The candidates this expert scores: the eligible ones not of their own unit."""
    candidates = Candidate.objects.filter(
        round_id=expert.round_id, state=Candidate.State.ELIGIBLE
    ).select_related("brand")
    return [c for c in candidates if not expert.conflicts_with(c.brand)]


def expert_of(round_: Round, user) -> Expert | None:
    return Expert.objects.filter(round=round_, user=user).select_related("round").first()


@transaction.atomic
def score(candidate: Candidate, *, by, values: dict) -> list[Score]:
    """An expert's scores of one candidate, one per criterion (`values`: criterion id → score);
    scoring again replaces them until voting opens."""
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=candidate.round_id)
    expert = Expert.objects.select_for_update().filter(round=round_, user=by).first()
    if expert is None:
        raise NotAllowed(_("您不是本次评选的评审专家。"))
    _require_state(round_, Round.State.SCORING, action=_("评分"))
    candidate = Candidate.objects.select_related("brand").get(pk=candidate.pk)
    if candidate.state != Candidate.State.ELIGIBLE:
        raise WrongState(_("该品牌未通过资格审核。"))
    if expert.conflicts_with(candidate.brand):
        raise NotAllowed(_("专家不能评审本单位的品牌。"))
    criteria = {c.pk: c for c in round_.criteria.all()}
    values = {int(k): v for k, v in values.items()}
    missing = [str(c) for pk, c in criteria.items() if values.get(pk) is None]
    if missing or set(values) - set(criteria):
        raise Invalid(_("请为每个评分项打分。"), field="values")
    saved = []
    for pk, raw in values.items():
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        except ArithmeticError:
            raise Invalid(_("分数格式有误。"), field=f"criterion_{pk}") from None
        if not 0 <= value <= criteria[pk].max_score:
            raise Invalid(
                _("“%(c)s”的分数应在0至%(m)d之间。")
                % {"c": criteria[pk].name, "m": criteria[pk].max_score},
                field=f"criterion_{pk}",
            )
        row, _created = Score.objects.update_or_create(
            candidate=candidate, expert=expert, criterion_id=pk, defaults={"value": value}
        )
        saved.append(row)
    _mark_completion(expert, by=by)
    return saved


def _mark_completion(expert: Expert, *, by) -> None:
    todo = {c.pk for c in scorable(expert)}
    needed = len(todo) * expert.round.criteria.count()
    done = Score.objects.filter(expert=expert, candidate__in=todo).count()
    completed = done >= needed
    if completed and expert.completed_at is None:
        expert.completed_at = timezone.now()
        stamp(expert, by, _("完成评分"))
        expert.save(update_fields=["completed_at"])
        seat = _member_seat(expert)
        if seat is not None:
            record_act(seat=seat, kind="brand_expert", on=timezone.localdate(), source=expert)


def _member_seat(expert: Expert) -> Seat | None:
    """The expert's active seat in the organising committee, when the expert is a member."""
    return (
        Seat.objects.filter(
            person__user_id=expert.user_id,
            committee_id=expert.round.committee_id,
            status=SeatStatus.ACTIVE,
        )
        .order_by("-started_on")
        .first()
    )


def progress(round_: Round) -> list[dict]:
    """Per expert: candidates to score, candidates scored on every criterion, completed at."""
    criteria = round_.criteria.count()
    full = (
        Score.objects.filter(expert__round=round_)
        .values("expert", "candidate")
        .annotate(n=Count("pk"))
        .filter(n__gte=criteria)
    )
    scored: dict[int, int] = {}
    for row in full:
        scored[row["expert"]] = scored.get(row["expert"], 0) + 1
    rows = []
    for expert in round_.experts.select_related("user", "committee", "special_committee"):
        rows.append(
            {
                "expert": expert,
                "to_score": len(scorable(expert)),
                "scored": scored.get(expert.pk, 0),
                "completed_at": expert.completed_at,
            }
        )
    return rows


@transaction.atomic
def open_voting(round_: Round, *, by) -> Round:
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.SCORING, action=_("开始网络投票"))
    unfinished = [str(row["expert"]) for row in progress(round_) if row["completed_at"] is None]
    if unfinished:
        raise WrongState(_("以下专家尚未完成评分：%(who)s。") % {"who": "、".join(unfinished)})
    return _move(round_, Round.State.VOTING, by=by, reason=_("开始网络投票"))


# --- Voting --------------------------------------------------------------------------------------


class Refused(WrongState):
    """A vote the round's rule refuses (answered 409 with the reason); `reason` is a code."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def network_of(kind: str, voter: str) -> str:
    if kind == Voter.EMAIL:
        return voter.rpartition("@")[2]
    if kind == Voter.PHONE:
        return voter[:7]
    return ""


# The hot path of voting in two statements (bench/brand_voting.py measures it). The first checks
# that the round is open and the candidate in it, reads the rule and takes the voter's lock for
# the day; the second, with a snapshot taken after the lock, counts the voter's votes of the day
# and inserts the vote only if the rule allows it, numbering it (seq) for the unique constraint.
_OPEN_AND_LOCK = """
SELECT r.votes_per_candidate_per_day, r.candidates_per_day,
       pg_advisory_xact_lock(hashtextextended(%(lock)s, r.id))
  FROM brands_candidate c JOIN brands_round r ON r.id = c.round_id
 WHERE c.id = %(candidate)s AND c.round_id = %(round)s AND c.state = 'eligible'
   AND r.state = 'voting' AND r.voting_opens_at <= %(now)s AND r.voting_closes_at > %(now)s
"""
_INSERT_IF_ALLOWED = """
INSERT INTO brands_vote (round_id, candidate_id, voter_kind, voter, day, seq, cast_at, ip,
                         user_agent, network)
SELECT %(round)s, %(candidate)s, %(kind)s, %(voter)s, %(day)s, mine.same + 1, %(now)s, %(ip)s,
       %(agent)s, %(network)s
  FROM (SELECT count(*) FILTER (WHERE candidate_id = %(candidate)s) AS same,
               count(DISTINCT candidate_id) FILTER (WHERE candidate_id <> %(candidate)s) AS others
          FROM brands_vote
         WHERE round_id = %(round)s AND voter = %(voter)s AND day = %(day)s) AS mine
 WHERE mine.same < %(per_candidate)s AND (mine.same > 0 OR mine.others < %(per_day)s)
RETURNING id
"""


def cast_vote(
    round_: Round | int,
    candidate_id: int,
    *,
    kind: str,
    voter: str,
    ip: str,
    user_agent: str = "",
) -> int:
    """Store one vote if the round's rule allows it and return its id; acknowledged only once
    committed. The voter's votes of the day are serialised by a transaction-level advisory lock
    (other voters are not held up); the unique constraint (candidate, voter, day, seq) is the
    last word should two requests slip past the count."""
    round_id = round_ if isinstance(round_, int) else round_.pk
    now = timezone.now()
    today = timezone.localdate(now)
    params: dict[str, Any] = {
        "round": round_id,
        "candidate": candidate_id,
        "kind": kind,
        "voter": voter,
        "day": today,
        "now": now,
        "ip": ip,
        "agent": user_agent[:300],
        "network": network_of(kind, voter),
        "lock": f"{voter}|{today.isoformat()}",
    }
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_OPEN_AND_LOCK, params)
            rule = cursor.fetchone()
            if rule is None:
                _refuse_closed(round_id, now)
                raise Refused(_("该品牌不在本次投票范围内。"), "candidate")
            params["per_candidate"], params["per_day"] = rule[0], rule[1]
            cursor.execute(_INSERT_IF_ALLOWED, params)
            inserted = cursor.fetchone()
            if inserted is None:
                _refuse_by_rule(round_id, candidate_id, voter, today, per_day=rule[1])
            transaction.on_commit(lambda: tally.counted(round_id, candidate_id))
    except IntegrityError:
        tally.refused(round_id, "duplicate")
        raise Refused(_("您今天已为该品牌投过票，请明天再来。"), "duplicate") from None
    except Refused as refusal:
        tally.refused(round_id, refusal.reason)
        raise
    return inserted[0]


def _refuse_by_rule(round_id: int, candidate_id: int, voter: str, today, *, per_day: int):
    mine = Vote.objects.filter(round_id=round_id, voter=voter, day=today)
    if mine.filter(candidate_id=candidate_id).exists():
        raise Refused(_("您今天已为该品牌投过票，请明天再来。"), "duplicate")
    raise Refused(_("每人每天最多为%(n)d个品牌投票。") % {"n": per_day}, "daily_limit")


def _refuse_closed(round_id: int, now) -> None:
    """Why a vote found no open candidate: no such round (404), or it is not open (409)."""
    round_ = Round.objects.filter(pk=round_id).only("state", "voting_opens_at", "voting_closes_at")
    found = round_.first()
    if found is None:
        raise NotFound()
    if found.state != Round.State.VOTING or not (
        found.voting_opens_at <= now < found.voting_closes_at
    ):
        raise Refused(_("投票未开放。"), "closed")


def _matching(round_: Round, kind: str, value: str):
    votes = Vote.objects.filter(round=round_)
    field = {"ip": "ip", "network": "network", "voter": "voter"}[kind]
    return votes.filter(**{field: value})


@transaction.atomic
def invalidate(round_: Round, *, by, kind: str, value: str, reason: str) -> Invalidation:
    """Set aside the votes of an IP, an e-mail domain / phone prefix or a voter."""
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.VOTING, Round.State.DELIBERATING, action=_("作废投票"))
    if kind not in Invalidation.Kind.values:
        raise Invalid(_("未知的作废类型。"), field="kind")
    value = value.strip()
    if not value:
        raise Invalid(_("请填写作废对象。"), field="value")
    if kind == Invalidation.Kind.IP:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_ipv46_address

        try:
            validate_ipv46_address(value)
        except ValidationError:
            raise Invalid(_("IP地址格式有误。"), field="value") from None
    if not reason.strip():
        raise Invalid(_("请说明作废理由。"), field="reason")
    invalidation = Invalidation(round=round_, kind=kind, value=value, reason=reason.strip(), by=by)
    stamp(invalidation, by, reason.strip())
    invalidation.save()
    affected = (
        _matching(round_, kind, value).filter(invalidation=None).update(invalidation=invalidation)
    )
    # A derived count, not a change of the invalidation: no history entry of its own.
    Invalidation.objects.filter(pk=invalidation.pk).update(votes_affected=affected)
    invalidation.votes_affected = affected
    _after_recount(round_)
    return invalidation


@transaction.atomic
def revoke_invalidation(invalidation: Invalidation, *, by, reason: str) -> Invalidation:
    """Give the votes back; those another standing invalidation covers stay set aside."""
    round_ = _locked_round(invalidation.round)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.VOTING, Round.State.DELIBERATING, action=_("撤销作废"))
    invalidation = Invalidation.objects.select_for_update().get(pk=invalidation.pk)
    if invalidation.revoked_at is not None:
        raise WrongState(_("该作废已撤销。"))
    if not reason.strip():
        raise Invalid(_("请说明撤销理由。"), field="reason")
    Vote.objects.filter(invalidation=invalidation).update(invalidation=None)
    invalidation.revoked_at, invalidation.revoked_by = timezone.now(), by
    invalidation.revoke_reason = reason.strip()
    stamp(invalidation, by, reason.strip())
    invalidation.save()
    for other in round_.invalidations.filter(revoked_at=None).order_by("at"):
        _matching(round_, other.kind, other.value).filter(invalidation=None).update(
            invalidation=other
        )
    _after_recount(round_)
    return invalidation


def _after_recount(round_: Round) -> None:
    transaction.on_commit(lambda: tally.forget(round_.pk))
    if round_.state == Round.State.DELIBERATING:
        compute_results(round_)


# --- Results -------------------------------------------------------------------------------------


def stored_tally(round_: Round) -> dict[int, int]:
    """Valid votes per candidate, counted from the stored votes."""
    return dict(
        Vote.objects.filter(round=round_, invalidation=None)
        .values("candidate")
        .annotate(n=Count("pk"))
        .values_list("candidate", "n")
    )


def expert_scores(round_: Round) -> dict[int, Decimal]:
    """Each candidate's expert score out of 100: every expert's weighted total (each criterion's
    score over its maximum × its weight), averaged over the experts — without the highest and
    the lowest when the rule says so and three or more experts scored."""
    totals: dict[int, list[Decimal]] = {}
    rows = (
        Score.objects.filter(candidate__round=round_)
        .values("candidate", "expert")
        .annotate(total=Sum(F("value") * F("criterion__weight") / F("criterion__max_score")))
    )
    for row in rows:
        totals.setdefault(row["candidate"], []).append(Decimal(row["total"]))
    scores = {}
    for candidate, values in totals.items():
        values.sort()
        if round_.drop_extremes and len(values) >= 3:
            values = values[1:-1]
        mean = sum(values, Decimal(0)) / len(values)
        scores[candidate] = mean.quantize(TWO, rounding=ROUND_HALF_UP)
    return scores


def compute_results(round_: Round) -> None:
    """Composite = expert score × weight + votes normalised to the most voted × (100 − weight);
    ranks per series; the quotas give the proposed award in composite order. An award the chair
    meeting changed (with a reason) is kept."""
    experts, votes = expert_scores(round_), stored_tally(round_)
    candidates = list(
        round_.candidates.filter(state=Candidate.State.ELIGIBLE).select_related("brand")
    )
    most = max((votes.get(c.pk, 0) for c in candidates), default=0)
    weight = Decimal(round_.expert_weight) / 100
    composite: dict[int, tuple[Decimal, Decimal]] = {}
    for candidate in candidates:
        expert = experts.get(candidate.pk, Decimal(0))
        candidate.expert_score = expert
        candidate.votes = votes.get(candidate.pk, 0)
        normalised = Decimal(candidate.votes * 100) / most if most else Decimal(0)
        candidate.composite = (expert * weight + normalised * (1 - weight)).quantize(
            TWO, rounding=ROUND_HALF_UP
        )
        composite[candidate.pk] = (candidate.composite, expert)
    order = sorted(
        candidates,
        key=lambda c: (-composite[c.pk][0], -composite[c.pk][1], c.number),
    )
    by_series: dict[int, int] = {}
    for position, candidate in enumerate(order):
        series = candidate.brand.series_id
        by_series[series] = by_series.get(series, 0) + 1
        candidate.rank = by_series[series]
        if position < round_.top_quota:
            candidate.proposed_award = Candidate.Award.TOP
        elif position < round_.top_quota + round_.excellent_quota:
            candidate.proposed_award = Candidate.Award.EXCELLENT
        else:
            candidate.proposed_award = Candidate.Award.NONE
        if not candidate.override_reason:
            candidate.award = candidate.proposed_award
    Candidate.objects.bulk_update(
        candidates,
        ["expert_score", "votes", "composite", "rank", "proposed_award", "award"],
    )


@transaction.atomic
def close_voting(round_: Round, *, by) -> Round:
    """Voting ends once its window has passed: the tally is counted from the stored votes and
    the results are computed for the chair meeting."""
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.VOTING, action=_("结束投票"))
    if timezone.now() < round_.voting_closes_at:
        raise WrongState(
            _("投票截止时间（%(t)s）未到。")
            % {"t": timezone.localtime(round_.voting_closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    round_.refused_votes = tally.refusals(round_.pk)
    compute_results(round_)
    return _move(
        round_,
        Round.State.DELIBERATING,
        by=by,
        reason=_("结束投票，综合评定"),
        fields=["refused_votes"],
    )


@transaction.atomic
def override_award(candidate: Candidate, *, by, award: str, reason: str) -> Candidate:
    """The chair meeting's decision to change a candidate's award, with its reason."""
    round_ = _locked_round(candidate.round)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.DELIBERATING, action=_("调整评定等次"))
    if award not in Candidate.Award.values:
        raise Invalid(_("未知的等次。"), field="award")
    if not reason.strip():
        raise Invalid(_("调整等次须记录主席会议的理由。"), field="reason")
    candidate = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    if candidate.state != Candidate.State.ELIGIBLE:
        raise WrongState(_("该品牌未通过资格审核。"))
    candidate.award, candidate.override_reason = award, reason.strip()
    stamp(candidate, by, reason.strip())
    candidate.save(update_fields=["award", "override_reason"])
    return candidate


@transaction.atomic
def publish(round_: Round, *, by) -> Round:
    """The results are published and frozen; every awarded brand receives its certificate."""
    round_ = _locked_round(round_)
    _require_organiser(by, round_)
    _require_state(round_, Round.State.DELIBERATING, action=_("发布结果"))
    counts: dict[str, int] = {Candidate.Award.TOP: 0, Candidate.Award.EXCELLENT: 0}
    prefix: dict[str, str] = {Candidate.Award.TOP: "SD", Candidate.Award.EXCELLENT: "YX"}
    awarded = round_.candidates.filter(award__in=list(counts))
    for candidate in awarded.order_by("-composite", "number"):
        counts[candidate.award] += 1
        candidate.certificate_no = (
            f"{round_.year}-{prefix[candidate.award]}-{counts[candidate.award]:03d}"
        )
        stamp(candidate, by, _("发布结果"))
        candidate.save(update_fields=["certificate_no"])
    round_.published_at = timezone.now()
    return _move(
        round_, Round.State.PUBLISHED, by=by, reason=_("发布结果"), fields=["published_at"]
    )
