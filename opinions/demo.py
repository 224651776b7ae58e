"""Demo data of public-opinion information (demo mode only): Xuhui's 2023 as the seed reports it
— 1,848 pieces received, 21 adopted by the national CPPCC, 213 by the municipal CPPCC, 28
instructed by city leaders — from members, parties, sectors, special committees and
workstations, loaded in bulk as history; and this year's work in every state for `xh_member` and
`xh_office`, played through the workflow (a report handed over to the city and adopted there).

2023 is history loaded as records: outcomes are those the district recorded from the upper
committees' notices (the city's office worked outside the portal then), so no piece is queued at
the city for 2023. The proposals the 2023 session did not file with the disposition
转社情民意信息 arrive through the proposal workflow and count among the 1,848.
"""

import random
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from members.models import (
    Act,
    ActKind,
    Committee,
    Level,
    Party,
    Seat,
    SeatStatus,
    Sector,
    SpecialCommittee,
    User,
)
from opinions import workflow
from opinions.models import (
    Category,
    Delivery,
    IssueCounter,
    Outcome,
    Piece,
    PieceState,
    Report,
    ReportState,
    SubmitterKind,
    Target,
)
from opinions.stats import opinion_figures
from workstations.models import Workstation

RECEIVED_2023, NATIONAL_2023, MUNICIPAL_2023, INSTRUCTED_2023 = 1848, 21, 213, 28
SINGLE_REPORTS, COMBINED_REPORTS, PER_COMBINED = 420, 60, 3

SUBJECTS = [
    ("老旧小区加装电梯后的维保费用分摊", Category.SOCIETY),
    ("社区嵌入式养老服务设施不足", Category.SOCIETY),
    ("中小学生课后托管服务质量", Category.SOCIETY),
    ("社区卫生服务中心全科医生短缺", Category.SOCIETY),
    ("共享单车在地铁站周边乱停放", Category.SOCIETY),
    ("早餐网点布局与便民服务", Category.SOCIETY),
    ("徐家汇商圈夜间经济发展", Category.ECONOMY),
    ("人工智能初创企业融资难", Category.ECONOMY),
    ("小微企业房租补贴政策落地", Category.ECONOMY),
    ("营商环境中的涉企检查过多", Category.ECONOMY),
    ("滨江公共空间的夜间照明", Category.ECOLOGY),
    ("垃圾分类投放点异味扰民", Category.ECOLOGY),
    ("河道水质季节性反复", Category.ECOLOGY),
    ("海派文化历史建筑保护利用", Category.CULTURE),
    ("公共图书馆延时开放", Category.CULTURE),
    ("基层减负与重复填报", Category.POLITICS),
    ("居民区停车难与错峰共享", Category.SOCIETY),
    ("新能源汽车充电桩进小区", Category.OTHER),
]
VOICES = ["群众反映", "委员调研发现", "基层干部反映", "居民来信反映", "企业座谈反映"]


def _text(index: int) -> tuple[str, str, str]:
    subject, category = SUBJECTS[index % len(SUBJECTS)]
    voice = VOICES[index // len(SUBJECTS) % len(VOICES)]
    title = f"关于{subject}问题的建议（{index + 1:04d}）"
    content = (
        f"{voice}，{subject}问题较为突出，影响群众获得感。"
        f"经走访了解，主要原因是政策衔接不够、责任主体不清。"
        f"建议有关部门加强统筹，完善{subject}相关配套措施，建立长效机制。"
    )
    return title, content, category


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@transaction.atomic
def seed(stdout) -> None:
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if not settings.DEMO_MODE or admin is None:
        return
    xuhui = Committee.objects.get(region_code="310104")
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["xh_office", "sh_office", "xh_member"])
    }
    _converted_2023(xuhui, people["xh_office"])
    if not Piece.objects.filter(
        committee=xuhui, received_at__year=2023, source_proposal__isnull=True
    ).exists():
        _year_2023(xuhui, people["xh_office"])
    if not Piece.objects.filter(created_by=people["xh_member"]).exists():
        _this_year(xuhui, people)
    figures = opinion_figures(xuhui, 2023)
    stdout.write(
        f"社情民意：徐汇区政协 2023 年收到信息 {figures['received']} 篇，"
        f"被全国政协采用 {figures['adopted_national']} 篇，"
        f"被市政协采用 {figures['adopted_municipal']} 篇，"
        f"获市领导批示 {figures['instructed']} 篇"
    )


