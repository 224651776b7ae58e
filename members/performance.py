"""The performance record 履职档案: the one entry point every app uses to record a member's act,
and the yearly record derived from the acts (never typed in).

An act is identified by (seat, kind, source object): recording it twice changes nothing, and the
app that recorded it withdraws it when the source no longer counts (e.g. an attendance removed).
Points come from the managed ActKind table at the time of reading.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from members.models import Act, ActKind, Seat

# The kinds of acts the apps record, with their initial points. They are created after every
# migrate (staff may change the points in the admin; a new kind is added here with its code).
STANDARD_KINDS = [
    # code, name, category, points
    ("plenary_attendance", "出席全体会议", "会议", 5),
    ("meeting_attendance", "出席协商会议", "会议", 3),
    ("meeting_leave", "会议请假", "会议", 0),
    ("speech", "会议发言", "会议", 5),
    ("proposal_lead", "领衔提交提案", "提案", 5),
    ("proposal_cosign", "联名附议提案", "提案", 2),
    ("proposal_filed", "提案立案", "提案", 5),
    ("proposal_excellent", "优秀提案", "提案", 10),
    ("research_visit", "参加调研视察", "调研", 3),
    ("workstation_activity", "参加站室点活动", "工作站", 2),
    ("opinion_submitted", "报送社情民意信息", "社情民意", 2),
    ("opinion_adopted_district", "社情民意信息被区政协采用", "社情民意", 3),
    ("opinion_adopted_municipal", "社情民意信息被市政协采用", "社情民意", 5),
    ("opinion_adopted_national", "社情民意信息被全国政协采用", "社情民意", 10),
    ("brand_expert", "参加工作品牌评审", "工作品牌", 2),
]


def sync_act_kinds(using: str = "default", **kwargs) -> None:
    """Create the standard kinds that are missing; existing points are left as staff set them."""
    existing = set(ActKind.objects.using(using).values_list("code", flat=True))
    ActKind.objects.using(using).bulk_create(
        [
            ActKind(code=code, name=name, category=category, points=points, order=order)
            for order, (code, name, category, points) in enumerate(STANDARD_KINDS, start=1)
            if code not in existing
        ]
    )


ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=9, decimal_places=1))


def record_act(*, seat: Seat | int, kind: str, on: date, source: models.Model) -> Act:
    """Record that `seat` did an act of `kind` (an ActKind code) on `on`, because of `source`."""
    act_kind = ActKind.objects.get(code=kind)
    act, _created = Act.objects.get_or_create(
        seat_id=seat if isinstance(seat, int) else seat.pk,
        kind=act_kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        defaults={"occurred_on": on},
    )
    return act


def withdraw_act(*, seat: Seat | int, kind: str, source: models.Model) -> None:
    """Remove the act recorded for this seat, kind and source, if any."""
    # Filter on plain columns: a join here would turn the DELETE into a slow IN (subquery).
    Act.objects.filter(
        seat_id=seat if isinstance(seat, int) else seat.pk,
        kind_id=ActKind.objects.get(code=kind).pk,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
    ).delete()


def withdraw_acts_of(source: models.Model, *, kind: str | None = None) -> None:
    """Remove every act a source recorded (when the source itself is deleted or cancelled)."""
    acts = Act.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    if kind:
        acts = acts.filter(kind_id=ActKind.objects.get(code=kind).pk)
    acts.delete()


def yearly_record(seat_ids, year: int):
    """Per act kind: how many acts and how many points the seats earned in `year`."""
    return (
        ActKind.objects.annotate(
            acts=Count("act", filter=Q(act__seat__in=seat_ids, act__occurred_on__year=year)),
        )
        .annotate(
            total=Coalesce(
                Sum("points", filter=Q(act__seat__in=seat_ids, act__occurred_on__year=year)),
                ZERO,
            )
        )
        .filter(acts__gt=0)
        .order_by("order", "code")
    )


def ranking(seats, year: int):
    """The seats annotated with their year's points and acts, best first (a database aggregate)."""
    in_year = Q(acts__occurred_on__year=year)
    return (
        seats.annotate(
            points=Coalesce(Sum("acts__kind__points", filter=in_year), ZERO),
            act_count=Count("acts", filter=in_year),
        )
        .select_related("person", "sector", "party", "committee")
        .order_by("-points", "-act_count", "person__name", "id")
    )
