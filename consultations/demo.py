"""Demo data of consultations (demo mode only): Xuhui's 2023 as the seed tells it — four
bi-monthly consultation meetings on the seed's topics, 13 research visits, 54 suggestions, all
adopted, every 《政协建言》 instructed by the district's leaders — an open 2024 plan with gaps
for the cadence view, and meetings coming up this year. Acts go through the workflow, once (the
two extra 2023 meetings are set as held directly: demo data, not an act). Then the other
districts and the municipal committee's joint work (consultations.citydemo)."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultations import citydemo, workflow
from consultations.models import (
    Invitation,
    Meeting,
    MeetingKind,
    Plan,
    ResearchVisit,
    Suggestion,
    Topic,
)
from members.demo import ensure
from members.models import Committee, HandlingUnit, Seat, SeatStatus, SpecialCommittee, User

TOPICS_2023 = [  # title, planned month, organising special committee, units, visits, suggestions
    (
        "打造中心城区消费新高地",
        4,
        "经济委员会",
        ["区商务委", "区发展改革委", "区市场监管局"],
        4,
        14,
    ),
    (
        "完善社区卫生服务体系",
        6,
        "社会和法制委员会",
        ["区卫生健康委", "区医保局", "区民政局"],
        3,
        13,
    ),
    ("推进公共文化高质量发展", 9, "文化文史和学习委员会", ["区文化旅游局", "区委宣传部"], 3, 14),
    (
        "提升城区绿色发展水平",
        11,
        "人口资源环境委员会",
        ["区生态环境局", "区绿化市容局", "区建设管理委"],
        3,
        13,
    ),
]
TOPICS_2024 = [
    ("加快建设“数字徐汇”", 3),
    ("推动“一江一河”滨水空间品质提升", 5),
    ("优化营商环境 助力民营经济发展", 9),
    ("推进老旧小区综合改造", 11),
]
LEADERS = "区委书记、区长、区委副书记、区政协主席"


def _topic(committee, year, title, month, plan, admin, *, kind=MeetingKind.BIMONTHLY) -> Topic:
    topic = Topic.objects.filter(committee=committee, year=year, title=title).first()
    if topic is None:
        topic = workflow.propose_topic(
            committee=committee,
            year=year,
            title=title,
            reason=f"围绕{title}开展协商，助推区域发展。",
            proposer_kind=Topic.ProposerKind.SPECIAL_COMMITTEE,
            proposer="区政协专门委员会",
            meeting_kind=kind,
            by=admin,
        )
        workflow.shortlist_topic(topic, by=admin, reason="符合年度重点工作")
        workflow.confirm_topic(
            topic, plan=plan, planned_month=month, by=admin, reason="经与区委、区政府会商确定"
        )
    return topic


def _meeting(
    committee, topic, held_on, organiser, admin, seats, rng, *, units, visits, suggestions
) -> Meeting:
    meeting = Meeting.objects.filter(
        committee=committee, title=f"双月协商会：{topic.title}", held_on=held_on
    ).first()
    if meeting is not None:
        return meeting
    meeting = workflow.plan_meeting(
        committee=committee,
        kind=MeetingKind.BIMONTHLY,
        title=f"双月协商会：{topic.title}",
        topic=topic,
        held_on=held_on,
        venue="区政协会议中心",
        organiser=organiser,
        leaders=LEADERS,
        materials=f"关于{topic.title}的调研报告\n有关部门情况通报",
        by=admin,
    )
    invited = rng.sample(seats, 30)
    workflow.invite(
        meeting, seats=invited, guests=[("复旦大学 陈教授", Invitation.Role.EXPERT)], by=admin
    )
    for index, visit_day in enumerate(range(visits)):
        workflow.record_research_visit(
            committee=committee,
            meeting=meeting,
            by=admin,
            visited_on=held_on - timedelta(days=60 - 12 * visit_day),
            place=f"{topic.title}调研点{index + 1}",
            participants=rng.sample(invited, 8),
            findings="了解情况，听取基层意见。",
        )
    members = list(meeting.invitations.filter(seat__isnull=False))
    for invitation in members[9::10]:
        workflow.request_leave(invitation, reason="公务出差", by=admin)
        workflow.decide_leave(invitation, approve=True, by=admin, note="同意")
    workflow.hold_meeting(meeting, summary="委员围绕议题深入协商，提出意见建议。", by=admin)
    for invitation in [i for index, i in enumerate(members) if index % 10 != 9]:
        workflow.sign_in(invitation, by=admin)  # staff signed them in on the day
    for index, seat in enumerate(invited[:6]):
        workflow.record_speech(
            meeting,
            by=admin,
            seat=seat,
            order=index,
            title=f"关于{topic.title}的几点建议（{index + 1}）",
            text="建议进一步加强统筹协调，完善工作机制。",
        )
    unit_objects = list(HandlingUnit.objects.filter(committee=committee, name__in=units))
    for index in range(suggestions):
        suggestion = workflow.record_suggestion(
            meeting=meeting,
            text=f"{topic.title}：意见建议第{index + 1}条",
            addressee=unit_objects[index % len(unit_objects)],
            by=admin,
        )
        workflow.respond_to_suggestion(
            suggestion,
            status=Suggestion.Status.ADOPTED,
            by=admin,
            response="已采纳，列入年度工作计划推进落实。",
            responded_on=held_on + timedelta(days=45),
        )
    report = workflow.record_report(
        meeting=meeting,
        title=f"关于{topic.title}的建议",
        text="（《政协建言》正文）",
        sent_on=held_on + timedelta(days=14),
        by=admin,
    )
    for leader, offset in (("区委书记", 20), ("区长", 22)):
        workflow.record_instruction(
            report=report,
            leader=leader,
            given_on=held_on + timedelta(days=offset),
            text="请有关部门认真研究，吸收采纳。",
            by=admin,
        )
    return meeting


@transaction.atomic
def seed(stdout) -> None:
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if not settings.DEMO_MODE or admin is None:
        return
    xuhui = Committee.objects.get(region_code="310104")
    rng = random.Random(4)
    seats = list(Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE).order_by("pk"))
    specials = {s.name: s for s in SpecialCommittee.objects.filter(committee=xuhui)}
    plan = ensure(
        Plan,
        {"committee": xuhui, "year": 2023},
        approved_on=date(2023, 2, 20),
        notes="经中共徐汇区委批准。",
    )
    for title, month, organiser, units, visits, suggestions in TOPICS_2023:
        topic = _topic(xuhui, 2023, title, month, plan, admin)
        _meeting(
            xuhui,
            topic,
            date(2023, month, 20),
            specials[organiser],
            admin,
            seats,
            rng,
            units=units,
            visits=visits,
            suggestions=suggestions,
        )
    ensure(
        Meeting,
        {"committee": xuhui, "title": "委员沙龙：青年人才安居", "held_on": date(2023, 7, 12)},
        kind=MeetingKind.SALON,
        status=Meeting.Status.HELD,
        venue="徐汇滨江委员之家",
    )
    ensure(
        Meeting,
        {"committee": xuhui, "title": "对口协商：区法院执行工作", "held_on": date(2023, 10, 18)},
        kind=MeetingKind.COUNTERPART,
        status=Meeting.Status.HELD,
        venue="区人民法院",
    )
    plan_2024 = ensure(
        Plan, {"committee": xuhui, "year": 2024}, approved_on=None, notes="征集议题中。"
    )
    for title, month in TOPICS_2024[:3]:
        _topic(xuhui, 2024, title, month, plan_2024, admin)
    if not Topic.objects.filter(committee=xuhui, year=2024, title=TOPICS_2024[3][0]).exists():
        workflow.propose_topic(
            committee=xuhui,
            year=2024,
            title=TOPICS_2024[3][0],
            reason="群众反映集中。",
            proposer_kind=Topic.ProposerKind.MEMBER,
            proposer="委员联名",
            meeting_kind=MeetingKind.BIMONTHLY,
            by=admin,
        )
    _upcoming(xuhui, admin, specials)
    meetings = Meeting.objects.filter(committee=xuhui, held_on__year=2023).count()
    stdout.write(
        f"协商：2023 年 {meetings} 次会议，调研视察 "
        f"{ResearchVisit.objects.filter(committee=xuhui, visited_on__year=2023).count()} 次，"
        f"意见建议 {Suggestion.objects.filter(meeting__committee=xuhui).count()} 条"
    )
    citydemo.seed(stdout)


def _upcoming(xuhui, admin, specials) -> None:
    """Meetings tomorrow and in the coming weeks, to which the demo member is invited (one
    closed)."""
    today = timezone.localdate()
    member = Seat.objects.filter(person__user__username="xh_member", committee=xuhui).first()
    for offset, title, kind, closed in (
        (1, "委员沙龙：社区嵌入式服务设施建设", MeetingKind.SALON, False),
        (9, "双月协商会：推进城市更新与民生改善", MeetingKind.BIMONTHLY, False),
        (16, "专题监督会：民生实事项目推进情况", MeetingKind.SUPERVISION, True),
    ):
        held_on = today + timedelta(days=offset)
        meeting = Meeting.objects.filter(committee=xuhui, title=title).first()
        if meeting is None:
            meeting = workflow.plan_meeting(
                committee=xuhui,
                title=title,
                held_on=held_on,
                is_closed=closed,
                kind=kind,
                organiser=specials["城市建设和管理委员会"],
                venue="区政协会议中心",
                materials="会议议程及有关材料将在会前一周发送。",
                by=admin,
            )
            if member:
                workflow.invite(meeting, seats=[member], by=admin)