def _converted_2023(xuhui, office) -> None:
    """The 2023 session's proposals turned into pieces: dated when the final review decided, and
    kept for reference (they were answered as proposals' not-filed dispositions)."""
    converted = Piece.objects.filter(committee=xuhui, source_proposal__session__opens_on__year=2023)
    converted.update(
        received_at=_moment(date(2023, 2, 10)), submitted_at=_moment(date(2023, 2, 10))
    )
    for piece in converted.filter(state=PieceState.SUBMITTED):
        workflow.screen(
            piece, decision="keep", reason="已作为提案不予立案处理，存档备查", by=office
        )


def _submitters(xuhui):
    seats = list(
        Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE)
        .select_related("sector", "party")
        .order_by("pk")
    )
    return (
        seats,
        list(Party.objects.filter(committee=xuhui).order_by("pk")),
        list(Sector.objects.filter(committee=xuhui).order_by("pk")),
        list(SpecialCommittee.objects.filter(committee=xuhui).order_by("pk")),
        list(Workstation.objects.filter(committee=xuhui).order_by("pk")),
    )


def _submitter(index, seats, parties, sectors, specials, stations) -> dict:
    """Members write most pieces; parties, sectors, special committees and stations the rest."""
    slot = index % 20
    if slot < 13 or not (parties and sectors and specials and stations):
        seat = seats[index % len(seats)]
        return {
            "submitter_kind": SubmitterKind.MEMBER,
            "seat": seat,
            "sector": seat.sector,
            "party": seat.party,
        }
    if slot < 16:
        return {"submitter_kind": SubmitterKind.PARTY, "party": parties[index % len(parties)]}
    if slot < 18:
        return {"submitter_kind": SubmitterKind.SECTOR, "sector": sectors[index % len(sectors)]}
    if slot < 19:
        return {
            "submitter_kind": SubmitterKind.SPECIAL_COMMITTEE,
            "special_committee": specials[index % len(specials)],
        }
    return {
        "submitter_kind": SubmitterKind.WORKSTATION,
        "workstation": stations[index % len(stations)],
    }


