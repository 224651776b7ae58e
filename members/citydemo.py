"""Demo data of the whole city at Shanghai's scale (DOMAIN §5: "三级政协委员近6000人"): the 14th
term, directory and a few handling units of the 15 districts other than Xuhui, their members
(290 + 2 per street or town each), and 800 more municipal members — about 6,000 active seats of
the three levels in all. Deterministic (no randomness but fixed pools) and built with set-based
inserts (bulk_create), once: a district that already has seats is left as it is.
"""

from datetime import date

from members.demo import DISTRICT_SPECIAL_COMMITTEES, DISTRICTS, PARTIES, SECTORS, _term
from members.models import (
    Committee,
    HandlingUnit,
    Party,
    Person,
    Seat,
    Sector,
    SpecialCommittee,
)

# Streets and towns per district (Shanghai: 215 in all).
STREET_COUNTS = {
    "黄浦区": 10,
    "徐汇区": 13,
    "长宁区": 10,
    "静安区": 14,
    "普陀区": 10,
    "虹口区": 8,
    "杨浦区": 12,
    "闵行区": 13,
    "宝山区": 12,
    "嘉定区": 12,
    "浦东新区": 36,
    "金山区": 11,
    "松江区": 16,
    "青浦区": 11,
    "奉贤区": 11,
    "崇明区": 16,
}
MUNICIPAL_EXTRA_SEATS = 800
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏晨欣怡佳"
UNITS = ["发展改革委", "教育局", "民政局", "卫生健康委", "建设管理委", "生态环境局", "商务委"]


def district_seats(streets: int) -> int:
    return 290 + 2 * streets


def _name(index: int) -> str:
    surname = SURNAMES[index % len(SURNAMES)]
    given = GIVEN[(index // len(SURNAMES)) % len(GIVEN)]
    second = GIVEN[(index * 7 + 3) % len(GIVEN)] if index % 3 else ""
    return surname + given + second


def _directory(committee: Committee, specials: list[str]) -> None:
    for model, names in ((Sector, SECTORS), (Party, PARTIES), (SpecialCommittee, specials)):
        if not model.objects.filter(committee=committee).exists():
            model.objects.bulk_create(
                model(committee=committee, name=name, order=order, is_active=True)
                for order, name in enumerate(names, start=1)
            )


def _seats(committee: Committee, count: int, *, first: int, started_on: date) -> int:
    """`count` people with one active seat each in the committee's 14th term (sectors in turn;
    every 40th seat of the 特邀人士 sector a Hong Kong/Macao member)."""
    term = committee.terms.get(number=14)
    sectors = list(Sector.objects.filter(committee=committee).order_by("order"))
    parties = {p.name: p for p in Party.objects.filter(committee=committee)}
    people = Person.objects.bulk_create(
        Person(
            name=_name(first + i),
            gender=Person.Gender.MALE if (first + i) % 5 < 3 else Person.Gender.FEMALE,
            birth_date=date(1960 + (first + i) % 25, 1 + i % 12, 1 + i % 28),
            employer=f"{committee.short_name[:-2]}{UNITS[i % len(UNITS)]}",
        )
        for i in range(count)
    )
    seats = []
    for i, person in enumerate(people):
        sector = sectors[i % len(sectors)]
        seats.append(
            Seat(
                person=person,
                committee=committee,
                term=term,
                sector=sector,
                party=parties.get("中国共产党" if i % 2 else "无党派人士"),
                is_standing_committee=i < 40,
                is_hk_macao=sector.name == "特邀人士" and i % 40 == 31,
                started_on=started_on,
            )
        )
    Seat.objects.bulk_create(seats)
    return len(seats)


def seed(stdout) -> None:
    shanghai = Committee.objects.get(region_code="310000")
    seats = 0
    first = 100_000  # names drawn after Xuhui's own members
    if not Seat.objects.filter(committee=shanghai, started_on=date(2023, 1, 13)).exists():
        seats += _seats(shanghai, MUNICIPAL_EXTRA_SEATS, first=first, started_on=date(2023, 1, 13))
    first += MUNICIPAL_EXTRA_SEATS
    for name, code in DISTRICTS:
        committee = Committee.objects.get(region_code=code)
        count = district_seats(STREET_COUNTS[name])
        if code == "310104" or committee.seats.exists():  # Xuhui's own, or already loaded
            first += count
            continue
        _term(
            committee,
            14,
            2022,
            [(date(year, 1, 6), date(year, 1, 9)) for year in range(2022, 2027)],
        )
        _directory(committee, DISTRICT_SPECIAL_COMMITTEES)
        HandlingUnit.objects.bulk_create(
            HandlingUnit(committee=committee, name=f"区{unit}", is_active=True) for unit in UNITS
        )
        seats += _seats(committee, count, first=first, started_on=date(2022, 1, 6))
        first += count
    stdout.write(f"全市委员：新增 {seats} 个委员身份（市政协及 15 个区）")
