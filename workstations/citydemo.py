"""Demo data of the whole city's workstations (DOMAIN §5): the streets and towns of the 15 other
districts with a "协商于民" station in each (215 in the city), 97% of every committee's active
members placed (落组进站), 45 municipal sector studios covering the 32 sectors and five municipal
contact points (with national, municipal and district members), a year of activities in 2023 and
this year per station (Xuhui 2023's "50余场、700人次" is the pattern: four a year, about fourteen
members each), and the awards — 110 stations certified 达标 in 2021 (seed 003), more in 2022 and
2023, 示范点 named in 2023 (徐家汇 and 华泾镇 among them, seed 001).

Deterministic and set-based (bulk_create); Xuhui's own records are left as workstations.demo
made them, but for its awards. A district that already has stations is left as it is.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from members.citydemo import STREET_COUNTS
from members.demo import DISTRICTS, SECTORS
from members.models import Act, ActKind, Committee, Seat, SeatStatus, Sector
from workstations.models import Activity, Placement, Street, Tier, Workstation
from workstations.workflow import ACT_KIND

CENTRAL = {"黄浦区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区"}  # streets only
PLACES = [
    "东湖",
    "西园",
    "南塘",
    "北桥",
    "中兴",
    "新华",
    "长风",
    "金杨",
    "银杏",
    "春申",
    "秋霞",
    "梅园",
    "兰亭",
    "竹林",
    "松风",
    "柳营",
    "桃浦",
    "杏林",
    "荷花",
    "菊泉",
    "云台",
    "海防",
    "江川",
    "河滨",
    "湖光",
    "山阳",
    "石湖",
    "玉泉",
    "金汇",
    "宝华",
    "安亭",
    "永丰",
    "康宁",
    "福新",
    "瑞金",
    "祥和",
    "嘉禾",
    "丰庄",
    "泰和",
    "华新",
]
STUDIO_EXTRA = 13  # 45 studios: one per sector, a second for the first 13 sectors
CONTACT_POINTS = [
    ("上海政协全过程人民民主实践点", "长宁区政协"),
    ("上海政协全过程人民民主研习基地", "浦东新区政协"),
    ("复旦大学社情民意信息联系点", "复旦大学"),
    ("同济大学社情民意信息联系点", "同济大学"),
    ("上海社会科学院社情民意信息联系点", "上海社会科学院"),
]
KINDS = [
    (Activity.Kind.CONSULTATION, "街情通报与基层协商"),
    (Activity.Kind.READING, "委员读书活动"),
    (Activity.Kind.RESEARCH, "视察调研"),
    (Activity.Kind.PUBLIC, "委员接待日"),
]
ATTENDEES = 14
JOINED = date(2022, 3, 1)


def _award_years(index: int) -> tuple[int | None, int | None]:
    """(certified, 示范点) of the city's index-th station: 110 in 2021, 60 in 2022, 30 in 2023,
    the rest not yet; every 14th a 示范点 of 2023."""
    certified = 2021 if index < 110 else 2022 if index < 170 else 2023 if index < 200 else None
    return certified, 2023 if certified and index % 14 == 3 else None


def _stations(committee: Committee, name: str, first: int) -> list[Workstation]:
    count = STREET_COUNTS[name]
    towns = 0 if name in CENTRAL else count // 2
    streets = Street.objects.bulk_create(
        Street(
            committee=committee,
            name=f"{PLACES[i]}{'镇' if i >= count - towns else '街道'}",
            kind=Street.Kind.TOWN if i >= count - towns else Street.Kind.STREET,
            order=i + 1,
        )
        for i in range(count)
    )
    stations = []
    for i, street in enumerate(streets):
        certified, demonstration = _award_years(first + i)
        stations.append(
            Workstation(
                committee=committee,
                tier=Tier.STATION,
                name=f"{street.name}“协商于民”委员工作站",
                street=street,
                address=f"上海市{name}{street.name}社区党群服务中心",
                established_on=date(2021, 6, 1),
                certified_year=certified,
                demonstration_year=demonstration,
            )
        )
    return Workstation.objects.bulk_create(stations)


def _place(stations: list[Workstation], seats: list[int], placements: list[Placement]) -> None:
    """Every seat but one in 33 (97%) in a station in turn; the first of each its convenor."""
    for i, seat in enumerate(seats):
        if i % 33 == 32:
            continue
        placements.append(
            Placement(
                workstation=stations[i % len(stations)],
                seat_id=seat,
                role=Placement.Role.CONVENOR if i < len(stations) else Placement.Role.MEMBER,
                joined_on=JOINED,
            )
        )


def _active(committee: Committee) -> list[int]:
    return list(
        Seat.objects.filter(committee=committee, status=SeatStatus.ACTIVE, is_hk_macao=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _municipal(shanghai: Committee, placements: list[Placement]) -> list[Workstation]:
    sectors = {s.name: s for s in Sector.objects.filter(committee=shanghai)}
    studios = [
        Workstation(
            committee=shanghai,
            tier=Tier.STUDIO,
            name=f"{sector}界别委员工作室{'（二）' if second else ''}",
            sector=sectors[sector],
            host=f"市政协{sector}界别召集人单位",
            established_on=date(2019, 6, 1),
        )
        for second, names in ((False, SECTORS), (True, SECTORS[:STUDIO_EXTRA]))
        for sector in names
    ]
    points = [
        Workstation(
            committee=shanghai,
            tier=Tier.CONTACT_POINT,
            name=name,
            host=host,
            established_on=date(2023, 3, 1),
        )
        for name, host in CONTACT_POINTS
    ]
    workstations = Workstation.objects.bulk_create(studios + points)
    by_sector: dict[int, list[Workstation]] = {}
    for studio in workstations[: len(studios)]:
        by_sector.setdefault(studio.sector_id, []).append(studio)
    seats = Seat.objects.filter(
        committee=shanghai, status=SeatStatus.ACTIVE, is_hk_macao=False
    ).order_by("pk")
    for i, (seat, sector) in enumerate(seats.values_list("pk", "sector")):
        if i % 33 == 32 or sector not in by_sector:
            continue
        rooms = by_sector[sector]
        placements.append(
            Placement(
                workstation=rooms[i % len(rooms)],
                seat_id=seat,
                role=Placement.Role.CONVENOR if i < 45 else Placement.Role.MEMBER,
                joined_on=JOINED,
            )
        )
    # Members of every level in the municipal tiers: national members, and two district
    # members (already in their street's station) of each district but Xuhui in a contact point.
    national = Seat.objects.filter(committee__level="national", status=SeatStatus.ACTIVE)
    for i, seat in enumerate(national.order_by("pk").values_list("pk", flat=True)[:2]):
        placements.append(Placement(workstation=points[i], seat_id=seat, joined_on=JOINED))
    for i, placement in enumerate(p for p in list(placements) if p.workstation.tier == "station"):
        if i % 150 < 2:
            placements.append(
                Placement(
                    workstation=points[2 + i % 3], seat_id=placement.seat_id, joined_on=JOINED
                )
            )
    return workstations


def _activities(workstations: list[Workstation], placements: list[Placement]) -> int:
    """Four activities a year per station (six per studio or contact point) in 2023 and this
    year up to today, each with about fourteen of its members and some of the public; every
    member present earns the workstation act, as workstations.workflow would record it."""
    today = timezone.localdate()
    members: dict[int, list[int]] = {}
    for placement in placements:
        members.setdefault(placement.workstation.pk, []).append(placement.seat_id)
    activities, present = [], []
    for n, workstation in enumerate(workstations):
        months = (3, 6, 9, 12) if workstation.tier == Tier.STATION else (2, 4, 6, 8, 10, 12)
        seats = members.get(workstation.pk, [])
        for year in sorted({2023, today.year}):
            for k, month in enumerate(months):
                held_on = date(year, month, 3 + n % 25)
                if held_on > today:
                    continue
                kind, topic = KINDS[(n + k) % len(KINDS)]
                start = (k * 5) % max(len(seats), 1)
                chosen = (seats[start:] + seats[:start])[:ATTENDEES]
                activities.append(
                    Activity(
                        workstation=workstation,
                        kind=kind,
                        held_on=held_on,
                        topic=f"{topic}（{year}年{month}月）",
                        public_participants=20 + (n * 7 + k * 11) % 40,
                    )
                )
                present.append(chosen)
    return insert_activities(activities, present)


def insert_activities(activities: list[Activity], present: list[list]) -> int:
    """Insert the activities, their attendees (seats or seat ids) and each attendee's
    workstation act — what workstations.workflow.record_activity leaves — in three statements."""
    activities = Activity.objects.bulk_create(activities)
    through = Activity.attendees.through
    present = [[getattr(s, "pk", s) for s in seats] for seats in present]
    through.objects.bulk_create(
        through(activity_id=a.pk, seat_id=s)
        for a, seats in zip(activities, present, strict=True)
        for s in seats
    )
    kind = ActKind.objects.get(code=ACT_KIND)
    source = ContentType.objects.get_for_model(Activity)
    Act.objects.bulk_create(
        Act(seat_id=s, kind=kind, occurred_on=a.held_on, source_type=source, source_id=a.pk)
        for a, seats in zip(activities, present, strict=True)
        for s in seats
    )
    return len(activities)


def seed(stdout) -> None:
    shanghai = Committee.objects.get(region_code="310000")
    xuhui = Committee.objects.get(region_code="310104")
    workstations: list[Workstation] = []
    placements: list[Placement] = []
    first = 0
    for name, code in DISTRICTS:
        committee = Committee.objects.get(region_code=code)
        if committee != xuhui and not committee.workstations.exists():
            stations = _stations(committee, name, first)
            _place(stations, _active(committee), placements)
            workstations += stations
        first += STREET_COUNTS[name]
    if not shanghai.workstations.exists():
        workstations += _municipal(shanghai, placements)
    Placement.objects.bulk_create(placements)
    count = _activities(workstations, placements)
    # Xuhui: its 13 stations in the first batch of 2021; 徐家汇 and 华泾镇 示范点 of 2023.
    xuhui_stations = Workstation.objects.filter(committee=xuhui, tier=Tier.STATION)
    xuhui_stations.filter(certified_year=None).update(certified_year=2021)
    xuhui_stations.filter(
        street__name__in=["徐家汇街道", "华泾镇"], demonstration_year=None
    ).update(demonstration_year=2023)
    stdout.write(
        f"全市站室点：新增 {len(workstations)} 个，进站 {len(placements)} 人次，活动 {count} 场"
    )