def _year_2023(xuhui, office) -> None:
    rng = random.Random(1848)
    already = Piece.objects.filter(committee=xuhui, received_at__year=2023).count()
    submitters = _submitters(xuhui)
    pieces = []
    for index in range(RECEIVED_2023 - already):
        title, content, category = _text(index)
        day = date(2023, 1, 3) + timedelta(days=rng.randrange(355))
        pieces.append(
            Piece(
                committee=xuhui,
                title=title,
                content=content,
                category=category,
                state=PieceState.KEPT,
                screening_note="存档备查",
                created_by=office,
                received_at=_moment(day),
                submitted_at=_moment(day),
                screened_at=_moment(day + timedelta(days=3)),
                **_submitter(index, *submitters),
            )
        )
    pieces = Piece.objects.bulk_create(pieces)
    pieces.sort(key=lambda p: p.received_at)
    # Reports: 420 of one piece (the adopted ones among them), 60 combining three pieces.
    groups = [[p] for p in pieces[:SINGLE_REPORTS]]
    rest = pieces[SINGLE_REPORTS : SINGLE_REPORTS + COMBINED_REPORTS * PER_COMBINED]
    groups += [rest[i : i + PER_COMBINED] for i in range(0, len(rest), PER_COMBINED)]
    groups.sort(key=lambda group: group[-1].received_at)
    reports = []
    for number, group in enumerate(groups, start=1):
        issued_on = min(group[-1].received_at.date() + timedelta(days=7), date(2023, 12, 29))
        reports.append(
            Report(
                committee=xuhui,
                title=group[0].title,
                content="\n\n".join(p.content for p in group),
                category=group[0].category,
                state=ReportState.REPORTED,
                year=2023,
                number=number,
                issued_on=issued_on,
                reported_on=issued_on,
                edited_by=office,
            )
        )
    reports = Report.objects.bulk_create(reports)
    IssueCounter.objects.update_or_create(
        committee=xuhui, year=2023, defaults={"last_number": len(reports)}
    )
    for report, group in zip(reports, groups, strict=True):
        for piece in group:
            piece.report, piece.state, piece.screening_note = report, PieceState.IN_REPORT, ""
    Piece.objects.bulk_update(
        [p for group in groups for p in group], ["report", "state", "screening_note"]
    )
    # The adopted and instructed ones: single-piece reports spread over the year.
    singles = [(r, g[0]) for r, g in zip(reports, groups, strict=True) if len(g) == 1]
    rng.shuffle(singles)
    municipal = singles[:MUNICIPAL_2023]
    national = municipal[:NATIONAL_2023]
    instructed = municipal[NATIONAL_2023 // 2 : NATIONAL_2023 // 2 + INSTRUCTED_2023]
    deliveries, outcomes = [], []
    upward = {r.pk for r, _p in municipal} | {r.pk for r in reports[::3]}
    for report in reports:
        targets = [Target.PARTY_COMMITTEE, Target.GOVERNMENT]
        if report.pk in upward:
            targets.append(Target.UPPER)
        deliveries += [
            Delivery(report=report, target=t, sent_on=report.reported_on, by=office)
            for t in targets
        ]
        outcomes.append(_outcome(report, "adopted", Level.DISTRICT, 0, office))
    outcomes += [_outcome(r, "adopted", Level.MUNICIPAL, 20, office) for r, _p in municipal]
    outcomes += [_outcome(r, "adopted", Level.NATIONAL, 40, office) for r, _p in national]
    outcomes += [
        _outcome(r, "instruction", Level.MUNICIPAL, 25, office, leader="市领导")
        for r, _p in instructed
    ]
    Delivery.objects.bulk_create(deliveries)
    Outcome.objects.bulk_create(outcomes)
    _acts_2023(pieces, groups, municipal, national)


def _outcome(report, kind, level, days_after, office, leader="") -> Outcome:
    return Outcome(
        report=report,
        kind=kind,
        level=level,
        on=min(report.reported_on + timedelta(days=days_after), date(2023, 12, 31)),
        leader=leader,
        content="请有关部门研究落实。" if leader else "",
        recorded_by=office,
    )


def _acts_2023(pieces, groups, municipal, national) -> None:
    """The members' performance acts: one for each piece submitted, one per adoption level."""
    kinds = dict(ActKind.objects.values_list("code", "pk"))
    piece_type = ContentType.objects.get_for_model(Piece)
    acts = [
        Act(
            seat_id=p.seat_id,
            kind_id=kinds["opinion_submitted"],
            occurred_on=p.received_at.date(),
            source_type=piece_type,
            source_id=p.pk,
        )
        for p in pieces
        if p.seat_id
    ]
    adopted = [(g[0], "opinion_adopted_district") for g in groups]
    adopted += [(p, "opinion_adopted_municipal") for _r, p in municipal]
    adopted += [(p, "opinion_adopted_national") for _r, p in national]
    acts += [
        Act(
            seat_id=p.seat_id,
            kind_id=kinds[kind],
            occurred_on=p.report.reported_on,
            source_type=piece_type,
            source_id=p.pk,
        )
        for p, kind in adopted
        if p.seat_id
    ]
    Act.objects.bulk_create(acts, ignore_conflicts=True)


def _this_year(xuhui, people) -> None:
    """xh_member's pieces in every state, the office's queues filled, and one report handed over
    to the city and adopted there (the adoption comes back to Xuhui and to the member)."""
    member, office, city = people["xh_member"], people["xh_office"], people["sh_office"]
    seat = Seat.objects.get(person__user=member, committee=xuhui)

    def write(index, title=None, **extra):
        text_title, content, category = _text(index)
        return workflow.create_draft(
            committee=xuhui,
            seat=seat,
            by=member,
            title=title or text_title.split("（")[0],
            content=content,
            category=category,
            **extra,
        )

    write(0, "关于加装电梯后维保费用分摊的建议（草稿）")
    states = {}
    for name, index in [
        ("submitted", 1),
        ("returned", 2),
        ("accepted", 3),
        ("kept", 4),
        ("withdrawn", 5),
        ("editing", 6),
        ("issued", 7),
        ("reported", 8),
        ("adopted", 9),
    ]:
        piece = write(index)
        workflow.submit(piece, by=member)
        states[name] = piece
    workflow.withdraw(states["withdrawn"], by=member, reason="情况已解决")
    workflow.screen(states["returned"], decision="return", reason="请补充具体小区和户数", by=office)
    workflow.screen(states["kept"], decision="keep", reason="与已报送信息重复", by=office)
    for name in ("accepted", "editing", "issued", "reported", "adopted"):
        workflow.screen(states[name], decision="accept", by=office)
    workflow.combine([states["editing"]], by=office)
    workflow.issue(workflow.combine([states["issued"]], by=office), by=office)
    waiting = workflow.issue(workflow.combine([states["reported"]], by=office), by=office)
    workflow.deliver(waiting, targets=[Target.PARTY_COMMITTEE, Target.GOVERNMENT], by=office)
    # Others' pieces in the office's queue, one of them a rewritten duplicate of the member's.
    _seats, parties, sectors, specials, stations = _submitters(xuhui)
    bodies = [
        {"submitter_kind": SubmitterKind.PARTY, "party": parties[1]},
        {"submitter_kind": SubmitterKind.SECTOR, "sector": sectors[3]},
        {"submitter_kind": SubmitterKind.SPECIAL_COMMITTEE, "special_committee": specials[0]},
        {"submitter_kind": SubmitterKind.WORKSTATION, "workstation": stations[0]},
    ]
    for index in range(10, 22):
        title, content, category = _text(index)
        piece = workflow.create_draft(
            committee=xuhui,
            by=office,
            title=title.split("（")[0],
            content=content,
            category=category,
            **bodies[index % len(bodies)],
        )
        workflow.submit(piece, by=office)
    duplicate = workflow.create_draft(
        committee=xuhui,
        by=office,
        submitter_kind=SubmitterKind.PARTY,
        party=parties[0],
        title="老旧小区电梯加装后维保费用由谁承担亟需明确",
        content=_text(1)[1].replace("群众反映", "党派成员调研反映"),
    )
    workflow.submit(duplicate, by=office)
    # Handed over to the city, adopted there with an instruction; relayed back to Xuhui.
    upward = workflow.issue(workflow.combine([states["adopted"]], by=office), by=office)
    workflow.deliver(upward, targets=[Target.UPPER, Target.GOVERNMENT], by=office)
    workflow.record_outcome(upward, kind="adopted", level=Level.DISTRICT, by=office)
    arrived = Piece.objects.get(forwarded_from=upward)
    workflow.screen(arrived, decision="accept", by=city)
    city_report = workflow.issue(workflow.combine([arrived], by=city), by=city)
    workflow.deliver(city_report, targets=[Target.UPPER, Target.GOVERNMENT], by=city)
    workflow.record_outcome(city_report, kind="adopted", level=Level.MUNICIPAL, by=city)
    workflow.record_outcome(
        city_report,
        kind="instruction",
        level=Level.MUNICIPAL,
        leader="市领导",
        content="请市房管局会同各区研究出台指引。",
        by=city,
    )
