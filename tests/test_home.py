"""A member's home page: their to-dos across the apps and their year at a glance, in the same
number of queries however many items wait."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import workflow as consultations
from consultations.models import Meeting, MeetingKind
from core.roles import Role
from members.tests.factories import PlenarySessionFactory, SeatFactory, UserFactory
from proposals import workflow as proposals
from proposals.models import Category
from proposals.tests import helpers


@pytest.fixture
def member(xuhui):
    user = UserFactory(username="home_member", committee=xuhui, roles=[Role.MEMBER])
    return user, SeatFactory(committee=xuhui, person__user=user, person__name="主页委员")


@pytest.fixture
def session(xuhui):
    return PlenarySessionFactory(term__committee=xuhui)


def _draft(xuhui, session, seat, user, title, **extra):
    category, _ = Category.objects.get_or_create(committee=xuhui, name="社会建设")
    return helpers.draft(xuhui, session, category, (user, seat), title=title, **extra)


def test_the_home_page_lists_a_members_to_dos(client, xuhui, member, session, xuhui_office):
    user, seat = member
    _draft(xuhui, session, seat, user, "我的草稿")
    lead_user = UserFactory(committee=xuhui, roles=[Role.MEMBER])
    lead_seat = SeatFactory(committee=xuhui, person__user=lead_user, person__name="领衔人")
    joint = _draft(xuhui, session, lead_seat, lead_user, "邀我附议的提案", kind="joint")
    proposals.invite_cosigners(joint, seats=[seat], by=lead_user)
    consult = UserFactory(committee=xuhui, is_staff=True, roles=[Role.CONSULTATION_OFFICE])
    meeting = Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.BIMONTHLY,
        title="下周的双月协商会",
        held_on=timezone.localdate() + timedelta(days=7),
    )
    consultations.invite(meeting, seats=[seat], by=consult)
    client.force_login(user)
    page = client.get(reverse("home"))
    counts = page.context["todo_counts"]
    assert counts == {"drafts": 1, "requests": 1, "to_rate": 0, "meetings": 1}
    for text in ("我的草稿", "领衔人 邀请您附议", "邀我附议的提案", "下周的双月协商会"):
        assert text in page.text
    assert page.context["glance"]["submitted"] == 0 and "年度概览" in page.text


def test_staff_see_no_member_panel(client, xuhui_office):
    client.force_login(xuhui_office)
    page = client.get(reverse("home"))
    assert page.status_code == 200 and "待办事项" not in page.text


def test_the_home_page_costs_the_same_queries_for_one_or_many_to_dos(
    client, xuhui, member, session
):
    user, seat = member
    client.force_login(user)
    _draft(xuhui, session, seat, user, "草稿 0")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    for n in range(1, 8):
        _draft(xuhui, session, seat, user, f"草稿 {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home"))
    assert page.context["todo_counts"]["drafts"] == 8
    assert len(one) == len(many)
