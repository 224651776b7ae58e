"""Demo data of proposals (demo mode only): Xuhui's 2023 session as the seed reports it — 206
submitted, 166 filed, every assignment answered on time — replayed through the workflow and
dated back to 2023, and this year's session with work in progress; then the other districts'
2023 sessions at Xuhui's size (proposals.citydemo).

2023 is history: what the workflow refuses for past dates (feedback later than a month after the
reply) is loaded as records, then the proposals are closed through the workflow.
"""

import random
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from members.demo import DEMO_PASSWORD
from members.models import Committee, HandlingUnit, Seat, SeatStatus, SpecialCommittee, User
from proposals import workflow
from proposals.models import (
    Assignment,
    Category,
    CoSigner,
    Feedback,
    Proposal,
    Review,
    Transition,
)

CATEGORIES = ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "其他"]
SUBJECTS = [
    ("社区养老服务", "社会建设", "区民政局"),
    ("老旧小区加装电梯", "社会建设", "区房管局"),
    ("中小学课后服务", "社会建设", "区教育局"),
    ("社区卫生服务中心建设", "社会建设", "区卫生健康委"),
    ("徐家汇商圈能级提升", "经济建设", "区商务委"),
    ("人工智能产业集聚", "经济建设", "区科委"),
    ("民营企业融资", "经济建设", "区金融办"),
    ("营商环境优化", "经济建设", "区发展改革委"),
    ("滨江公共空间开放", "生态文明建设", "区绿化市容局"),
    ("垃圾分类长效管理", "生态文明建设", "区绿化市容局"),
    ("河道水环境治理", "生态文明建设", "区生态环境局"),
    ("海派文化传承", "文化建设", "区文化旅游局"),
    ("公共图书馆延时开放", "文化建设", "区文化旅游局"),
    ("全民健身场地", "社会建设", "区体育局"),
    ("基层治理数字化", "政治建设", "区数据局"),
    ("法律援助便民", "政治建设", "区司法局"),
    ("停车难治理", "社会建设", "区建设管理委"),
    ("早餐工程", "其他", "区商务委"),
]
ANGLES = ["的建议", "的若干建议", "的对策建议", "问题的思考与建议"]
TOTAL_2023, FILED_2023, NOT_FILED_2023 = 206, 166, 25  # the rest (15) are merged


def _title(index: int) -> str:
    subject = SUBJECTS[index % len(SUBJECTS)][0]
    return f"关于推进{subject}{ANGLES[index // len(SUBJECTS) % len(ANGLES)]}（{index + 1:03d}）"


