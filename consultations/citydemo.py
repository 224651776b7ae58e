"""Demo consultations of the whole city: each district but Xuhui holds, in 2023, what Xuhui held
(four bi-monthly meetings, 13 research visits, 54 suggestions, all adopted), and the municipal
committee organises joint work 市区联动 with districts — two 联动调研 and one 联动协商 in 2023,
credited to each organiser and counted once in the city's total. Xuhui's own 2023 figures stay
as the seed reports them: it is not among the joint organisers. Set-based (bulk_create), once.
"""

from datetime import date

from consultations.models import Meeting, MeetingKind, ResearchVisit, Suggestion
from members.demo import DISTRICTS
from members.models import Committee, HandlingUnit

TOPICS = ["促进消费提质扩容", "完善社区卫生服务", "推进公共文化服务", "提升城区绿色发展"]
VISITS_PER_MEETING = (4, 3, 3, 3)  # 13 in all
SUGGESTIONS_PER_MEETING = (14, 14, 13, 13)  # 54 in all
JOINT_PARTNERS = ("310101", "310105", "310106", "310115")  # 黄浦, 长宁, 静安, 浦东


def _district(committee: Committee) -> None:
    meetings = Meeting.objects.bulk_create(
        Meeting(
            committee=committee,
            kind=MeetingKind.BIMONTHLY,
            title=f"双月协商会：{topic}",
            held_on=date(2023, 2 + 3 * i, 18),
            venue=f"{committee.short_name}会议室",
            status=Meeting.Status.HELD,
        )
        for i, topic in enumerate(TOPICS)
    )
    units = list(HandlingUnit.objects.filter(committee=committee).order_by("pk"))
    ResearchVisit.objects.bulk_create(
        ResearchVisit(
            committee=committee,
            meeting=meeting,
            visited_on=date(2023, 1 + 3 * i, 5 + 5 * k),
            place=f"{committee.short_name[:-2]}调研点{i * 4 + k + 1}",
            findings="形成调研报告，为双月协商会作准备。",
        )
        for i, meeting in enumerate(meetings)
        for k in range(VISITS_PER_MEETING[i])
    )
    Suggestion.objects.bulk_create(
        Suggestion(
            meeting=meeting,
            text=f"关于{TOPICS[i]}的第{k + 1}条建议",
            addressee=units[(i + k) % len(units)],
            status=Suggestion.Status.ADOPTED,
            response="已采纳，纳入年度工作安排。",
            responded_on=date(2023, 3 + 3 * i, 28),
        )
        for i, meeting in enumerate(meetings)
        for k in range(SUGGESTIONS_PER_MEETING[i])
    )


def _joint(shanghai: Committee) -> None:
    partners = list(Committee.objects.filter(region_code__in=JOINT_PARTNERS))
    visits = ResearchVisit.objects.bulk_create(
        [
            ResearchVisit(
                committee=shanghai,
                visited_on=date(2023, 4, 12),
                place="黄浦江滨江公共空间（市区联动调研）",
                findings="市区政协联动调研一江一河滨水空间贯通与品质提升。",
            ),
            ResearchVisit(
                committee=shanghai,
                visited_on=date(2023, 9, 7),
                place="张江科学城（市区联动调研）",
                findings="市区政协联动调研科技创新策源功能建设。",
            ),
        ]
    )
    meeting = Meeting.objects.create(
        committee=shanghai,
        kind=MeetingKind.STANDING_TOPIC,
        title="市区联动协商：超大城市基层治理现代化",
        held_on=date(2023, 11, 16),
        venue="上海市政协",
        status=Meeting.Status.HELD,
    )
    for visit in visits:
        visit.partners.set(partners)
    meeting.partners.set(partners)


def seed(stdout) -> None:
    shanghai = Committee.objects.get(region_code="310000")
    loaded = 0
    for _name, code in DISTRICTS:
        committee = Committee.objects.get(region_code=code)
        if code == "310104" or committee.consultation_meetings.exists():
            continue
        if HandlingUnit.objects.filter(committee=committee).exists():
            _district(committee)
            loaded += 1
    if not shanghai.consultation_meetings.exclude(partners=None).exists():
        _joint(shanghai)
    stdout.write(f"全市协商：{loaded} 个区的 2023 年协商工作，市区联动调研 2 次、联动协商 1 次")
