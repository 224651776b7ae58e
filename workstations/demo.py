"""Demo data of workstations: Xuhui's 13 streets and towns (always: they are real), and in demo
mode its 13 member workstations, 10 sector studios, 5 contact points, the members placed in them
(徐家汇街道's station holds 32: 1 national, 8 municipal, 23 district), activities of 2023 and of
this year, and the 2023 五个好 assessments. Placements and assessments go through
workstations.workflow, once; the activities are inserted set-based with the acts the workflow
would record. Then the rest of the city at its scale (workstations.citydemo)."""

import random
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.demo import XUHUI_STREETS, ensure
from members.models import Committee, Level, Seat, SeatStatus, Sector, User
from workstations import citydemo, workflow
from workstations.models import Activity, Assessment, Placement, Street, Tier, Workstation

STUDIOS = [  # sector, host
    ("经济界", "徐汇区工商联"),
    ("医药卫生界", "复旦大学附属中山医院"),
    ("教育界", "上海市南洋模范中学"),
    ("文化艺术界", "上海徐汇艺术馆"),
    ("科学技术界", "上海市科学技术情报研究所"),
    ("社会科学界", "上海社会科学院"),
    ("新闻出版界", "上海文化广场"),
    ("体育界", "上海体育场"),
    ("民建", "民建徐汇区委"),
    ("九三学社", "九三学社徐汇区委"),
]
CONTACT_POINTS = [
    ("上海交通大学徐汇校区社情民意信息联系点", "上海交通大学"),
    ("华东理工大学社情民意信息联系点", "华东理工大学"),
    ("漕河泾开发区联系服务群众联系点", "漕河泾新兴技术开发区"),
    ("徐家汇商圈联系服务群众联系点", "徐家汇商城集团"),
    ("徐汇区中心医院联系服务群众联系点", "徐汇区中心医院"),
]
TOPICS = {
    Activity.Kind.CONSULTATION: [
        "老旧小区加装电梯协商议事",
        "社区养老服务提升协商",
        "背街小巷综合治理协商",
    ],
    Activity.Kind.BRIEFING: ["全国两会精神宣讲", "优化营商环境政策宣讲"],
    Activity.Kind.READING: ["委员读书会：城市更新", "委员读书会：全过程人民民主"],
    Activity.Kind.PUBLIC: ["委员接待日", "倾听群众呼声走访"],
    Activity.Kind.RESEARCH: ["一江一河滨水空间调研", "社区卫生服务中心调研"],
    Activity.Kind.SERVICE: ["义诊进社区", "法律咨询服务"],
}
KINDS = list(TOPICS)


def _streets(xuhui: Committee) -> list[Street]:
    return [
        ensure(
            Street,
            {"committee": xuhui, "name": name},
            order=index,
            kind=Street.Kind.TOWN if name.endswith("镇") else Street.Kind.STREET,
        )
        for index, name in enumerate(XUHUI_STREETS, start=1)
    ]


def _workstations(xuhui: Committee, streets: list[Street]) -> list[Workstation]:
    sectors = {s.name: s for s in Sector.objects.filter(committee=xuhui)}
    stations = [
        ensure(
            Workstation,
            {"committee": xuhui, "name": f"{street.name}“协商于民”委员工作站"},
            tier=Tier.STATION,
            street=street,
            address=f"上海市徐汇区{street.name}社区党群服务中心",
            established_on=date(2021, 6, 1),
            is_active=True,
        )
        for street in streets
    ]
    studios = [
        ensure(
            Workstation,
            {"committee": xuhui, "name": f"{sector}界别委员工作室"},
            tier=Tier.STUDIO,
            sector=sectors[sector],
            host=host,
            established_on=date(2022, 11, 9),
            is_active=True,
        )
        for sector, host in STUDIOS
    ]
    points = [
        ensure(
            Workstation,
            {"committee": xuhui, "name": name},
            tier=Tier.CONTACT_POINT,
            host=host,
            established_on=date(2023, 3, 1),
            is_active=True,
        )
        for name, host in CONTACT_POINTS
    ]
    return stations + studios + points


def _place(station, seat, admin, *, convenor=False):
    if not station.placements.filter(seat=seat).exists():  # an ended placement stays ended
        workflow.place(
            workstation=station,
            seat=seat,
            joined_on=date(2022, 3, 1),
            by=admin,
            role=Placement.Role.CONVENOR if convenor else Placement.Role.MEMBER,
        )


