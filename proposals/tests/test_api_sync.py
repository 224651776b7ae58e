"""Mirroring proposals through the API (issue 14): a mirror kept by `updated_after` pages and the
tombstones equals a full read after creations, transitions, withdrawals, returns to draft and
deletions — for a district office's token and for a member's personal token; ETags answer 304;
date filters and unknown parameters."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from core.roles import Role
from members.workflow import issue_personal_token
from proposals import workflow
from proposals.models import Review
from proposals.tests.helpers import draft, filed, submitted


def _pages(api, url, params):
    """Every row of a list, following the `next` cursors (3 a page, to cross pages)."""
    rows, params = [], {"page_size": 3, **params}
    while url:
        answer = api.get(url, params)
        assert answer.status_code == 200, answer.content
        rows += answer.json()["results"]
        url, params = answer.json()["next"], {}
    return rows


class Mirror:
    """What an integrator keeps: the rows by id and the newest `updated_at` seen of each list."""

    def __init__(self, api, resource: str):
        self.api, self.resource = api, resource
        self.rows: dict[int, dict] = {}
        self.since: str | None = None
        self.deletions_since: str | None = None

    def sync(self) -> None:
        changed = _pages(
            self.api,
            f"/api/v1/{self.resource}/",
            {"updated_after": self.since} if self.since else {},
        )
        for row in changed:
            self.rows[row["id"]] = row
        self.since = max([self.since or "", *(row["updated_at"] for row in changed)]) or None
        params = {"model": "proposals.proposal"}
        if self.deletions_since:
            params["updated_after"] = self.deletions_since
        gone = _pages(self.api, "/api/v1/deletions/", params)
        for tombstone in gone:
            kept = self.rows.get(tombstone["object_id"])
            if kept is not None and kept["updated_at"] < tombstone["updated_at"]:
                del self.rows[tombstone["object_id"]]
        self.deletions_since = (
            max([self.deletions_since or "", *(t["updated_at"] for t in gone)]) or None
        )

    def full_read(self) -> dict[int, dict]:
        return {row["id"]: row for row in _pages(self.api, f"/api/v1/{self.resource}/", {})}


def test_a_district_mirror_equals_a_full_read(
    xuhui_api, xuhui, session, category, member, staff, unit
):
    mirror = Mirror(xuhui_api, "proposals")
    mirror.sync()
    assert mirror.rows == {}
    first = [submitted(xuhui, session, category, member, title=f"提案{i}") for i in range(5)]
    mirror.sync()
    assert mirror.rows == mirror.full_read() and len(mirror.rows) == 5

    office = staff[Role.PROPOSAL_OFFICE]
    filed(first[0], staff)
    workflow.assign(first[0], units=[(unit, "lead")], by=office)
    workflow.withdraw(first[1], by=member[0], reason="撤回")
    workflow.first_review(first[2], decision=Review.Decision.RETURN, opinion="补充", by=office)
    later = submitted(xuhui, session, category, member, title="新提案")
    mirror.sync()
    assert mirror.rows == mirror.full_read()
    assert first[2].pk not in mirror.rows  # back in its author's drafts: staff no longer see it
    assert mirror.rows[first[1].pk]["state"] == "withdrawn"  # a state, not a vanished row
    assert mirror.rows[first[0].pk]["state"] == "handling"
    assert later.pk in mirror.rows

    workflow.submit(first[2], by=member[0])  # resubmitted: back, newer than its tombstone
    mirror.sync()
    assert mirror.rows == mirror.full_read() and first[2].pk in mirror.rows
    before = dict(mirror.rows)
    mirror.sync()  # nothing changed: nothing new
    assert mirror.rows == before


def test_a_members_personal_mirror_sees_drafts_and_their_deletion(
    xuhui, session, category, member, staff
):
    user, _seat = member
    _token, key = issue_personal_token(
        owner=user, name="手机", expires_at=timezone.now() + timedelta(days=30), by=user
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    mirror = Mirror(api, "proposals")
    drafts = [draft(xuhui, session, category, member, title=f"草稿{i}") for i in range(4)]
    mirror.sync()
    assert set(mirror.rows) == {d.pk for d in drafts}
    workflow.delete_draft(drafts[0], by=user)
    workflow.update_draft(drafts[1], by=user, title="改过的标题")
    workflow.submit(drafts[2], by=user)
    workflow.withdraw(drafts[3], by=user, reason="不再提交")
    mirror.sync()
    assert mirror.rows == mirror.full_read()
    assert drafts[0].pk not in mirror.rows
    assert mirror.rows[drafts[1].pk]["title"] == "改过的标题"


def test_updated_after_orders_by_change_and_is_strict(xuhui_api, xuhui, session, category, member):
    a = submitted(xuhui, session, category, member, title="甲")
    b = submitted(xuhui, session, category, member, title="乙")
    workflow.withdraw(a, by=member[0], reason="撤回")
    rows = xuhui_api.get("/api/v1/proposals/", {"updated_after": "2000-01-01"}).json()["results"]
    assert [row["id"] for row in rows] == [b.pk, a.pk]
    assert xuhui_api.get("/api/v1/proposals/", {"updated_after": rows[0]["updated_at"]}).json()[
        "results"
    ] == [rows[1]]
    for bad in ("yesterday", "2024-13-01"):
        answer = xuhui_api.get("/api/v1/proposals/", {"updated_after": bad})
        assert answer.status_code == 400 and "updated_after" in answer.json()["fields"]
    unknown = xuhui_api.get("/api/v1/proposals/", {"submited_after": "2024-01-01"})
    assert unknown.status_code == 400 and "submited_after" in unknown.json()["fields"]


def test_date_filters(xuhui_api, xuhui, session, category, member, staff):
    today = timezone.localdate()
    one = filed(submitted(xuhui, session, category, member, title="立案的"), staff)
    submitted(xuhui, session, category, member, title="未立案")

    def ids(**params):
        return {row["id"] for row in xuhui_api.get("/api/v1/proposals/", params).json()["results"]}

    assert len(ids(submitted_after=today.isoformat())) == 2
    assert ids(submitted_before=(today - timedelta(days=1)).isoformat()) == set()
    assert ids(filed_after=today.isoformat()) == {one.pk}
    bad = xuhui_api.get("/api/v1/proposals/", {"filed_after": "soon"})
    assert bad.status_code == 400 and "filed_after" in bad.json()["fields"]


def test_detail_etag_answers_304_until_the_record_changes(
    xuhui_api, xuhui, session, category, member
):
    proposal = submitted(xuhui, session, category, member)
    url = f"/api/v1/proposals/{proposal.pk}/"
    first = xuhui_api.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert "Authorization" in first["Vary"]
    same = xuhui_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b""
    workflow.withdraw(proposal, by=member[0], reason="撤回")
    changed = xuhui_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["state"] == "withdrawn"
