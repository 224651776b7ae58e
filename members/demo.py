"""Demo data of the organisation directory: the national committee, Shanghai and its 16 districts,
Xuhui in detail, and (in demo mode only) one demo account per role and the members of the whole
city (members.citydemo).

Rows are created through `ensure`, which gets a row or creates it and never changes one that
exists (nor its history). `seed_demo` runs an app's demo once (core.models.DemoSeed), so what
users changed since — a person's personal data, a renamed unit — is never reverted. Other apps'
demo modules reuse `ensure`.
"""

import random
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from faker import Faker

from core.roles import ADMIN_ROLES, Role
from members.models import (
    ApiToken,
    Committee,
    HandlingUnit,
    Level,
    Party,
    Person,
    PlenarySession,
    Seat,
    SeatStatus,
    Sector,
    SpecialCommittee,
    Term,
    User,
    Visit,
)
from members.workflow import issue_api_token

DEMO_PASSWORD = "cppcc-demo-2026"  # noqa: S105 - documented demo credential, demo mode only
DEMO_API_KEY = "xuhui-district-office-demo-key-2026"
DEMO_API_CLIENT = "徐汇区政协办公室系统"

DISTRICTS = [  # (name, region code) of Shanghai's 16 districts
    ("黄浦区", "310101"),
    ("徐汇区", "310104"),
    ("长宁区", "310105"),
    ("静安区", "310106"),
    ("普陀区", "310107"),
    ("虹口区", "310109"),
    ("杨浦区", "310110"),
    ("闵行区", "310112"),
    ("宝山区", "310113"),
    ("嘉定区", "310114"),
    ("浦东新区", "310115"),
    ("金山区", "310116"),
    ("松江区", "310117"),
    ("青浦区", "310118"),
    ("奉贤区", "310120"),
    ("崇明区", "310151"),
]

SECTORS = [
    "中共",
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "台盟",
    "无党派人士",
    "共青团",
    "工会",
    "妇联",
    "青联",
    "工商联",
    "科协",
    "台联",
    "侨联",
    "文化艺术界",
    "科学技术界",
    "社会科学界",
    "经济界",
    "农业界",
    "教育界",
    "体育界",
    "新闻出版界",
    "医药卫生界",
    "对外友好界",
    "社会福利和社会保障界",
    "少数民族界",
    "宗教界",
    "特邀人士",
]

PARTIES = [
    "中国共产党",
    "中国国民党革命委员会",
    "中国民主同盟",
    "中国民主建国会",
    "中国民主促进会",
    "中国农工民主党",
    "中国致公党",
    "九三学社",
    "台湾民主自治同盟",
    "无党派人士",
]

MUNICIPAL_SPECIAL_COMMITTEES = [
    "提案委员会",
    "经济委员会",
    "人口资源环境建设委员会",
    "科技和教育委员会",
    "文化和文史委员会",
    "社会和法制委员会",
    "民族和宗教委员会",
    "港澳台侨委员会",
    "学习委员会",
    "农业和农村委员会",
    "城市建设和管理委员会",
    "界别和地区工作委员会",
]

DISTRICT_SPECIAL_COMMITTEES = [
    "提案委员会",
    "经济委员会",
    "城市建设和管理委员会",
    "科技教育委员会",
    "文化文史和学习委员会",
    "社会和法制委员会",
    "人口资源环境委员会",
    "港澳台侨和民族宗教委员会",
]