def _placements(xuhui, stations, studios, admin) -> None:
    """97% of Xuhui's active members in a station; 徐家汇街道 like the seed's Hongqiao example."""
    district = list(
        Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE, is_hk_macao=False).order_by(
            "pk"
        )
    )
    municipal = list(
        Seat.objects.filter(committee__level=Level.MUNICIPAL, status=SeatStatus.ACTIVE).order_by(
            "pk"
        )[:8]
    )
    national = list(
        Seat.objects.filter(committee__level=Level.NATIONAL, status=SeatStatus.ACTIVE).order_by(
            "pk"
        )[:1]
    )
    xujiahui = next(s for s in stations if s.street.name == "徐家汇街道")
    for index, seat in enumerate(national + municipal + district[:23]):
        _place(xujiahui, seat, admin, convenor=index == 9)
    others = [s for s in stations if s != xujiahui]
    placed = district[23 : len(district) - len(district) // 33]
    for index, seat in enumerate(placed):
        _place(others[index % len(others)], seat, admin, convenor=index < len(others))
    for studio in studios:
        for seat in [s for s in district if s.sector_id == studio.sector_id][:6]:
            _place(studio, seat, admin)


def _activities(stations, admin, rng: random.Random, year: int, months) -> None:
    """A year of activities per workstation, inserted set-based (citydemo.insert_activities)
    with the acts the workflow would record; the random draws as the workflow replay made them."""
    today = timezone.localdate()
    existing = set(
        Activity.objects.filter(workstation__in=stations, held_on__year=year).values_list(
            "workstation", "held_on", "topic"
        )
    )
    rows, present = [], []
    for station in stations:
        members = list(
            Seat.objects.filter(
                placements__workstation=station, placements__left_on__isnull=True
            ).order_by("pk")
        )
        every = {Tier.STATION: 1, Tier.STUDIO: 2, Tier.CONTACT_POINT: 3}[station.tier]
        for month in months[::every]:
            kind = KINDS[(month + station.pk) % len(KINDS)]
            topic = TOPICS[kind][month % len(TOPICS[kind])]
            held_on = date(year, month, 5 + station.pk % 20)
            if (station.pk, held_on, topic) in existing:
                continue
            attendees = rng.sample(members, min(len(members), rng.randint(5, 12)))
            past = held_on <= today
            rows.append(
                Activity(
                    workstation=station,
                    kind=kind,
                    held_on=held_on,
                    topic=topic,
                    public_participants=rng.randint(10, 80) if past else 0,
                    outcomes="形成意见建议，报送区政协。"
                    if kind == Activity.Kind.CONSULTATION
                    else "",
                    recorded_by=admin,
                )
            )
            present.append(attendees if past else [])
    citydemo.insert_activities(rows, present)


@transaction.atomic
def seed(stdout) -> None:
    xuhui = Committee.objects.get(region_code="310104")
    streets = _streets(xuhui)
    stdout.write(f"街镇：徐汇区 {len(streets)} 个")
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if not settings.DEMO_MODE or admin is None:
        return
    workstations = _workstations(xuhui, streets)
    stations = [w for w in workstations if w.tier == Tier.STATION]
    studios = [w for w in workstations if w.tier == Tier.STUDIO]
    _placements(xuhui, stations, studios, admin)
    liaison = User.objects.filter(username="xh_liaison").first()
    xujiahui = next(s for s in stations if s.street.name == "徐家汇街道")
    if liaison and not xujiahui.liaisons.filter(pk=liaison.pk).exists():
        xujiahui.liaisons.add(liaison)
    rng = random.Random(2023)
    _activities(workstations, admin, rng, 2023, list(range(1, 13)))
    today = timezone.localdate()
    _activities(workstations, admin, rng, today.year, list(range(1, 13)))
    for index, station in enumerate(workstations):
        scores = {
            name: 15 + (index + offset) % 6 for offset, name in enumerate(Assessment.CRITERIA)
        }
        existing = Assessment.objects.filter(workstation=station, year=2023).first()
        if existing is None:
            workflow.assess(workstation=station, year=2023, by=admin, **scores)
    placements = Placement.objects.filter(workstation__committee=xuhui).count()
    activities = Activity.objects.filter(workstation__committee=xuhui).count()
    stdout.write(f"站室点：{len(workstations)} 个，进站 {placements} 人次，活动 {activities} 场")
    citydemo.seed(stdout)
