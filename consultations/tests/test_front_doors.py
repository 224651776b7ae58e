"""Portal visibility (closed meetings for invitees only), the API (404 across districts, topic
actions, constant query counts) and the admin's one-click decisions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import workflow
from consultations.models import Invitation, Meeting, MeetingKind, Suggestion, Topic
from members.tests.factories import HandlingUnitFactory, SeatFactory, UserFactory


def _member(xuhui, name="member"):
    user = UserFactory(username=name, committee=xuhui, roles=["member"])
    return user, SeatFactory(committee=xuhui, person__user=user)


def test_closed_meetings_only_for_invitees(client, xuhui, consult_office):
    invited_user, invited_seat = _member(xuhui, "invited")
    other_user, _seat = _member(xuhui, "other")
    day = timezone.localdate() + timedelta(days=5)
    closed = Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.SUPERVISION,
        title="闭门监督会",
        held_on=day,
        is_closed=True,
    )
    open_meeting = Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.SALON, title="公开沙龙", held_on=day
    )
    workflow.invite(closed, seats=[invited_seat], by=consult_office)
    client.force_login(other_user)
    assert client.get(reverse("consultations:meeting", args=[closed.pk])).status_code == 404
    calendar = client.get(reverse("consultations:calendar")).text
    assert "公开沙龙" in calendar and "闭门监督会" not in calendar
    client.force_login(invited_user)
    assert client.get(reverse("consultations:meeting", args=[closed.pk])).status_code == 200
    assert "闭门监督会" in client.get(reverse("consultations:calendar")).text
    assert open_meeting.pk


def test_member_asks_for_leave_in_the_portal(client, xuhui, consult_office):
    user, seat = _member(xuhui)
    meeting = Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.BIMONTHLY,
        title="双月会",
        held_on=timezone.localdate() + timedelta(days=3),
    )
    invitation = workflow.invite(meeting, seats=[seat], by=consult_office)[0]
    client.force_login(user)
    client.post(reverse("consultations:leave", args=[invitation.pk]), {"reason": "出国访问"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.LEAVE_REQUESTED
    client.force_login(UserFactory(committee=xuhui, roles=["member"]))
    assert client.post(reverse("consultations:sign-in", args=[invitation.pk])).status_code == 404


def test_api_other_district_404_and_topic_actions(xuhui_api, xuhui, huangpu, plan):
    other = Meeting.objects.create(
        committee=huangpu, kind=MeetingKind.SALON, title="黄浦沙龙", held_on=date(2023, 5, 1)
    )
    assert xuhui_api.get(f"/api/v1/consultation-meetings/{other.pk}/").status_code == 404
    created = xuhui_api.post(
        "/api/v1/consultation-topics/",
        {
            "committee": xuhui.pk,
            "year": 2023,
            "title": "议题",
            "reason": "理由",
            "proposer_kind": "department",
            "proposer": "区发展改革委",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    topic = created.json()["id"]
    wrong = xuhui_api.post(
        f"/api/v1/consultation-topics/{topic}/confirm/",
        {"plan": plan.pk, "planned_month": 6},
        format="json",
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_state"
    assert (
        xuhui_api.post(f"/api/v1/consultation-topics/{topic}/shortlist/", {}, format="json").json()[
            "state"
        ]
        == "shortlisted"
    )
    done = xuhui_api.post(
        f"/api/v1/consultation-topics/{topic}/confirm/",
        {"plan": plan.pk, "planned_month": 6},
        format="json",
    )
    assert done.json()["state"] == "confirmed"
    cadence = xuhui_api.get(f"/api/v1/consultation-plans/{plan.pk}/cadence/").json()
    assert [w["gap"] for w in cadence] == [True, True, False, True, True, True]


def test_api_suggestion_response_and_figures(xuhui_api, xuhui, meeting):
    unit = HandlingUnitFactory(committee=xuhui)
    created = xuhui_api.post(
        "/api/v1/suggestions/",
        {"meeting": meeting.pk, "text": "增加家庭医生", "addressee": unit.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    sid = created.json()["id"]
    bad = xuhui_api.post(f"/api/v1/suggestions/{sid}/respond/", {"status": "maybe"}, format="json")
    assert bad.status_code == 400 and {"status", "responded_on"} <= set(bad.json()["fields"])
    ok = xuhui_api.post(
        f"/api/v1/suggestions/{sid}/respond/",
        {"status": "adopted", "response": "已采纳", "responded_on": "2023-08-01"},
        format="json",
    )
    assert ok.json()["status"] == "adopted"
    figures = xuhui_api.get(f"/api/v1/consultation-figures/?committee={xuhui.pk}&year=2023")
    assert figures.json()["adoption_rate"] == 100.0
    instruction = xuhui_api.post(
        "/api/v1/instructions/",
        {"suggestion": sid, "leader": "区长", "given_on": "2023-08-02", "text": "阅"},
        format="json",
    )
    assert instruction.status_code == 201, instruction.json()


def _meetings(committee, n):
    for i in range(n):
        Meeting.objects.create(
            committee=committee, kind=MeetingKind.SALON, title=f"会{i}", held_on=date(2023, 1, 1)
        )


def _suggestions(committee, n):
    meeting = Meeting.objects.create(
        committee=committee, kind=MeetingKind.SALON, title="会", held_on=date(2023, 1, 1)
    )
    unit = HandlingUnitFactory(committee=committee)
    for i in range(n):
        Suggestion.objects.create(meeting=meeting, text=f"建议{i}", addressee=unit)


def _topics(committee, n):
    for i in range(n):
        Topic.objects.create(
            committee=committee,
            year=2023,
            title=f"议题{i}",
            reason="r",
            proposer_kind="member",
            proposer="p",
        )


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/consultation-meetings/", _meetings),
        ("/api/v1/suggestions/", _suggestions),
        ("/api/v1/consultation-topics/", _topics),
    ],
)
def test_list_query_count_is_constant(xuhui_api, xuhui, url, make, assert_constant_list_queries):
    assert_constant_list_queries(xuhui_api, url, make, xuhui)


def test_admin_one_click_decisions(client, xuhui, consult_office, plan):
    topics = [
        workflow.propose_topic(
            committee=xuhui,
            year=2023,
            title=f"议题{i}",
            reason="r",
            proposer_kind="member",
            proposer="p",
            meeting_kind=MeetingKind.BIMONTHLY,
            by=consult_office,
        )
        for i in range(2)
    ]
    client.force_login(consult_office)
    url = reverse("admin:consultations_topic_changelist")
    ids = [t.pk for t in topics]
    client.post(url, {"action": "shortlist", "_selected_action": ids, "apply": "1", "reason": ""})
    assert set(Topic.objects.values_list("state", flat=True)) == {"shortlisted"}
    form = client.post(url, {"action": "confirm", "_selected_action": ids})
    assert form.status_code == 200 and "计划月份" in form.text
    client.post(
        url,
        {
            "action": "confirm",
            "_selected_action": ids[:1],
            "apply": "1",
            "plan": plan.pk,
            "planned_month": 6,
            "reason": "会商确定",
        },
    )
    assert Topic.objects.get(pk=ids[0]).state == "confirmed"
    client.post(
        url, {"action": "reject", "_selected_action": ids[1:], "apply": "1", "reason": "不符合"}
    )
    assert Topic.objects.get(pk=ids[1]).state == "rejected"
    export = client.post(url, {"action": "export_xlsx", "_selected_action": ids})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("days", "offered", "hint"), [(7, False, True), (0, True, False), (-7, False, False)]
)
def test_sign_in_is_offered_on_the_meetings_day_only(
    client, xuhui, consult_office, days, offered, hint
):
    user, seat = _member(xuhui)
    meeting = Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.BIMONTHLY,
        title="双月会",
        held_on=timezone.localdate() + timedelta(days=days),
    )
    invitation = workflow.invite(meeting, seats=[seat], by=consult_office)[0]
    client.force_login(user)
    page = client.get(reverse("consultations:meeting", args=[meeting.pk])).text
    sign_in = reverse("consultations:sign-in", args=[invitation.pk])
    assert (sign_in in page) is offered
    assert ("签到于会议当天" in page) is hint