def _backdate(proposal: Proposal, day: date) -> None:
    """Move the proposal's records to the day they happened in 2023."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    Transition.objects.filter(proposal=proposal).update(at=moment)
    Review.objects.filter(proposal=proposal).update(at=moment)


@transaction.atomic
def seed(stdout) -> None:
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if not settings.DEMO_MODE or admin is None:
        return
    xuhui = Committee.objects.get(region_code="310104")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(committee=xuhui, name=name, defaults={"order": order})
    people = {u.username: u for u in User.objects.filter(username__startswith="xh_")}
    term = xuhui.terms.get(number=14)
    session_2023 = term.sessions.get(number=2)
    if not Proposal.objects.filter(session=session_2023).exists():
        _year_2023(xuhui, session_2023, people, admin)
    current = term.sessions.order_by("-number").first()
    if not Proposal.objects.filter(session=current).exists():
        _in_progress(xuhui, current, people, admin)
    if not User.objects.filter(username__in=[u for u, *_ in COSIGNING_ACCOUNTS]).exists():
        _cosigning_and_cohandling(xuhui, current, stdout)
    filed = Proposal.objects.filter(session=session_2023, number__isnull=False).count()
    stdout.write(
        f"提案：2023 年提交 {Proposal.objects.filter(session=session_2023).count()} 件，"
        f"立案 {filed} 件；本年度 {Proposal.objects.filter(session=current).count()} 件"
    )
    from proposals import citydemo  # the other districts, at this module's size

    citydemo.seed(stdout)


def _year_2023(xuhui, session, people, admin) -> None:
    rng = random.Random(2023)
    office, review, director = people["xh_office"], people["xh_review"], people["xh_director"]
    chair = people["xh_chair"]
    seats = list(Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE).order_by("pk"))
    categories = {c.name: c for c in Category.objects.filter(committee=xuhui)}
    units = {u.name: u for u in HandlingUnit.objects.filter(committee=xuhui)}
    specials = list(SpecialCommittee.objects.filter(committee=xuhui))
    proposals = []
    for index in range(TOTAL_2023):
        subject, category, unit_name = SUBJECTS[index % len(SUBJECTS)]
        kind = "collective" if index % 10 == 9 else "joint" if index % 6 == 5 else "individual"
        extra = (
            {
                "body_kind": "party",
                "body_name": rng.choice(
                    [
                        "民革徐汇区委",
                        "民盟徐汇区委",
                        "民建徐汇区委",
                        "民进徐汇区委",
                        "九三学社徐汇区委",
                    ]
                ),
            }
            if kind == "collective"
            else {"lead": seats[index % len(seats)]}
        )
        proposal = workflow.create_draft(
            committee=xuhui,
            session=session,
            category=categories[category],
            title=_title(index),
            by=office,
            kind=kind,
            reason=f"{subject}关系群众切身利益，近年来群众反映较多。",
            analysis=f"经调研，{subject}方面仍存在统筹不足、资源分布不均等问题。",
            suggestions=f"一是加强统筹规划；二是完善{subject}配套政策；三是建立长效机制。",
            research_basis="走访相关部门、街道和社区，召开座谈会三次。",
            disclose=index % 15 != 0,
            disclosure_note="" if index % 15 else "涉及企业经营信息",
            **extra,
        )
        if kind == "joint":
            for seat in rng.sample(seats, 2):
                if seat.pk != proposal.lead_id:
                    CoSigner.objects.create(
                        proposal=proposal,
                        seat=seat,
                        status=CoSigner.Status.CONFIRMED,
                        responded_at=timezone.now(),
                    )
        workflow.submit(proposal, by=office)
        workflow.first_review(proposal, decision="pass", by=office, opinion="符合提案要求")
        workflow.second_review(proposal, decision="pass", by=review)
        proposals.append((proposal, unit_name))
    filed = []
    for index, (proposal, unit_name) in enumerate(proposals):
        if index < FILED_2023:
            workflow.final_review(proposal, decision="file", by=director, opinion="同意立案")
            filed.append((proposal, unit_name))
        elif index < FILED_2023 + NOT_FILED_2023:
            workflow.final_review(
                proposal,
                decision="not_file",
                by=director,
                disposition="opinion" if index % 2 else "referred",
                opinion="不符合立案条件",
            )
        else:
            workflow.final_review(
                proposal,
                decision="merge",
                by=director,
                merge_into=filed[index % len(filed)][0],
                opinion="内容相近，并案",
            )
    for index, (proposal, unit_name) in enumerate(filed):
        if index % 17 == 0:
            workflow.select_key(
                proposal,
                supervisor=chair,
                by=director,
                supervising_committee=specials[index % len(specials)],
            )
        _handle_2023(proposal, index, units, unit_name, rng, office, admin)
        if index % 16 == 3:
            workflow.select_excellent(proposal, by=director, reason="质量较高，办理成效明显")
    for proposal, _unit in proposals:
        _backdate(proposal, date(2023, 2, 10))
    Proposal.objects.filter(session=session).update(
        submitted_at=timezone.make_aware(datetime(2023, 1, 7, 10))
    )
    Proposal.objects.filter(session=session, number__isnull=False).update(
        filed_at=timezone.make_aware(datetime(2023, 2, 10, 10))
    )
    Proposal.objects.filter(session=session, state="closed").update(
        closed_at=timezone.make_aware(datetime(2023, 7, 31, 10))
    )


def _handle_2023(proposal, index, units, unit_name, rng, office, admin) -> None:
    """Assigned on 20 February; answered on time; rated; closed."""
    plan = [(units[unit_name], Assignment.Role.LEAD)]
    if index % 3 == 0:
        plan.append(
            (units[rng.choice(["区发展改革委", "区财政局", "区规划资源局"])], Assignment.Role.CO)
        )
    plan = [
        (unit, role)
        for position, (unit, role) in enumerate(plan)
        if position == 0 or unit != plan[0][0]
    ]
    assigned = workflow.assign(proposal, units=plan, by=office, on=date(2023, 2, 20))
    # Co-handling units send their opinion to the lead unit before it replies.
    for assignment in sorted(assigned, key=lambda a: a.role != Assignment.Role.CO):
        workflow.accept(assignment, by=admin)
        if assignment.role == Assignment.Role.CO:
            workflow.send_opinion(
                assignment,
                text="会办意见已送主办单位：支持所提建议，配合做好相关工作。",
                sent_on=date(2023, 3, 20),
                by=admin,
            )
            continue
        result = "A" if index % 10 < 6 else "B" if index % 10 < 9 else "C"
        answer = workflow.reply(
            assignment,
            result=result,
            by=admin,
            signatory="单位主要负责人",
            replied_on=date(2023, 4, 1) + timedelta(days=index % 50),
            text={
                "A": "所提问题已基本解决。",
                "B": "已列入年度计划，正在逐步推进。",
                "C": "因条件限制暂时不能解决，留作今后工作参考。",
            }[result],
        )
        rating = "dissatisfied" if index % 50 == 7 else "basic" if index % 8 == 1 else "satisfied"
        Feedback.objects.create(
            reply=answer,
            rating=rating,
            by=proposal.created_by,
            comment="" if rating == "satisfied" else "希望进一步推进",
        )
    workflow.close(proposal, by=office, reason="答复后反馈完成")


def _in_progress(xuhui, session, people, admin) -> None:
    """This year's session: the demo member's drafts and co-sign requests, proposals in each
    review, some handled, one replied and waiting for the member's feedback."""
    office, review, director = people["xh_office"], people["xh_review"], people["xh_director"]
    member = people["xh_member"]
    unit_user = people["xh_unit"]
    lead = Seat.objects.get(person__user=member, committee=xuhui)
    others = list(
        Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE)
        .exclude(pk=lead.pk)
        .order_by("pk")[:40]
    )
    categories = {c.name: c for c in Category.objects.filter(committee=xuhui)}
    education = HandlingUnit.objects.get(committee=xuhui, name="区教育局")
    today = timezone.localdate()

    def new(index, by, seat, title, **extra):
        subject, category, _unit = SUBJECTS[index % len(SUBJECTS)]
        return workflow.create_draft(
            committee=xuhui,
            session=session,
            category=categories[category],
            title=title,
            lead=seat,
            by=by,
            reason=f"{subject}是群众关心的问题。",
            suggestions="建议加强统筹，完善机制。",
            research_basis="开展了专题调研。",
            **extra,
        )

    draft = new(2, member, lead, "关于优化中小学课后服务供给的建议", kind="joint")
    workflow.invite_cosigners(draft, seats=others[:2], by=member)
    mine = new(3, member, lead, "关于加强社区卫生服务中心人才队伍建设的建议")
    workflow.submit(mine, by=member)
    workflow.first_review(mine, decision="pass", by=office)
    workflow.second_review(mine, decision="pass", by=review)
    workflow.final_review(mine, decision="file", by=director)
    (assignment,) = workflow.assign(
        mine, units=[(education, "lead")], by=office, on=today - timedelta(days=40)
    )
    workflow.accept(assignment, by=unit_user)
    workflow.reply(
        assignment,
        result="B",
        text="已纳入明年工作计划。",
        signatory="局长",
        by=unit_user,
        replied_on=today - timedelta(days=3),
    )
    for index, seat in enumerate(others[:24]):
        proposal = new(index, office, seat, _title(300 + index))
        workflow.submit(proposal, by=office)
        if index % 4 == 0:
            continue  # waiting for the first review
        workflow.first_review(proposal, decision="pass", by=office)
        if index % 4 == 1:
            continue
        workflow.second_review(proposal, decision="pass", by=review)
        if index % 4 == 2:
            continue
        workflow.final_review(proposal, decision="file", by=director)
        unit = HandlingUnit.objects.get(committee=xuhui, name=SUBJECTS[index % len(SUBJECTS)][2])
        on = today - timedelta(days=120 if index % 8 == 3 else 30)  # some overdue
        workflow.assign(proposal, units=[(unit, "lead")], by=office, on=on)