K = HandlingUnit.Kind
XUHUI_UNITS = [
    ("区发展改革委", K.GOVERNMENT),
    ("区教育局", K.GOVERNMENT),
    ("区科委", K.GOVERNMENT),
    ("区民政局", K.GOVERNMENT),
    ("区司法局", K.GOVERNMENT),
    ("区财政局", K.GOVERNMENT),
    ("区人力资源社会保障局", K.GOVERNMENT),
    ("区规划资源局", K.GOVERNMENT),
    ("区生态环境局", K.GOVERNMENT),
    ("区建设管理委", K.GOVERNMENT),
    ("区房管局", K.GOVERNMENT),
    ("区绿化市容局", K.GOVERNMENT),
    ("区商务委", K.GOVERNMENT),
    ("区文化旅游局", K.GOVERNMENT),
    ("区卫生健康委", K.GOVERNMENT),
    ("区退役军人局", K.GOVERNMENT),
    ("区应急管理局", K.GOVERNMENT),
    ("区审计局", K.GOVERNMENT),
    ("区市场监管局", K.GOVERNMENT),
    ("区体育局", K.GOVERNMENT),
    ("区国资委", K.GOVERNMENT),
    ("区医保局", K.GOVERNMENT),
    ("区城管执法局", K.GOVERNMENT),
    ("区数据局", K.GOVERNMENT),
    ("区投资促进办", K.GOVERNMENT),
    ("区金融办", K.GOVERNMENT),
    ("公安徐汇分局", K.GOVERNMENT),
    ("区委宣传部", K.PARTY),
    ("区委统战部", K.PARTY),
    ("区人民法院", K.JUDICIAL),
    ("区人民检察院", K.JUDICIAL),
    ("区总工会", K.PUBLIC_BODY),
    ("团区委", K.PUBLIC_BODY),
    ("区妇联", K.PUBLIC_BODY),
    ("区残联", K.PUBLIC_BODY),
    ("区科协", K.PUBLIC_BODY),
    ("徐家汇街道办事处", K.GOVERNMENT),
    ("漕河泾街道办事处", K.GOVERNMENT),
    ("华泾镇人民政府", K.GOVERNMENT),
    ("徐汇滨江开发建设管理委员会", K.OTHER),
]

MUNICIPAL_UNITS = [
    "市发展改革委",
    "市经济信息化委",
    "市教委",
    "市科委",
    "市民政局",
    "市财政局",
    "市人力资源社会保障局",
    "市规划资源局",
    "市生态环境局",
    "市住房城乡建设管理委",
    "市交通委",
    "市卫生健康委",
    "市文化旅游局",
    "市商务委",
    "市市场监管局",
]

# (username, role or roles): xh_ accounts work in Xuhui, sh_ in the municipal committee, hp_ in
# Huangpu. The offices handle both proposals and public-opinion information.
DEMO_ACCOUNTS: list[tuple[str, str | tuple[str, ...]]] = [
    ("xh_admin", Role.COMMITTEE_ADMIN),
    ("xh_office", (Role.PROPOSAL_OFFICE, Role.OPINION_OFFICE)),
    ("xh_review", Role.REVIEW_GROUP),
    ("xh_director", Role.DIRECTORS_MEETING),
    ("xh_chair", Role.CHAIR_MEETING_MEMBER),
    ("xh_consult", Role.CONSULTATION_OFFICE),
    ("xh_liaison", Role.WORKSTATION_LIAISON),
    ("xh_member", Role.MEMBER),
    ("xh_unit", Role.HANDLING_UNIT),
    ("sh_office", (Role.PROPOSAL_OFFICE, Role.OPINION_OFFICE)),
    ("hp_office", (Role.PROPOSAL_OFFICE, Role.OPINION_OFFICE)),
    ("sh_brands", Role.BRAND_OFFICE),
    ("xh_brands", Role.BRAND_OFFICE),
    ("sh_expert", Role.BRAND_EXPERT),
]


