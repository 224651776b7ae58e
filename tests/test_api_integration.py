"""What an integrator needs besides the records (issue 14): streamed xlsx / CSV exports scoped
like the lists, reference data in a constant number of queries, the notifications of the
caller, and rate limits (429 with Retry-After and the RateLimit-* headers)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.roles import Role
from members.models import Party, Sector, SpecialCommittee
from members.tests.factories import (
    HandlingUnitFactory,
    PlenarySessionFactory,
    SeatFactory,
    UserFactory,
)
from members.workflow import issue_personal_token
from notifications.models import Notification, Reminder
from proposals.models import Category
from proposals.tests.helpers import submitted
from yearbook.workflow import compute


@pytest.fixture
def proposals_of(db):
    def make(committee, n, prefix):
        session = PlenarySessionFactory(term__committee=committee)
        category = Category.objects.create(committee=committee, name=f"{prefix}类别")
        user = UserFactory(username=f"{prefix}_lead", committee=committee, roles=[Role.MEMBER])
        seat = SeatFactory(committee=committee, person__user=user)
        return [
            submitted(committee, session, category, (user, seat), title=f"{prefix}提案{i}")
            for i in range(n)
        ]

    return make


def _sheet_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Exports ------------------------------------------------------------------------------------


def test_proposal_exports_are_scoped_and_open(xuhui_api, xuhui, huangpu, proposals_of):
    ours = proposals_of(xuhui, 3, "徐汇")
    proposals_of(huangpu, 2, "黄浦")
    sheet = xuhui_api.get("/api/v1/exports/proposals.xlsx")
    assert sheet.status_code == 200 and sheet.streaming
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(sheet)
    assert rows[0][:3] == ("编号", "案号", "案由")
    assert sorted(row[0] for row in rows[1:]) == sorted(p.pk for p in ours)
    table = _csv_rows(xuhui_api.get("/api/v1/exports/proposals.csv"))
    assert table[0][0] == "编号" and {row[2] for row in table[1:]} == {p.title for p in ours}
    # The list's filters apply: only the withdrawn ones (none), an unknown one is refused.
    assert len(_csv_rows(xuhui_api.get("/api/v1/exports/proposals.csv?state=withdrawn"))) == 1
    bad = xuhui_api.get("/api/v1/exports/proposals.csv?colour=red")
    assert bad.status_code == 400 and "colour" in bad.json()["fields"]


def test_member_and_meeting_exports(xuhui_api, xuhui, huangpu):
    SeatFactory(committee=xuhui, person__name="徐汇委员", person__phone="13800000000")
    SeatFactory(committee=huangpu, person__name="黄浦委员")
    rows = _sheet_rows(xuhui_api.get("/api/v1/exports/members.xlsx"))
    assert [row[0] for row in rows[1:]] == ["徐汇委员"]
    assert "13800000000" not in str(rows)  # a district token never sees personal data
    meetings = _csv_rows(xuhui_api.get("/api/v1/exports/meetings.csv"))
    assert meetings == [["编号", "日期", "会议", "类型", "状态", "地点", "发言", "意见建议"]]


def test_statistics_export(xuhui_api, xuhui, huangpu):
    year = timezone.localdate().year
    compute(xuhui, year)
    compute(huangpu, year)
    book = xuhui_api.get(f"/api/v1/exports/statistics.xlsx?committee={xuhui.pk}&year={year}")
    assert book.status_code == 200
    assert load_workbook(io.BytesIO(book.content)).sheetnames  # one sheet per area
    table = _csv_rows(
        xuhui_api.get(f"/api/v1/exports/statistics.csv?committee={xuhui.pk}&year={year}")
    )
    assert table[0] == ["领域", "指标", "数值", "单位"] and len(table) > 5
    other = xuhui_api.get(f"/api/v1/exports/statistics.csv?committee={huangpu.pk}&year={year}")
    assert other.status_code == 404
    assert xuhui_api.get("/api/v1/exports/statistics.csv?committee=x").status_code == 400


def test_exports_need_the_staff_permission(xuhui):
    member = UserFactory(username="ex_member", committee=xuhui, roles=[Role.MEMBER])
    _token, key = issue_personal_token(
        owner=member, name="导出", expires_at=timezone.now() + timedelta(days=1), by=member
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for kind in ("proposals", "assignments", "replies", "members", "meetings"):
        assert api.get(f"/api/v1/exports/{kind}.csv").status_code == 403, kind
    assert APIClient().get("/api/v1/exports/proposals.csv").status_code == 401


def test_csv_cells_are_not_formulas(xuhui_api, xuhui):
    SeatFactory(committee=xuhui, person__name="=HYPERLINK(1)")
    table = _csv_rows(xuhui_api.get("/api/v1/exports/members.csv"))
    assert table[1][0] == "'=HYPERLINK(1)"


# --- Reference data -----------------------------------------------------------------------------


def _reference_rows(committee, n: int) -> None:
    start = Category.objects.count()
    for i in range(start, start + n):
        Category.objects.create(committee=committee, name=f"类别{i}")
        Sector.objects.create(committee=committee, name=f"界别{i}")
        Party.objects.create(committee=committee, name=f"党派{i}")
        SpecialCommittee.objects.create(committee=committee, name=f"专委会{i}")
        HandlingUnitFactory(committee=committee, name=f"单位{i}")


def test_reference_data_in_a_constant_number_of_queries(xuhui_api, xuhui, huangpu):
    _reference_rows(huangpu, 2)
    xuhui_api.get("/api/v1/reference/")  # the token's first use stamps its last use
    counts = []
    for n in (1, 20):
        _reference_rows(xuhui, n)
        with CaptureQueriesContext(connection) as queries:
            body = xuhui_api.get("/api/v1/reference/").json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(body["categories"]) == 21 and len(body["handling_units"]) == 21
    assert {row["committee"] for key in ("sectors", "parties") for row in body[key]} == {xuhui.pk}
    proposal_states = {row["value"]: row["label"] for row in body["states"]["proposals"]["state"]}
    assert proposal_states["withdrawn"] == "已撤案"
    kinds = {row["value"]: row for row in body["reminder_kinds"]}
    assert kinds["consultations.meeting_tomorrow"]["label"] == "明日会议"
    one = xuhui_api.get("/api/v1/reference/categories/", {"committee": huangpu.pk})
    assert one.status_code == 200 and one.json() == []


def test_reference_for_members_and_its_filters(xuhui, xuhui_api):
    _reference_rows(xuhui, 1)
    member = UserFactory(username="ref_member", committee=xuhui, roles=[Role.MEMBER])
    api = APIClient()
    api.force_authenticate(member)
    assert [row["name"] for row in api.get("/api/v1/reference/categories/").json()] == ["类别0"]
    later = xuhui_api.get(
        "/api/v1/reference/sectors/", {"updated_after": timezone.now().isoformat()}
    )
    assert later.json() == []
    assert xuhui_api.get("/api/v1/reference/", {"colour": "red"}).status_code == 400
    assert APIClient().get("/api/v1/reference/").status_code == 401


# --- Notifications ------------------------------------------------------------------------------


def _notify(user, committee, n: int) -> list[Notification]:
    made = []
    for i in range(n):
        reminder = Reminder.objects.create(
            kind="consultations.meeting_tomorrow",
            content_type=ContentType.objects.get_for_model(committee),
            object_id=committee.pk,
            threshold=f"{user.pk}-{i}-{Reminder.objects.count()}",
            committee=committee,
            params={"title": f"会议{i}", "held_on": "2026-01-01", "venue": "", "time": ""},
        )
        made.append(Notification.objects.create(reminder=reminder, recipient=user))
    return made


def test_notifications_of_the_caller(xuhui):
    member = UserFactory(username="nt_member", committee=xuhui, roles=[Role.MEMBER])
    other = UserFactory(username="nt_other", committee=xuhui, roles=[Role.MEMBER])
    mine = _notify(member, xuhui, 3)
    theirs = _notify(other, xuhui, 1)
    _token, key = issue_personal_token(
        owner=member, name="通知", expires_at=timezone.now() + timedelta(days=1), by=member
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert {row["id"] for row in listed} == {n.pk for n in mine}
    assert listed[0]["kind_label"] == "明日会议" and listed[0]["read"] is False
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    read = api.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"].__len__() == 2
    assert api.post(f"/api/v1/notifications/{theirs[0].pk}/read/").status_code == 404
    assert api.get(f"/api/v1/notifications/{theirs[0].pk}/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    theirs[0].refresh_from_db()
    assert theirs[0].read_at is None


def test_notification_list_query_count_is_constant(xuhui, list_queries):
    member = UserFactory(username="nq_member", committee=xuhui, roles=[Role.MEMBER])
    api = APIClient()
    api.force_authenticate(member)
    _notify(member, xuhui, 1)
    one, _body = list_queries(api, "/api/v1/notifications/?page_size=100")
    _notify(member, xuhui, 30)
    many, body = list_queries(api, "/api/v1/notifications/?page_size=100")
    assert one == many and len(body["results"]) == 31


# --- Rate limits --------------------------------------------------------------------------------


def test_rate_limits_per_token_and_per_user(settings, xuhui_api, xuhui):
    settings.API_RATES = {"token": "3/1m", "user": "2/1m", "anon": "100/1m"}
    answers = [xuhui_api.get("/api/v1/committees/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"
    refused = xuhui_api.get("/api/v1/committees/")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    # The sliding window: at most into the next minute, until this one's share has shrunk.
    assert 1 <= int(refused["Retry-After"]) <= 60 + 20
    # Another caller has a window of their own: a signed-in user, at the user rate.
    staff = APIClient()
    staff.force_login(UserFactory(username="rl_staff", committee=xuhui, roles=[Role.MEMBER]))
    assert [staff.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_window_slides_and_a_refused_request_uses_nothing(settings, xuhui_api, xuhui_token):
    """Two fixed windows in Redis: the previous one weighs by its overlap with the sliding
    window (a full day before refuses at once), and a refused request is not counted."""
    import time

    from core import redis_client

    settings.API_RATES = {"token": "2/1d", "user": "2/1m", "anon": "100/1m"}
    day = int(time.time() // 86400)
    windows = [
        redis_client.key("api-rate", "token", xuhui_token[0].pk, 86400, d) for d in (day, day - 1)
    ]
    store = redis_client.client()
    store.set(windows[1], 10**6, ex=60)
    refused = xuhui_api.get("/api/v1/me/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    store.delete(windows[1])
    answers = [xuhui_api.get("/api/v1/me/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 429, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["1", "0", "0", "0"]
    assert int(store.get(windows[0])) == 2  # the refused requests used nothing
    store.delete(windows[0])


def test_seconds_until_room():
    from core.throttling import _until_room

    # A minute window half gone; the previous one held 3 of 3, this one 2: its share must
    # shrink by one, which takes the rest of this window.
    assert _until_room(3, 60, 30, 3, 2) == 30
    # This window alone is full: into the next one, until this one's share is down to 2 of 3.
    assert _until_room(3, 60, 30, 0, 3) == 30 + 20