# More demo logins for co-signing and co-handling (username, role, who): members linked to the
# seats invited to co-sign xh_member's draft, and the staff of two co-handling units.
COSIGNING_ACCOUNTS = [
    ("xh_cosigner", Role.MEMBER, 0),  # the first invitee; also co-signs a submitted proposal
    ("xh_group", Role.MEMBER, 1),  # the second invitee, who shares a name with another member
    ("xh_unit_health", Role.HANDLING_UNIT, "区卫生健康委"),
    ("xh_unit_culture", Role.HANDLING_UNIT, "区文化旅游局"),
]


def _cosigning_and_cohandling(xuhui, session, stdout) -> None:
    """Logins for the two members invited to co-sign xh_member's draft (the first has also
    confirmed a submitted joint proposal) and for two units, with a proposal assigned to
    区教育局 (lead, xh_unit) and both of them (co-handling), waiting for their acknowledgement."""
    member = User.objects.get(username="xh_member")
    office = User.objects.get(username="xh_office")
    draft = Proposal.objects.filter(session=session, kind="joint", state="draft").first()
    if draft is None:
        return
    invited = list(draft.cosigners.select_related("seat__person").order_by("pk"))
    if len(invited) < 2:
        return
    # The second invitee gets a namesake (another active member of the same name) so that the
    # co-sign picker's 同名 hint shows in the demo.
    second = invited[1].seat
    if (
        not Seat.objects.filter(person__name=second.person.name, committee=xuhui)
        .exclude(pk=second.pk)
        .exists()
    ):
        spare = (
            Seat.objects.filter(committee=xuhui, status=SeatStatus.ACTIVE, person__user=None)
            .exclude(pk__in=[c.seat_id for c in invited])
            .exclude(pk=draft.lead_id)
            .order_by("-pk")
            .first()
        )
        if spare is not None:
            spare.person.name = second.person.name
            spare.person.save(update_fields=["name"])
    for username, role, who in COSIGNING_ACCOUNTS:
        person = invited[who].seat.person if isinstance(who, int) else None
        unit = None if person else HandlingUnit.objects.get(committee=xuhui, name=who)
        user = User.objects.create(
            username=username,
            name=person.name if person else f"{unit.name}经办人",
            email=f"{username}@example.org",
            committee=None if unit else xuhui,
            handling_unit=unit,
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name=role))
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
    cosigner = User.objects.get(username="xh_cosigner")
    lead = Seat.objects.get(person__user=member, committee=xuhui)
    categories = {c.name: c for c in Category.objects.filter(committee=xuhui)}
    joint = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=categories["社会建设"],
        title="关于推进“家门口”社区卫生服务站点建设的建议",
        lead=lead,
        by=member,
        kind="joint",
        reason="社区卫生服务站点分布不均，部分老旧小区居民就医需步行二十分钟以上。",
        analysis="全区现有社区卫生服务站点覆盖率约八成，新建小区配套滞后。",
        suggestions="一是编制站点布局规划；二是利用闲置公房设点；三是推广家庭医生签约服务。",
        research_basis="走访了徐家汇、田林等五个街道的社区卫生服务中心。",
    )
    workflow.invite_cosigners(joint, seats=[invited[0].seat], by=member)
    workflow.answer_cosign(joint.cosigners.get(), accept=True, by=cosigner)
    workflow.submit(joint, by=member)
    cohandled = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=categories["文化建设"],
        title="关于推进校园文化与社区卫生健康教育融合的建议",
        lead=lead,
        by=member,
        reason="青少年健康教育与校园文化活动结合不够紧密。",
        analysis="全区中小学健康教育课时不足，社区文化场馆利用率不高。",
        suggestions="建议教育、卫生健康、文化旅游部门联合开展健康文化进校园活动。",
        research_basis="调研了区内六所中小学和三个社区文化活动中心。",
    )
    workflow.submit(cohandled, by=member)
    workflow.first_review(cohandled, decision="pass", by=office)
    workflow.second_review(cohandled, decision="pass", by=User.objects.get(username="xh_review"))
    workflow.final_review(cohandled, decision="file", by=User.objects.get(username="xh_director"))
    units = {u.name: u for u in HandlingUnit.objects.filter(committee=xuhui)}
    workflow.assign(
        cohandled,
        units=[
            (units["区教育局"], "lead"),
            (units["区卫生健康委"], "co"),
            (units["区文化旅游局"], "co"),
        ],
        by=office,
    )
    stdout.write(
        "附议与会办演示账号：xh_cosigner（附议人）、xh_group（受邀附议、有同名委员）、"
        "xh_unit_health（区卫生健康委）、xh_unit_culture（区文化旅游局）"
    )