def ensure(model: type[models.Model], lookup: dict, **values) -> models.Model:
    """The row matching `lookup`, as it is; created with `values` only when there is none."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    return obj


def _committees() -> tuple[Committee, Committee, dict[str, Committee]]:
    national = ensure(
        Committee,
        {"region_code": "100000"},
        name="中国人民政治协商会议全国委员会",
        short_name="全国政协",
        level=Level.NATIONAL,
        parent=None,
        order=0,
    )
    shanghai = ensure(
        Committee,
        {"region_code": "310000"},
        name="中国人民政治协商会议上海市委员会",
        short_name="上海市政协",
        level=Level.MUNICIPAL,
        parent=national,
        order=1,
    )
    districts = {
        name: ensure(
            Committee,
            {"region_code": code},
            name=f"中国人民政治协商会议上海市{name}委员会",
            short_name=f"{name}政协",
            level=Level.DISTRICT,
            parent=shanghai,
            order=10 + index,
        )
        for index, (name, code) in enumerate(DISTRICTS)
    }
    return national, shanghai, districts


def _term(committee: Committee, number: int, first_year: int, session_dates) -> Term:
    term = ensure(
        Term,
        {"committee": committee, "number": number},
        starts_on=date(first_year, 1, 1),
        ends_on=date(first_year + 5, 1, 1),
    )
    for index, (opens_on, closes_on) in enumerate(session_dates, start=1):
        ensure(
            PlenarySession, {"term": term, "number": index}, opens_on=opens_on, closes_on=closes_on
        )
    return term


def _directory(committee: Committee, special_committees: list[str]) -> None:
    for model, names in (
        (Sector, SECTORS),
        (Party, PARTIES),
        (SpecialCommittee, special_committees),
    ):
        for order, name in enumerate(names, start=1):
            ensure(model, {"committee": committee, "name": name}, order=order, is_active=True)


def _accounts(shanghai: Committee, xuhui: Committee, huangpu: Committee) -> list[tuple[str, str]]:
    """One account per role (Xuhui, plus municipal and Huangpu proposal offices) and a Xuhui API
    token with a documented key."""
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    education = HandlingUnit.objects.get(committee=xuhui, name="区教育局")
    admin = ensure(
        User,
        {"username": "admin"},
        name="系统管理员",
        email="admin@example.org",
        is_staff=True,
        is_superuser=True,
    )
    accounts = [(admin, "系统管理员")]
    for username, held in DEMO_ACCOUNTS:
        roles = (held,) if isinstance(held, str) else held
        committee = {"sh": shanghai, "hp": huangpu}.get(username[:2], xuhui)
        in_unit = Role.HANDLING_UNIT in roles
        generated = fake.name()  # drawn every run, so the sequence of names stays the same
        linked = Person.objects.filter(user__username=username).values_list("name", flat=True)
        user = ensure(
            User,
            {"username": username},
            name=linked.first() or generated,
            email=f"{username}@example.org",
            is_staff=bool(set(roles) & ADMIN_ROLES),
            committee=None if in_unit else committee,
            handling_unit=education if in_unit else None,
        )
        if set(user.groups.values_list("name", flat=True)) != set(roles):
            user.groups.set(Group.objects.filter(name__in=roles))
        where = education.name if in_unit else committee.short_name
        accounts.append((user, f"{'、'.join(Role.label(r) for r in roles)} · {where}"))
    for user, _label in accounts:
        if not user.password:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    if not ApiToken.objects.filter(committee=xuhui, name=DEMO_API_CLIENT).exists():
        token, _key = issue_api_token(committee=xuhui, name=DEMO_API_CLIENT, by=admin)
        token.set_key(DEMO_API_KEY)
        token.save(update_fields=["prefix", "key_hash"])
    return [(user.username, label) for user, label in accounts]


@transaction.atomic
def seed(stdout) -> None:
    national, shanghai, districts = _committees()
    xuhui = districts["徐汇区"]
    _term(
        shanghai,
        14,
        2023,
        [
            (date(2023, 1, 12), date(2023, 1, 17)),
            (date(2024, 1, 21), date(2024, 1, 25)),
            (date(2025, 1, 12), date(2025, 1, 16)),
            (date(2026, 1, 11), date(2026, 1, 15)),
        ],
    )
    _term(
        xuhui,
        14,
        2022,
        [
            (date(2022, 1, 5), date(2022, 1, 8)),
            (date(2023, 1, 5), date(2023, 1, 8)),
            (date(2024, 1, 9), date(2024, 1, 12)),
            (date(2025, 1, 7), date(2025, 1, 10)),
            (date(2026, 1, 6), date(2026, 1, 9)),
        ],
    )
    _term(
        national,
        14,
        2023,
        [
            (date(2023, 3, 4), date(2023, 3, 10)),
            (date(2024, 3, 4), date(2024, 3, 10)),
            (date(2025, 3, 4), date(2025, 3, 10)),
            (date(2026, 3, 4), date(2026, 3, 10)),
        ],
    )
    _directory(national, ["提案委员会"])
    _directory(shanghai, MUNICIPAL_SPECIAL_COMMITTEES)
    _directory(xuhui, DISTRICT_SPECIAL_COMMITTEES)
    for name, kind in XUHUI_UNITS:
        ensure(HandlingUnit, {"committee": xuhui, "name": name}, kind=kind, is_active=True)
    for name in MUNICIPAL_UNITS:
        ensure(
            HandlingUnit, {"committee": shanghai, "name": name}, kind=K.GOVERNMENT, is_active=True
        )
    stdout.write(
        f"组织机构：{Committee.objects.count()} 个政协，{HandlingUnit.objects.count()} 个承办单位"
    )
    if not settings.DEMO_MODE:
        stdout.write("未开启演示模式（DEMO_MODE），不创建演示账号。")
        return
    accounts = _accounts(shanghai, xuhui, districts["黄浦区"])
    people = _people(national, shanghai, xuhui)
    from members import citydemo  # the city's scale, built on this module's directory

    citydemo.seed(stdout)
    stdout.write(
        f"委员：{people} 个委员身份（全国、市、区三级），走访记录 "
        f"{Visit.objects.filter(committee=xuhui).count()} 条"
    )
    stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, label in accounts:
        stdout.write(f"  {username:<12} {label}")
    stdout.write(f"徐汇区政协办公室 API 令牌：{DEMO_API_KEY}")


def _person(fake: Faker, rng: random.Random) -> dict:
    """A realistic member: the ID number decides birth date and gender, as in real life."""
    id_number = fake.ssn(min_age=32, max_age=68)
    gender = Person.Gender.MALE if int(id_number[16]) % 2 else Person.Gender.FEMALE
    name = fake.name_male() if gender == Person.Gender.MALE else fake.name_female()
    street = rng.choice(XUHUI_STREETS)
    return {
        "name": name,
        "gender": gender,
        "birth_date": date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
        "ethnicity": rng.choice(["汉族"] * 18 + ["回族", "满族"]),
        "employer": fake.company() + rng.choice(TITLES),
        "phone": fake.phone_number(),
        "address": f"上海市徐汇区{street}{fake.street_name()}{rng.randint(1, 999)}号",
        "id_number": id_number,
    }


TITLES = ["董事长", "总经理", "主任", "教授", "主任医师", "研究员", "副院长"]

# Sectors of a democratic party map to that party; the others are mostly 中共 or 无党派.
PARTY_OF_SECTOR = {
    "民革": "中国国民党革命委员会",
    "民盟": "中国民主同盟",
    "民建": "中国民主建国会",
    "民进": "中国民主促进会",
    "农工党": "中国农工民主党",
    "致公党": "中国致公党",
    "九三学社": "九三学社",
    "台盟": "台湾民主自治同盟",
    "中共": "中国共产党",
    "无党派人士": "无党派人士",
}

XUHUI_STREETS = [
    "天平路街道",
    "湖南路街道",
    "斜土路街道",
    "枫林路街道",
    "长桥街道",
    "田林街道",
    "虹梅路街道",
    "康健新村街道",
    "徐家汇街道",
    "凌云路街道",
    "龙华街道",
    "漕河泾街道",
    "华泾镇",
]

DISTRICT_SEATS, MUNICIPAL_SEATS, NATIONAL_SEATS = 280, 30, 6
THREE_LEVEL_MEMBER = 277  # the demo account xh_member


def _seat(person, committee, *, rng, index, started_on, sectors, parties, specials) -> Seat:
    sector = sectors[index % len(sectors)]
    party = parties.get(PARTY_OF_SECTOR.get(sector.name, rng.choice(["中国共产党", "无党派人士"])))
    position = (
        Seat.Position.MEMBER
        if committee.level != Level.DISTRICT
        else Seat.Position.CHAIR
        if index == 0
        else Seat.Position.VICE_CHAIR
        if index <= 6
        else Seat.Position.SECRETARY_GENERAL
        if index == 7
        else Seat.Position.MEMBER
    )
    status = (
        SeatStatus.ENDED
        if index % 47 == 46
        else SeatStatus.ADJUSTED
        if index % 97 == 96
        else SeatStatus.ACTIVE
    )
    seat = ensure(
        Seat,
        {"person": person, "term": committee.terms.get(number=14)},
        committee=committee,
        sector=sector,
        party=party,
        position=position,
        status=status,
        is_standing_committee=index < 40,
        is_hk_macao=sector.name == "特邀人士" and index % 2 == 0,
        started_on=started_on,
        ended_on=date(2024, 6, 30) if status != SeatStatus.ACTIVE else None,
    )
    wanted = {specials[index % len(specials)].pk} if specials else set()
    if set(seat.special_committees.values_list("pk", flat=True)) != wanted:
        seat.special_committees.set(wanted)
    return seat


def _people(national: Committee, shanghai: Committee, xuhui: Committee) -> int:
    """Xuhui's members of three levels: 280 district seats, 30 municipal members (10 of whom
    also sit in Xuhui) and 6 national members (4 of whom sit at all three levels), and the
    year 2023's visits (210 members, 83 enterprises, as the seed reports)."""
    fake, rng = Faker("zh_CN"), random.Random(2023)
    fake.seed_instance(2023)
    people = [_person(fake, rng) for _ in range(300)]
    persons = [
        ensure(
            Person,
            {"id_number": p["id_number"]},
            **{k: v for k, v in p.items() if k != "id_number"},
        )
        for p in people
    ]
    lists = {}
    for committee in (national, shanghai, xuhui):
        lists[committee.pk] = {
            "sectors": list(Sector.objects.filter(committee=committee).order_by("order")),
            "parties": {p.name: p for p in Party.objects.filter(committee=committee)},
            "specials": list(SpecialCommittee.objects.filter(committee=committee)),
        }
    seats = 0
    # District seats for persons 0..279, municipal for 270..299, national for 276..281:
    # persons 276..279 hold seats at all three levels.
    plan = [
        (xuhui, range(0, DISTRICT_SEATS), date(2022, 1, 5)),
        (shanghai, range(270, 270 + MUNICIPAL_SEATS), date(2023, 1, 12)),
        (national, range(276, 276 + NATIONAL_SEATS), date(2023, 3, 4)),
    ]
    for committee, indexes, started_on in plan:
        for index in indexes:
            _seat(
                persons[index],
                committee,
                rng=rng,
                index=index - indexes.start,
                started_on=started_on,
                **lists[committee.pk],
            )
            seats += 1
    member = User.objects.filter(username="xh_member").first()
    if member and persons[THREE_LEVEL_MEMBER].user_id != member.pk:
        Person.objects.filter(user=member).update(user=None)
        persons[THREE_LEVEL_MEMBER].user = member
        persons[THREE_LEVEL_MEMBER].save(update_fields=["user"])
        if member.name != persons[THREE_LEVEL_MEMBER].name:
            member.name = persons[THREE_LEVEL_MEMBER].name
            member.save(update_fields=["name"])
    _visits(xuhui, fake, rng)
    return seats


def _visits(xuhui: Committee, fake: Faker, rng: random.Random) -> None:
    seats = list(Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE).order_by("pk"))
    visited = seats[:210]
    topics = ["了解委员履职需求", "听取企业发展意见", "宣传政协工作", "商议年度履职计划"]
    for index, seat in enumerate(visited):
        day = date(2023, 1 + index % 12, 1 + index % 27)
        ensure(
            Visit,
            {"committee": xuhui, "seat": seat, "visited_on": day, "kind": Visit.Kind.MEMBER},
            visitors="区政协机关走访组",
            topics=topics[index % len(topics)],
            follow_up="建立履职档案，纳入年度联系计划。",
        )
    for index, seat in enumerate(visited[:83]):
        day = date(2023, 1 + index % 12, 2 + index % 26)
        ensure(
            Visit,
            {"committee": xuhui, "seat": seat, "visited_on": day, "kind": Visit.Kind.ENTERPRISE},
            enterprise=seat.person.employer[:40] or fake.company(),
            visitors="区政协机关走访组",
            topics="了解企业经营情况和发展诉求",
            follow_up="梳理问题清单，转有关部门研究。",
        )
