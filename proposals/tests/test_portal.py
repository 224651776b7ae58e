"""The member's and the unit's pages: a draft saved once, the sessions offered, the co-sign
picker (search, namesakes, scope, the page without script), invitees reading what they are asked
to co-sign, co-signed proposals listed, the unit's whole view of a proposal and its workspace."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from members.models import Sector
from members.tests.factories import (
    HandlingUnitFactory,
    PlenarySessionFactory,
    SeatFactory,
    UserFactory,
)
from proposals import workflow
from proposals.models import CoSigner, Proposal
from proposals.selectors import open_sessions
from proposals.tests.helpers import answered, draft, filed


def _draft_post(session, category, token):
    return {
        "session": session.pk,
        "timing": "plenary",
        "kind": "individual",
        "category": category.pk,
        "title": "关于加快老旧小区加装电梯的建议",
        "reason": "居民出行不便",
        "analysis": "",
        "suggestions": "简化审批",
        "research_basis": "走访三个小区",
        "disclose": "on",
        "once": token,
    }


def test_a_draft_form_sent_twice_saves_one_draft(client, session, category, member):
    client.force_login(member[0])
    page = client.get(reverse("proposals:new"))
    token = page.context["form"]["once"].value()
    first = client.post(reverse("proposals:new"), _draft_post(session, category, str(token)))
    second = client.post(reverse("proposals:new"), _draft_post(session, category, str(token)))
    proposal = Proposal.objects.get()
    assert first.url == second.url == reverse("proposals:detail", args=[proposal.pk])
    # A new form (a new token) saves a new draft.
    client.post(reverse("proposals:new"), _draft_post(session, category, str(uuid.uuid4())))
    assert Proposal.objects.count() == 2


def test_a_draft_form_without_its_token_is_refused(client, session, category, member):
    client.force_login(member[0])
    response = client.post(reverse("proposals:new"), _draft_post(session, category, ""))
    assert response.status_code == 200 and "表单已失效" in response.text
    assert not Proposal.objects.exists()


def test_the_session_field_offers_the_current_and_coming_sessions(xuhui):
    today = timezone.localdate()
    past = PlenarySessionFactory(
        term__committee=xuhui,
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=395),
    )
    current = PlenarySessionFactory(
        term=past.term, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=26)
    )
    coming = PlenarySessionFactory(
        term=past.term, opens_on=today + timedelta(days=60), closes_on=today + timedelta(days=64)
    )
    assert list(open_sessions(xuhui)) == [coming, current]
    assert set(open_sessions(xuhui, keep=past.pk)) == {coming, current, past}


# --- The co-sign picker ---------------------------------------------------------------------------


@pytest.fixture
def joint(xuhui, session, category, member):
    return draft(xuhui, session, category, member, kind="joint")


@pytest.fixture
def namesakes(xuhui):
    """Two active members called 王芳, told apart by sector and employer."""
    return [
        SeatFactory(
            committee=xuhui,
            person__name="王芳",
            person__employer=employer,
            sector=Sector.objects.create(committee=xuhui, name=sector),
        )
        for employer, sector in (("区中心医院副院长", "医药卫生界"), ("徐汇中学校长", "教育界"))
    ]


def test_the_picker_finds_members_and_tells_namesakes_apart(client, joint, member, namesakes):
    client.force_login(member[0])
    url = reverse("proposals:cosign-search", args=[joint.pk])
    page = client.get(url, {"q": "王芳"})
    assert page.status_code == 200
    assert page.text.count("同名 2 人") == 2
    for text in ("区中心医院副院长", "医药卫生界", "徐汇中学校长", "教育界"):
        assert text in page.text
    # By employer or sector too.
    assert "徐汇中学校长" in client.get(url, {"q": "徐汇中学"}).text
    assert "区中心医院副院长" not in client.get(url, {"q": "教育界"}).text
    assert "没有找到" in client.get(url, {"q": "不存在的人"}).text


def test_the_picker_lists_only_the_committees_other_members_not_yet_invited(
    client, joint, member, namesakes, huangpu
):
    SeatFactory(committee=huangpu, person__name="王芳芳")
    workflow.invite_cosigners(joint, seats=[namesakes[0]], by=member[0])
    client.force_login(member[0])
    page = client.get(reverse("proposals:cosign-search", args=[joint.pk]), {"q": "王芳"})
    assert "徐汇中学校长" in page.text
    assert "区中心医院副院长" not in page.text  # already invited
    assert "王芳芳" not in page.text  # another district's member


def test_the_picker_answers_only_the_lead_of_a_joint_draft(
    client, xuhui, session, category, member, cosigner
):
    individual = draft(xuhui, session, category, member)
    client.force_login(member[0])
    assert client.get(reverse("proposals:cosign-search", args=[individual.pk])).status_code == 404
    joint = draft(xuhui, session, category, member, kind="joint", title="联名提案")
    client.force_login(cosigner[0])
    assert client.get(reverse("proposals:cosign-search", args=[joint.pk])).status_code == 404
    client.logout()
    anonymous = client.get(reverse("proposals:cosign-search", args=[joint.pk]))
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_the_picker_search_costs_the_same_queries_for_one_or_many(client, xuhui, joint, member):
    client.force_login(member[0])
    url = reverse("proposals:cosign-search", args=[joint.pk])
    SeatFactory(committee=xuhui, person__name="赵一")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"q": "赵"}).text.count("邀请附议") == 1
    for _ in range(12):
        SeatFactory(committee=xuhui, person__name="赵二")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"q": "赵"}).text.count("邀请附议") == 13
    assert len(one) == len(many)


def test_without_script_the_page_searches_and_invites(client, joint, member, namesakes):
    client.force_login(member[0])
    page = client.get(reverse("proposals:detail", args=[joint.pk]), {"cosign_q": "徐汇中学"})
    assert "徐汇中学校长" in page.text and 'name="seat"' in page.text
    client.post(reverse("proposals:act", args=[joint.pk, "invite"]), {"seat": namesakes[1].pk})
    assert CoSigner.objects.get().seat == namesakes[1]


def test_an_invitee_reads_the_text_answers_on_its_page_and_finds_it_listed(
    client, joint, member, cosigner
):
    workflow.invite_cosigners(joint, seats=[cosigner[1]], by=member[0])
    client.force_login(cosigner[0])
    page = client.get(reverse("proposals:detail", args=[joint.pk]))
    assert page.status_code == 200
    assert "邀请您附议本提案" in page.text and joint.reason in page.text
    assert "邀请附议委员" not in page.text  # the picker is the lead's
    invitation = CoSigner.objects.get()
    answered = client.post(
        reverse("proposals:cosign-answer", args=[invitation.pk]), {"accept": "1", "back": "detail"}
    )
    assert answered.url == reverse("proposals:detail", args=[joint.pk])
    mine = client.get(reverse("proposals:mine"))
    assert list(mine.context["cosigned"]) == [joint]
    assert "我附议的提案" in mine.text


# --- The unit ---------------------------------------------------------------------------------


@pytest.fixture
def assigned(xuhui, session, category, member, cosigner, staff, unit):
    proposal = draft(xuhui, session, category, member, kind="joint")
    workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    workflow.answer_cosign(CoSigner.objects.get(), accept=True, by=cosigner[0])
    workflow.submit(proposal, by=member[0])
    filed(proposal, staff)
    other = HandlingUnitFactory(committee=xuhui, name="区教育局")
    lead, co = workflow.assign(
        proposal, units=[(unit, "lead"), (other, "co")], by=staff[Role.PROPOSAL_OFFICE]
    )
    return proposal, lead, co


def test_the_unit_reads_the_whole_proposal_its_proposer_and_the_other_units(
    client, assigned, unit_user, member
):
    _proposal, assignment, _co = assigned
    member[1].person.employer = "徐汇区某公司总经理"
    member[1].person.save()
    client.force_login(unit_user)
    page = client.get(reverse("proposals:unit-assignment", args=[assignment.pk]))
    for text in ("理由", "分析", "建议", "走访了五个社区卫生服务中心"):
        assert text in page.text
    assert "徐汇区某公司总经理" in page.text and "13800138000" in page.text
    assert "cosigner" in page.text  # the co-signer's name
    assert "区教育局（会办）" in page.text


def test_the_reply_form_warns_until_a_consultation_is_recorded(client, assigned, unit_user):
    """办前协商 (DOMAIN §3.3) is asked for, not enforced: the reply form warns until one is kept."""
    from django.utils import timezone

    _proposal, assignment, _co = assigned
    workflow.accept(assignment, by=unit_user)
    client.force_login(unit_user)
    url = reverse("proposals:unit-assignment", args=[assignment.pk])
    assert "尚未记录与提案人的办理协商" in client.get(url).text
    workflow.record_consultation(
        assignment,
        stage="before",
        held_on=timezone.localdate(),
        form="phone",
        participants="提案人",
        summary="商定办理思路",
        by=unit_user,
    )
    page = client.get(url).text
    assert "尚未记录与提案人的办理协商" not in page and "商定办理思路" in page


def test_the_proposers_phone_is_not_shown_once_the_unit_replied(client, assigned, unit_user):
    _proposal, assignment, co = assigned
    co_user = UserFactory(committee=None, handling_unit=co.unit, roles=[Role.HANDLING_UNIT])
    workflow.accept(co, by=co_user)
    workflow.send_opinion(co, text="同意主办单位意见", by=co_user)
    answered(assignment, unit_user)
    client.force_login(unit_user)
    page = client.get(reverse("proposals:unit-assignment", args=[assignment.pk]))
    assert "13800138000" not in page.text and "提案委办公室" in page.text


def test_the_workspace_lists_new_work_first_and_finished_years_apart(
    client, xuhui, category, member, staff, unit, unit_user
):
    old_session = PlenarySessionFactory(
        term__committee=xuhui, opens_on=date(2023, 1, 6), closes_on=date(2023, 1, 9)
    )
    this_session = PlenarySessionFactory(
        term=old_session.term,
        opens_on=date(timezone.localdate().year, 1, 6),
        closes_on=date(timezone.localdate().year, 1, 9),
    )
    office = staff[Role.PROPOSAL_OFFICE]

    def assigned_on(session, title, day):
        proposal = draft(xuhui, session, category, member, title=title)
        workflow.submit(proposal, by=member[0])
        filed(proposal, staff)
        return workflow.assign(proposal, units=[(unit, "lead")], by=office, on=day)[0]

    today = timezone.localdate()
    finished = assigned_on(old_session, "二〇二三年的旧提案", date(2023, 3, 1))
    answered(finished, unit_user, on=date(2023, 5, 1))
    assigned_on(this_session, "较早交办的提案", today - timedelta(days=20))
    assigned_on(this_session, "最新交办的提案", today - timedelta(days=1))
    client.force_login(unit_user)
    page = client.get(reverse("proposals:unit"))
    assert [a.proposal.title for a in page.context["page"]] == ["最新交办的提案", "较早交办的提案"]
    assert list(page.context["done"]) == [] and page.context["years"] == [2023]
    assert "二〇二三年的旧提案" not in page.text
    earlier = client.get(reverse("proposals:unit"), {"year": 2023})
    assert [a.proposal.title for a in earlier.context["done"]] == ["二〇二三年的旧提案"]


def test_the_workspace_and_my_proposals_cost_the_same_queries_for_one_or_many(
    client, xuhui, session, category, member, cosigner, staff, unit, unit_user
):
    office = staff[Role.PROPOSAL_OFFICE]

    def add(n):
        for index in range(n):
            proposal = draft(xuhui, session, category, member, kind="joint", title=f"提案{index}")
            workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
            workflow.answer_cosign(proposal.cosigners.get(), accept=True, by=cosigner[0])
            workflow.submit(proposal, by=member[0])
            filed(proposal, staff)
            workflow.assign(proposal, units=[(unit, "lead")], by=office)

    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(1)
    one = count(unit_user, reverse("proposals:unit")), count(cosigner[0], reverse("proposals:mine"))
    add(6)
    many = (
        count(unit_user, reverse("proposals:unit")),
        count(cosigner[0], reverse("proposals:mine")),
    )
    assert one == many


@pytest.mark.parametrize("value", ["²", "-1", "0", "99999", "1.5", "\x00", "abc", "1e9", "%"])
def test_hostile_parameters_on_the_new_pages_are_no_server_error(
    client, joint, member, unit_user, value
):
    client.force_login(unit_user)
    for name in ("year", "page", "done_page"):
        assert client.get(reverse("proposals:unit"), {name: value}).status_code == 200
    client.force_login(member[0])
    search = reverse("proposals:cosign-search", args=[joint.pk])
    assert client.get(search, {"q": value}).status_code == 200
    detail = reverse("proposals:detail", args=[joint.pk])
    assert client.get(detail, {"cosign_q": value}).status_code == 200
