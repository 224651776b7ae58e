"""Demo proposals of the whole city: each district but Xuhui has a 2023 session of Xuhui's size —
206 submitted, 166 filed and closed (one lead unit each, answered on time, A/B/C replies, rated),
40 not filed — loaded as the records the workflow would have left (set-based, bulk_create), once:
a district whose 2023 session has proposals is left as it is.
"""

from datetime import date, datetime, time

from django.utils import timezone

from members.demo import DISTRICTS
from members.models import Committee, HandlingUnit, Seat, SeatStatus, User
from proposals.demo import CATEGORIES
from proposals.models import (
    Assignment,
    Category,
    Feedback,
    Proposal,
    Reply,
    SessionCounter,
    State,
)

SUBMITTED, FILED = 206, 166
SUBJECTS = [
    "社区养老服务",
    "老旧小区更新",
    "公共文化设施",
    "中小学课后服务",
    "河道生态治理",
    "营商环境",
]


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(10)))


def _district(committee: Committee, admin: User) -> None:
    session = committee.terms.get(number=14).sessions.get(number=2)
    if Proposal.objects.filter(session=session).exists():
        return
    categories = Category.objects.bulk_create(
        Category(committee=committee, name=name, order=order)
        for order, name in enumerate(CATEGORIES, start=1)
    )
    seats = list(
        Seat.objects.filter(committee=committee, status=SeatStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    units = list(HandlingUnit.objects.filter(committee=committee).order_by("pk"))
    proposals = Proposal.objects.bulk_create(
        Proposal(
            committee=committee,
            session=session,
            lead_id=seats[(i * 7) % len(seats)],
            category=categories[i % len(categories)],
            title=f"关于加强{SUBJECTS[i % len(SUBJECTS)]}的建议（{i + 1}）",
            reason="群众反映集中，需统筹推进。",
            suggestions="建议有关部门加强统筹，明确责任，按期推进。",
            state=State.CLOSED if i < FILED else State.NOT_FILED,
            number=i + 1 if i < FILED else None,
            disposition="" if i < FILED else Proposal.Disposition.REFERRED,
            submitted_at=_at(date(2023, 1, 7)),
            filed_at=_at(date(2023, 1, 20)) if i < FILED else None,
            closed_at=_at(date(2023, 7, 15)) if i < FILED else None,
            created_by=admin,
        )
        for i in range(SUBMITTED)
    )
    SessionCounter.objects.update_or_create(session=session, defaults={"last_number": FILED})
    assignments = Assignment.objects.bulk_create(
        Assignment(
            proposal=proposal,
            unit=units[i % len(units)],
            role=Assignment.Role.LEAD,
            status=Assignment.Status.REPLIED,
            assigned_on=date(2023, 2, 1),
            acknowledge_by=date(2023, 2, 8),
            due_on=date(2023, 5, 4),
            accepted_at=_at(date(2023, 2, 3)),
            replied_on=date(2023, 4, 20),
        )
        for i, proposal in enumerate(proposals[:FILED])
    )
    replies = Reply.objects.bulk_create(
        Reply(
            assignment=assignment,
            result="ABBC"[i % 4] if i % 10 else "A",
            text="经研究，已采纳并纳入年度工作计划推进落实。",
            signatory="单位负责人",
            replied_on=date(2023, 4, 20),
        )
        for i, assignment in enumerate(assignments)
    )
    Feedback.objects.bulk_create(
        Feedback(
            reply=reply,
            rating=Feedback.Rating.DISSATISFIED
            if i % 40 == 39
            else Feedback.Rating.BASIC
            if i % 5 == 4
            else Feedback.Rating.SATISFIED,
            by=admin,
        )
        for i, reply in enumerate(replies)
    )


def seed(stdout) -> None:
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    loaded = 0
    for _name, code in DISTRICTS:
        committee = Committee.objects.get(region_code=code)
        if code == "310104" or not committee.terms.filter(number=14).exists():
            continue
        if HandlingUnit.objects.filter(committee=committee).exists():
            _district(committee, admin)
            loaded += 1
    stdout.write(f"全市提案：{loaded} 个区各 2023 年提交 {SUBMITTED} 件、立案 {FILED} 件")
