"""Demo data of brands (demo mode only): the 2021 round as seed 004 reports it — 59 candidates in
the three series, the ten top brands under their real names and 30 excellent ones, published with
certificates — an open round this year in which the demo accounts vote, and a round in expert
scoring for `sh_expert`. The steps of each round are its workflow acts; the bulk (scores, the
2021 votes) is inserted set-based. A round that exists is left as it is."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brands import workflow
from brands.models import Brand, Candidate, Expert, KeyFigure, Milestone, Round, Score, Series, Vote
from core.roles import Role
from members.demo import ensure
from members.models import Committee, SpecialCommittee, User

GENERAL, SPECIAL, LINKED = (
    "综合性工作和机关建设",
    "专委会履职和界别工作",
    "市区政协联动和区政协工作",
)

# (name, series, owner: "" = the municipal office, a special committee's name or a district,
#  founded, overview, figures [(label, value, unit)], milestones [(date, title)], link)
TOP_TEN = [
    (
        "上海市党领导每人每年来政协通报协商",
        GENERAL,
        "",
        2013,
        "根据年度协商计划，市党领导每人每年安排不少于1项议题到政协通报情况、听取意见，是全国政协"
        "系统唯一做到除全体会议外党领导每人每年不少于1次到政协通报协商的制度安排。",
        [("市领导年均出席重要协商活动", 25, "人次"), ("年度专题通报会", 14, "次")],
        [(date(2013, 6, 1), "市委办公厅转发《关于进一步加强市政协协商民主制度建设的意见》")],
        {"meeting_kind": "briefing"},
    ),
    (
        "党组统领政协履职“1+4”模式",
        GENERAL,
        "",
        2020,
        "以政协党组工作要点为统领，以年度协商计划、民主监督计划、议政调研计划和学习计划为配套，"
        "把党的领导贯穿到政协履职各项任务之中。",
        [("配套年度计划", 4, "项")],
        [(date(2018, 1, 1), "首次制定市政协党组工作要点"), (date(2020, 1, 1), "形成“1+4”模式")],
        {},
    ),
    (
        "政协头条",
        GENERAL,
        "",
        2019,
        "具有鲜明政协特色的新闻客户端，着力打造新时代加强思想政治引领、凝聚传播共识的新主流舆论"
        "阵地，在17个新媒体平台开设账号。",
        [("日均发稿", 100, "篇"), ("全网日均点击", 1000000, "次"), ("入驻新媒体平台", 17, "个")],
        [(date(2019, 1, 25), "“政协头条”新闻客户端上线")],
        {},
    ),
    (
        "社情民意“建言直通车”",
        GENERAL,
        "",
        2018,
        "广泛汇集政协委员、党派成员和社会各界人士意见建议，每年信息数量逾万条，架起党政领导与各界"
        "群众沟通联系的桥梁纽带。",
        [("年均收到信息", 17200, "条")],
        [],
        {},
    ),
    (
        "面向外籍人士年度情况通报会",
        GENERAL,
        "",
        2008,
        "邀请各国驻沪领馆官员、友好城市驻沪代表、白玉兰奖获得者、在沪商会和跨国企业外籍高管等出席，"
        "是上海市政协最具影响力的外事品牌活动。",
        [("每年出席外方代表", 100, "名")],
        [],
        {},
    ),
    (
        "初心论坛",
        SPECIAL,
        "文化和文史委员会",
        2019,
        "由市政协文史委牵头，会同市委宣传部、市委党校、市委党史研究室等共同举办，每年一届，是全国"
        "省级唯一以“初心”命名的论坛。",
        [("第二届直播收看", 200000, "人次"), ("媒体报道", 1500, "篇")],
        [(date(2019, 6, 1), "首届初心论坛举办")],
        {},
    ),
    (
        "委员参与立法协商",
        SPECIAL,
        "社会和法制委员会",
        2008,
        "围绕事关经济社会发展全局的立法项目，发挥委员主体作用、专家作用和“互联网+”手段，不断完善"
        "立法统筹协调、联系协作、组织运行机制。",
        [("完成立法协商项目", 260, "件（次）")],
        [(date(2008, 1, 1), "市政协开始组织委员参与立法协商")],
        {},
    ),
    (
        "澳门青年人才上海学习实践计划",
        SPECIAL,
        "港澳台侨委员会",
        2017,
        "组织澳门青年人才来沪学习实践，增进澳门青年对国家和上海发展的了解与认同。",
        [],
        [],
        {},
    ),
    (
        "委员讲坛",
        SPECIAL,
        "学习委员会",
        2018,
        "发挥委员主体作用、巩固委员共同思想政治基础、促进委员履职能力提升的学习形式和履职形式，"
        "已逐步制度化、规范化、常态化。",
        [],
        [],
        {},
    ),
    (
        "“协商于民”委员工作站",
        LINKED,
        "",
        2019,
        "按照“五个好”标准在街镇层面统一创建委员工作站，“一个品牌，全市共建”，推动委员参与基层"
        "社会治理；2021年7月统一授牌。",
        [("覆盖街镇", 215, "个")],
        [(date(2021, 7, 1), "全市“协商于民”委员工作站统一授牌")],
        {"workstation_tier": "station"},
    ),
]

# The other 49 candidates of 2021: the first 30 were rated excellent.
OTHERS = [
    ("专题议政性常委会议", GENERAL, ""),
    ("界别协商“同心议事”", SPECIAL, "界别和地区工作委员会"),
    ("黄浦区政协“外滩议事厅”", LINKED, "黄浦区"),
    ("民主监督“直通车”", GENERAL, ""),
    ("科技界“科创沙龙”", SPECIAL, "科技和教育委员会"),
    ("徐汇区政协“汇智协商”", LINKED, "徐汇区"),
    ("政协委员履职积分管理", GENERAL, ""),
    ("医卫界“健康上海”委员义诊", SPECIAL, "科技和教育委员会"),
    ("长宁区政协“委员会客厅”", LINKED, "长宁区"),
    ("政协智库联盟", GENERAL, ""),
    ("经济界“民企大走访”", SPECIAL, "经济委员会"),
    ("静安区政协“议事在社区”", LINKED, "静安区"),
    ("政协文史资料征编", GENERAL, ""),
    ("“一江一河”专项民主监督", SPECIAL, "人口资源环境建设委员会"),
    ("普陀区政协“同心荟”", LINKED, "普陀区"),
    ("委员履职服务平台", GENERAL, ""),
    ("提案办理协商“五步法”", SPECIAL, "提案委员会"),
    ("浦东新区政协“东方议事”", LINKED, "浦东新区"),
    ("机关党建“同心圆”", GENERAL, ""),
    ("对口协商“部门面对面”", SPECIAL, "城市建设和管理委员会"),
    ("杨浦区政协“创新议政”", LINKED, "杨浦区"),
    ("港澳委员联络服务", GENERAL, ""),
    ("乡村振兴委员服务团", SPECIAL, "农业和农村委员会"),
    ("闵行区政协“协商在闵行”", LINKED, "闵行区"),
    ("政协委员读书活动", GENERAL, ""),
    ("民族宗教界“同心讲堂”", SPECIAL, "民族和宗教委员会"),
    ("松江区政协“G60科创走廊协商”", LINKED, "松江区"),
    ("政协新闻宣传“联合时报”", GENERAL, ""),
    ("教育界“教育圆桌”", SPECIAL, "科技和教育委员会"),
    ("青浦区政协“长三角一体化协商”", LINKED, "青浦区"),
    # Not rated: 19
    ("虹口区政协“委员之家”", LINKED, "虹口区"),
    ("宝山区政协“宝山政协云”", LINKED, "宝山区"),
    ("嘉定区政协“委员工作室联盟”", LINKED, "嘉定区"),
    ("金山区政协“金山委员讲堂”", LINKED, "金山区"),
    ("奉贤区政协“贤城议事”", LINKED, "奉贤区"),
    ("崇明区政协“生态岛协商”", LINKED, "崇明区"),
    ("徐汇区政协“汇治理”联系点", LINKED, "徐汇区"),
    ("长宁区政协“虹桥国际协商”", LINKED, "长宁区"),
    ("静安区政协“苏河湾协商”", LINKED, "静安区"),
    ("浦东新区政协“自贸区政协论坛”", LINKED, "浦东新区"),
    ("闵行区政协“大零号湾协商”", LINKED, "闵行区"),
    ("杨浦区政协“滨江议事”", LINKED, "杨浦区"),
    ("文艺界“文化惠民”委员行", SPECIAL, "文化和文史委员会"),
    ("城建委“城市更新”协商", SPECIAL, "城市建设和管理委员会"),
    ("经济委“营商环境”监督", SPECIAL, "经济委员会"),
    ("提案“督办直通车”", SPECIAL, "提案委员会"),
    ("政协委员“月度学习”", GENERAL, ""),
    ("政协信息化“一网通办”", GENERAL, ""),
    ("政协机关“青年理论学习小组”", GENERAL, ""),
]

CRITERIA = [("创新性", 30), ("实效性", 40), ("影响力", 20), ("规范性", 10)]
EXPERTS = [  # username, name, unit: "" = municipal office, else a special committee
    ("sh_expert", None, ""),
    ("brand_expert2", "陈立群", "提案委员会"),
    ("brand_expert3", "王慧敏", "学习委员会"),
    ("brand_expert4", "李振华", "经济委员会"),
    ("brand_expert5", "周晓燕", "社会和法制委员会"),
]
TITLE_2021 = "2021年上海政协工作品牌评选"


@transaction.atomic
def seed(stdout) -> None:
    if not settings.DEMO_MODE:
        return
    shanghai = Committee.objects.get(region_code="310000")
    office = User.objects.get(username="sh_brands")
    series = {
        name: ensure(Series, {"committee": shanghai, "name": name}, order=order)
        for order, name in enumerate((GENERAL, SPECIAL, LINKED), start=1)
    }
    brands = _brands(shanghai, series, office)
    experts = _expert_accounts(shanghai)
    if not Round.objects.filter(committee=shanghai, title=TITLE_2021).exists():
        _round_2021(shanghai, office, series, brands, experts)
    year = timezone.localdate().year
    open_title = f"{year}年政协工作品牌网络投票（演示）"
    if not Round.objects.filter(committee=shanghai, title=open_title).exists():
        _open_round(shanghai, office, series, brands[40:52], experts, open_title)
    scoring_title = f"{year}年市区联动工作品牌评选（专家评审中）"
    if not Round.objects.filter(committee=shanghai, title=scoring_title).exists():
        linked = [b for b in brands if b.series_id == series[LINKED].pk][:8]
        _scoring_round(shanghai, office, series, linked, experts, scoring_title)
    stdout.write(
        f"工作品牌：{Brand.objects.count()} 个品牌，{Round.objects.count()} 次评选，"
        f"{Vote.objects.count()} 张投票"
    )


def _owner(shanghai, owner: str):
    """(committee, special committee) of an owner named in the tables above."""
    if not owner:
        return shanghai, None
    special = SpecialCommittee.objects.filter(committee=shanghai, name=owner).first()
    if special is not None:
        return shanghai, special
    return Committee.objects.get(short_name=f"{owner}政协"), None


def _brands(shanghai, series, office) -> list[Brand]:
    """The 59 brands in rank order of 2021 (top ten first, then the excellent ones)."""
    made = []
    rows = list(TOP_TEN) + [
        (name, s, owner, 2015 + index % 6, f"{name}是上海政协系统的特色工作品牌。", [], [], {})
        for index, (name, s, owner) in enumerate(OTHERS)
    ]
    for name, series_name, owner, founded, overview, figures, milestones, link in rows:
        committee, special = _owner(shanghai, owner)
        brand = Brand.objects.filter(committee=committee, name=name).first()
        if brand is None:
            brand = workflow.create_brand(
                committee=committee,
                by=office
                if committee == shanghai
                else User.objects.filter(is_superuser=True).first(),
                series=series[series_name],
                name=name,
                special_committee=special,
                founded_year=founded,
                overview=overview,
                **link,
            )
            for order, (label, value, unit) in enumerate(figures):
                KeyFigure.objects.create(
                    brand=brand, label=label, value=Decimal(value), unit=unit, order=order
                )
            for happened_on, title in milestones:
                Milestone.objects.create(brand=brand, happened_on=happened_on, title=title)
        made.append(brand)
    return made


def _expert_accounts(shanghai) -> list[tuple[User, SpecialCommittee | None]]:
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.BRAND_EXPERT)
    accounts = []
    for username, name, unit in EXPERTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, name=name, committee=shanghai, email=f"{username}@example.org"
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        special = SpecialCommittee.objects.filter(committee=shanghai, name=unit).first()
        accounts.append((user, special))
    return accounts


def _setup(shanghai, office, series, title, *, year, opens, closes):
    round_ = workflow.create_round(
        committee=shanghai,
        by=office,
        series=list(series.values()),
        year=year,
        title=title,
        nomination_closes_on=opens.date() - timedelta(days=40),
        check_closes_on=opens.date() - timedelta(days=30),
        scoring_closes_on=opens.date() - timedelta(days=1),
        voting_opens_at=opens,
        voting_closes_at=closes,
        deliberation_on=closes.date() + timedelta(days=5),
        publication_on=closes.date() + timedelta(days=10),
    )
    for order, (name, weight) in enumerate(CRITERIA):
        workflow.save_criterion(round_, by=office, name=name, weight=weight, order=order)
    return round_


def _nominated(round_, office, brands, experts) -> list[Candidate]:
    workflow.open_nominations(round_, by=office)
    superuser = User.objects.filter(is_superuser=True).first()
    candidates = [
        workflow.nominate(
            round_,
            brand,
            by=office if brand.committee_id == round_.committee_id else superuser,
            materials=f"{brand.name}申报材料：品牌概况、主要做法、工作成效。",
        )
        for brand in brands
    ]
    workflow.close_nominations(round_, by=office)
    for candidate in candidates:
        workflow.check_eligibility(candidate, by=office, eligible=True)
    for user, special in experts:
        workflow.add_expert(
            round_, by=office, user=user, committee=round_.committee, special_committee=special
        )
    workflow.start_scoring(round_, by=office)
    return candidates


SPREAD = [Decimal("0.2"), Decimal("-0.1"), Decimal("0"), Decimal("-0.3")]  # per criterion


def _scores(round_, rank_of) -> None:
    """Every expert scores every candidate they may: a tenth of a point less per rank, so that
    the results keep the order the candidates are given in."""
    criteria = list(round_.criteria.all())
    rows = []
    for expert in round_.experts.all():
        for candidate in workflow.scorable(expert):
            base = Decimal("9.8") - Decimal(rank_of[candidate.pk]) / 10
            for criterion, spread in zip(criteria, SPREAD, strict=True):
                value = max(Decimal(0), min(Decimal(criterion.max_score), base + spread))
                rows.append(
                    Score(candidate=candidate, expert=expert, criterion=criterion, value=value)
                )
    Score.objects.bulk_create(rows)
    round_.experts.update(completed_at=timezone.now())


def _round_2021(shanghai, office, series, brands, experts) -> None:
    rng = random.Random(2021)
    tz = timezone.get_current_timezone()
    opens = datetime(2021, 9, 1, 9, tzinfo=tz)
    closes = datetime(2021, 9, 8, 18, tzinfo=tz)
    round_ = _setup(shanghai, office, series, TITLE_2021, year=2021, opens=opens, closes=closes)
    candidates = _nominated(round_, office, brands, experts)
    rank_of = {c.pk: index for index, c in enumerate(candidates)}
    _scores(round_, rank_of)
    workflow.open_voting(round_, by=office)
    votes = []
    for candidate in candidates:
        for n in range(600 - 9 * rank_of[candidate.pk]):
            voter = f"139{rank_of[candidate.pk]:02d}{n:06d}"
            cast = opens + timedelta(minutes=rng.randrange(7 * 24 * 60))
            votes.append(
                Vote(
                    round=round_,
                    candidate=candidate,
                    voter_kind="phone",
                    voter=voter,
                    day=timezone.localtime(cast).date(),
                    cast_at=cast,
                    ip=f"58.{rng.randrange(32, 48)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    network=voter[:7],
                )
            )
    # A burst from one address for a brand at the bottom, set aside by the office.
    last = candidates[-1]
    for n in range(120):
        cast = opens + timedelta(days=3, seconds=n * 5)
        votes.append(
            Vote(
                round=round_,
                candidate=last,
                voter_kind="email",
                voter=f"v{n}@mailbox.test",
                day=timezone.localtime(cast).date(),
                cast_at=cast,
                ip="61.152.1.23",
                network="mailbox.test",
            )
        )
    Vote.objects.bulk_create(votes, batch_size=5000)
    workflow.close_voting(round_, by=office)
    workflow.invalidate(
        round_,
        by=office,
        kind="ip",
        value="61.152.1.23",
        reason="同一IP地址5秒一票集中投票，经核实为刷票。",
    )
    workflow.publish(round_, by=office)


def _open_round(shanghai, office, series, brands, experts, title) -> None:
    rng = random.Random(2026)
    now = timezone.now()
    round_ = _setup(
        shanghai,
        office,
        series,
        title,
        year=timezone.localdate().year,
        opens=now - timedelta(days=2),
        closes=now + timedelta(days=30),
    )
    candidates = _nominated(round_, office, brands, experts)
    _scores(round_, {c.pk: i for i, c in enumerate(candidates)})
    workflow.open_voting(round_, by=office)
    votes = []
    for index, candidate in enumerate(candidates):
        for n in range(rng.randrange(20, 200)):
            cast = now - timedelta(minutes=rng.randrange(2 * 24 * 60))
            votes.append(
                Vote(
                    round=round_,
                    candidate=candidate,
                    voter_kind="phone",
                    voter=f"137{index:02d}{n:06d}",
                    day=timezone.localtime(cast).date(),
                    cast_at=cast,
                    ip=f"101.{rng.randrange(80, 96)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    network=f"137{index:02d}{n:06d}"[:7],
                )
            )
    Vote.objects.bulk_create(votes)


def _scoring_round(shanghai, office, series, brands, experts, title) -> None:
    now = timezone.now()
    round_ = _setup(
        shanghai,
        office,
        {LINKED: series[LINKED]},
        title,
        year=timezone.localdate().year,
        opens=now + timedelta(days=20),
        closes=now + timedelta(days=34),
    )
    Round.objects.filter(pk=round_.pk).update(
        scoring_closes_on=timezone.localdate() + timedelta(days=3)
    )
    _nominated(round_, office, brands, experts)
    assert Expert.objects.filter(round=round_).count() == len(experts)
