"""The proposals API: drafts by a district office, transitions as actions answering 400/403/409,
the history, filters, 404 across districts and constant query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from members.tests.factories import UserFactory
from proposals import workflow
from proposals.models import Assignment, Proposal
from proposals.tests.helpers import filed, submitted


def test_district_office_enters_and_submits_a_draft(xuhui_api, xuhui, session, category, member):
    seat = member[1]
    created = xuhui_api.post(
        "/api/v1/proposals/",
        {
            "committee": xuhui.pk,
            "session": session.pk,
            "category": category.pk,
            "lead": seat.pk,
            "title": "关于加强社区养老服务的建议",
            "reason": "老龄化",
            "suggestions": "增设日间照料",
            "research_basis": "走访十个社区",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pid = created.json()["id"]
    changed = xuhui_api.patch(f"/api/v1/proposals/{pid}/", {"analysis": "现状分析"}, format="json")
    assert changed.status_code == 200 and changed.json()["analysis"] == "现状分析"
    done = xuhui_api.post(f"/api/v1/proposals/{pid}/submit/")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    again = xuhui_api.post(f"/api/v1/proposals/{pid}/submit/")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"
    refused = xuhui_api.post(
        f"/api/v1/proposals/{pid}/first-review/", {"decision": "pass"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    bad = xuhui_api.post(
        f"/api/v1/proposals/{pid}/first-review/", {"decision": "maybe"}, format="json"
    )
    assert bad.status_code == 400 and "decision" in bad.json()["fields"]
    history = xuhui_api.get(f"/api/v1/proposals/{pid}/history/").json()
    assert [(h["from_state"], h["to_state"]) for h in history] == [("draft", "submitted")]


def test_office_reviews_through_the_api(api_client, xuhui, session, category, member, staff):
    proposal = submitted(xuhui, session, category, member)
    api_client.force_login(staff[Role.PROPOSAL_OFFICE])
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/first-review/",
        {"decision": "return", "opinion": ""},
        format="json",
    )
    assert response.status_code == 400 and "opinion" in response.json()["fields"]
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/first-review/",
        {"decision": "pass", "opinion": "符合要求"},
        format="json",
    )
    assert response.json()["state"] == "second_review"


def test_other_district_answers_404(api_client, huangpu, xuhui, session, category, member, staff):
    proposal = submitted(xuhui, session, category, member)
    api_client.force_login(UserFactory(committee=huangpu, roles=[Role.PROPOSAL_OFFICE]))
    assert api_client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert (
        api_client.post(
            f"/api/v1/proposals/{proposal.pk}/first-review/", {"decision": "pass"}, format="json"
        ).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_drafts_stay_private_and_members_see_their_own(
    api_client, xuhui, session, category, member, cosigner, staff
):
    proposal = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=category,
        lead=member[1],
        by=member[0],
        title="草稿",
    )
    api_client.force_login(staff[Role.PROPOSAL_OFFICE])
    assert api_client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    api_client.force_login(member[0])
    assert api_client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    api_client.force_login(cosigner[0])
    assert api_client.get("/api/v1/proposals/").json()["results"] == []


def test_filters_overdue_and_key(xuhui_api, xuhui, session, category, member, staff, unit):
    late = filed(submitted(xuhui, session, category, member, title="逾期"), staff)
    on_time = filed(submitted(xuhui, session, category, member, title="按期"), staff)
    workflow.assign(
        late,
        units=[(unit, "lead")],
        by=staff[Role.PROPOSAL_OFFICE],
        on=timezone.localdate() - timedelta(days=120),
    )
    workflow.assign(on_time, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE])
    rows = xuhui_api.get("/api/v1/proposals/?overdue=true").json()["results"]
    assert [row["title"] for row in rows] == ["逾期"]
    assert rows[0]["overdue"] is True
    # The filters and form fields are shared between requests (core.rest.FilterSet): each
    # request's method filter is its own filter set's, and one request's error is not another's.
    for _ in range(2):
        rows = xuhui_api.get("/api/v1/proposals/?overdue=false").json()["results"]
        assert [row["title"] for row in rows] == ["按期"]
        bad = xuhui_api.get("/api/v1/proposals/?session=abc&category=999999")
        assert bad.status_code == 400 and set(bad.json()["fields"]) == {"session", "category"}
        assert xuhui_api.get(f"/api/v1/proposals/?session={session.pk}").status_code == 200
    by_unit = xuhui_api.get(f"/api/v1/proposals/?unit={unit.pk}&state=handling").json()
    assert len(by_unit["results"]) == 2
    assert Assignment.objects.count() == 2


def test_list_query_count_is_constant(
    xuhui_api, xuhui, session, category, member, staff, list_queries
):
    xuhui_api.get("/api/v1/proposals/")
    submitted(xuhui, session, category, member, title="一")
    one, body_one = list_queries(xuhui_api, "/api/v1/proposals/?page_size=100")
    for i in range(49):
        submitted(xuhui, session, category, member, title=f"提案{i}")
    fifty, body_fifty = list_queries(xuhui_api, "/api/v1/proposals/?page_size=100")
    assert (len(body_one["results"]), len(body_fifty["results"])) == (1, 50)
    assert one == fifty
    assert Proposal.objects.count() == 50


def test_attachments_are_checked(api_client, xuhui, session, category, member, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proposals.models import ATTACHMENT_MAX_BYTES, Attachment

    settings.MEDIA_ROOT = tmp_path
    proposal = workflow.create_draft(
        committee=xuhui,
        session=session,
        category=category,
        lead=member[1],
        by=member[0],
        title="带附件的提案",
    )
    api_client.force_login(member[0])
    url = f"/api/v1/proposals/{proposal.pk}/attachments/"
    ok = api_client.post(
        url, {"file": SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 ...")}, format="multipart"
    )
    assert ok.status_code == 201 and ok.json()["attachments"][0]["name"] == "调研报告.pdf"
    bad = api_client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["fields"]
    big = SimpleUploadedFile("big.pdf", b"x" * (ATTACHMENT_MAX_BYTES + 1))
    too_big = api_client.post(url, {"file": big}, format="multipart")
    assert too_big.status_code == 400 and "20 MB" in too_big.json()["message"]
    assert Attachment.objects.count() == 1
    assert (tmp_path / Attachment.objects.get().file.name).exists()


def test_only_never_submitted_drafts_can_be_deleted(xuhui_api, xuhui, session, category, member):
    created = xuhui_api.post(
        "/api/v1/proposals/",
        {
            "committee": xuhui.pk,
            "session": session.pk,
            "category": category.pk,
            "lead": member[1].pk,
            "title": "草稿",
            "reason": "r",
            "suggestions": "s",
            "research_basis": "b",
        },
        format="json",
    ).json()
    kept = submitted(xuhui, session, category, member, title="已提交")
    assert xuhui_api.delete(f"/api/v1/proposals/{created['id']}/").status_code == 204
    assert xuhui_api.delete(f"/api/v1/proposals/{kept.pk}/").status_code == 403  # not theirs
    assert Proposal.objects.filter(pk=kept.pk).exists()


def test_list_rows_read_as_values_show_what_the_serializer_shows(
    xuhui_api, xuhui, session, category, member, staff, unit
):
    """The list reads `.values()` rows; each row says exactly what the serializer says of the
    proposal itself (ids, labels, Beijing times, the lead's name, the overdue flag)."""
    from proposals.api import ProposalSerializer
    from proposals.selectors import proposals_for

    late = filed(submitted(xuhui, session, category, member, title="逾期"), staff)
    workflow.assign(
        late,
        units=[(unit, "lead")],
        by=staff[Role.PROPOSAL_OFFICE],
        on=timezone.localdate() - timedelta(days=120),
    )
    submitted(xuhui, session, category, member, title="刚提交")
    rows = xuhui_api.get("/api/v1/proposals/").json()["results"]
    office = staff[Role.PROPOSAL_OFFICE]
    expected = [ProposalSerializer(proposals_for(office).get(pk=row["id"])).data for row in rows]
    assert rows == [dict(e) for e in expected]
    assert [(r["title"], r["overdue"], r["lead_name"]) for r in rows] == [
        ("刚提交", False, member[1].person.name),
        ("逾期", True, member[1].person.name),
    ]
    assert rows[0]["submitted_at"].endswith("+08:00")


def test_assignment_queries_sort_by_the_proposal_column(xuhui, session, category, member):
    """An assignment's default order is its proposal's id, not the proposal's own order: that
    joined four tables to every query of assignments (prefetches, the reminder scan)."""
    sql = str(Assignment.objects.filter(proposal=1).query)
    assert "members_committee" not in sql and "JOIN" not in sql


def test_detail_reads_no_personal_data_of_cosigners(
    xuhui_api, xuhui, session, category, member, cosigner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.tests.helpers import draft

    proposal = draft(xuhui, session, category, member, kind=Proposal.Kind.JOINT)
    (invited,) = workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    workflow.answer_cosign(invited, accept=True, by=cosigner[0])
    workflow.submit(proposal, by=member[0])
    with CaptureQueriesContext(connection) as queries:
        body = xuhui_api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert [c["name"] for c in body["cosigners"]] == [cosigner[1].person.name]
    read = " ".join(q["sql"] for q in queries)
    assert '"members_person"."phone"' not in read and '"members_person"."id_number"' not in read


def test_a_service_account_sees_its_own_drafts_only(
    xuhui_api, xuhui, xuhui_token, session, category, member
):
    """A district office's service account leads and co-signs nothing: its own drafts are those
    it wrote (the API's scoping skips the member's clauses for it)."""
    from proposals.tests.helpers import draft

    draft(xuhui, session, category, member, title="委员自己的草稿")
    written = xuhui_api.post(
        "/api/v1/proposals/",
        {
            "committee": xuhui.pk,
            "session": session.pk,
            "category": category.pk,
            "lead": member[1].pk,
            "title": "办公室录入的草稿",
        },
        format="json",
    )
    assert written.status_code == 201, written.json()
    titles = [row["title"] for row in xuhui_api.get("/api/v1/proposals/").json()["results"]]
    assert titles == ["办公室录入的草稿"]
    token = xuhui_token[0]
    assert token.user.is_service_account
    assert not type(token.user).objects.get(pk=token.user.pk).is_service_account


def _same_document(floor, ours):
    """Equal up to how each writes a date-time (the floor in UTC to the millisecond, the API in
    Beijing time to the microsecond)."""
    if isinstance(ours, dict):
        assert isinstance(floor, dict) and set(floor) == set(ours), set(floor) ^ set(ours)
        for key in ours:
            _same_document(floor[key], ours[key])
    elif isinstance(ours, list):
        assert isinstance(floor, list) and len(floor) == len(ours)
        for mine, theirs in zip(floor, ours, strict=True):
            _same_document(mine, theirs)
    elif isinstance(ours, str) and "T" in ours and ours[:4].isdigit():
        from datetime import datetime

        gap = datetime.fromisoformat(floor) - datetime.fromisoformat(ours)
        assert abs(gap) < timedelta(milliseconds=1)
    else:
        assert floor == ours


@pytest.fixture
def every_part(
    xuhui, session, category, member, cosigner, staff, unit, unit_user, settings, tmp_path
):
    """A proposal with one of each part the detail shows: a co-signer, an attachment, an
    assignment replied to, rated and consulted on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proposals.tests.helpers import answered, draft

    settings.MEDIA_ROOT = tmp_path
    proposal = draft(xuhui, session, category, member, kind=Proposal.Kind.JOINT)
    (invited,) = workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    workflow.answer_cosign(invited, accept=True, by=cosigner[0])
    workflow.attach(proposal, upload=SimpleUploadedFile("调研.pdf", b"%PDF-1.4 ..."), by=member[0])
    workflow.submit(proposal, by=member[0])
    filed(proposal, staff)
    (assignment,) = workflow.assign(
        proposal,
        units=[(unit, "lead")],
        by=staff[Role.PROPOSAL_OFFICE],
        on=timezone.localdate() - timedelta(days=10),
    )
    answer = answered(assignment, unit_user)
    workflow.record_consultation(
        assignment,
        stage="before",
        held_on=timezone.localdate(),
        form="meeting",
        participants="提案人",
        summary="当面沟通",
        by=unit_user,
    )
    workflow.give_feedback(answer, rating="satisfied", by=member[0])
    return proposal


def test_the_bench_floors_return_the_api_documents(xuhui_api, xuhui, every_part):
    """The bench compares the API with bare views (bench.proposals_urls); a floor that left out
    a part of the document would flatter nothing but the floor."""
    import json

    from django.test import RequestFactory

    from bench.proposals_urls import floor_detail, floor_list

    proposal = every_part
    ours = xuhui_api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert ours["cosigners"] and ours["attachments"]
    assert ours["assignments"][0]["replies"] and ours["assignments"][0]["consultations"]
    floor = json.loads(floor_detail(RequestFactory().get("/"), proposal.pk).content)
    _same_document(floor, ours)

    state = ours["state"]
    ours = xuhui_api.get(f"/api/v1/proposals/?committee={xuhui.pk}&state={state}").json()
    request = RequestFactory().get("/", {"committee": xuhui.pk, "state": state})
    _same_document(json.loads(floor_list(request).content)["results"], ours["results"])


def test_the_detail_flags_overdue_from_its_assignments_by_the_database_rule(
    xuhui_api, xuhui, session, category, member
):
    """The detail reads the flag off its assignments (is_overdue), the list and the filter ask
    the database (overdue_assignments): for every status and a deadline passed, due today or
    ahead, both say the same."""
    from proposals.selectors import is_overdue, overdue_assignments
    from proposals.tests.factories import AssignmentFactory

    today = timezone.localdate()
    proposal = submitted(xuhui, session, category, member)
    made = [
        AssignmentFactory(proposal=proposal, status=status, due_on=today + timedelta(days=days))
        for status in Assignment.Status.values
        for days in (-1, 0, 1)
    ]
    late = set(overdue_assignments().filter(proposal=proposal).values_list("pk", flat=True))
    assert late and {a.pk for a in made if is_overdue(a.status, a.due_on)} == late

    Assignment.objects.filter(pk__in=late).update(due_on=today)
    assert xuhui_api.get(f"/api/v1/proposals/{proposal.pk}/").json()["overdue"] is False
    Assignment.objects.filter(pk=min(late)).update(due_on=today - timedelta(days=1))
    assert xuhui_api.get(f"/api/v1/proposals/{proposal.pk}/").json()["overdue"] is True


def test_the_detail_reads_its_parts_in_the_same_queries_however_many(xuhui_api, every_part, member):
    """Each part in one query, narrowed to the columns shown: a column left unread would be
    fetched row by row when the serializer asked for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.models import Feedback, HandlingConsultation
    from proposals.tests.factories import AssignmentFactory, ReplyFactory

    url = f"/api/v1/proposals/{every_part.pk}/"

    def queries() -> int:
        xuhui_api.get(url)
        with CaptureQueriesContext(connection) as captured:
            body = xuhui_api.get(url).json()
        assert all(a["replies"] and a["consultations"] for a in body["assignments"])
        return len(captured)

    once = queries()
    for _ in range(3):
        answer = ReplyFactory(
            assignment=AssignmentFactory(proposal=every_part, status=Assignment.Status.REPLIED)
        )
        Feedback.objects.create(reply=answer, rating="satisfied", by=member[0])
        HandlingConsultation.objects.create(
            assignment=answer.assignment,
            stage="after",
            held_on=timezone.localdate(),
            form="phone",
            participants="提案人",
            summary="电话回访",
        )
    assert queries() == once


def test_the_browsable_api_shows_a_detail_and_an_act_read_as_rows(
    client, xuhui, session, category, member, staff, settings
):
    """In development DRF's browsable API fills its edit forms from the response's serializer
    instance with the draft serializer: a detail read as a row must not hand it the row."""
    from proposals.tests.helpers import draft

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_RENDERER_CLASSES": [
            "rest_framework.renderers.JSONRenderer",
            "rest_framework.renderers.BrowsableAPIRenderer",
        ],
    }
    proposal = draft(xuhui, session, category, member, title="浏览器中查看的提案")
    client.force_login(member[0])
    page = client.get(f"/api/v1/proposals/{proposal.pk}/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "浏览器中查看的提案" in page.content.decode()
    done = client.post(f"/api/v1/proposals/{proposal.pk}/submit/", HTTP_ACCEPT="text/html")
    assert done.status_code == 200 and "submitted" in done.content.decode()
