"""The API door: a district office enters, screens, combines, issues and reports; the municipal
office reads its districts' reports and finds them in its own queue; others get 404."""

import pytest
from rest_framework.test import APIClient

from opinions.models import Piece, PieceState
from opinions.tests.helpers import reported, submitted

pytestmark = pytest.mark.django_db


def _client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_district_office_works_a_piece_end_to_end(xuhui, shanghai, member, xuhui_api, city_office):
    created = xuhui_api.post(
        "/api/v1/opinion-pieces/",
        {
            "committee": xuhui.pk,
            "seat": member[1].pk,
            "title": "关于规范共享单车停放的建议",
            "content": "地铁站周边共享单车乱停放严重，建议划定停放区域。",
            "category": "society",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "draft"
    for act, body, state in (
        ("submit", {}, "submitted"),
        ("screen", {"decision": "accept"}, "accepted"),
    ):
        answer = xuhui_api.post(f"/api/v1/opinion-pieces/{pk}/{act}/", body, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.json()["state"] == state
    again = xuhui_api.post(f"/api/v1/opinion-pieces/{pk}/screen/", {"decision": "keep"})
    assert again.status_code in (400, 409)
    assert xuhui_api.get(f"/api/v1/opinion-pieces/{pk}/similar/").status_code == 200
    report = xuhui_api.post("/api/v1/opinion-reports/", {"pieces": [pk]}, format="json")
    assert report.status_code == 201, report.content
    rid = report.json()["id"]
    issued = xuhui_api.post(f"/api/v1/opinion-reports/{rid}/issue/", {}, format="json")
    assert issued.json()["number"] == 1
    sent = xuhui_api.post(
        f"/api/v1/opinion-reports/{rid}/deliver/", {"targets": ["upper"]}, format="json"
    )
    assert sent.status_code == 200 and sent.json()["state"] == "reported"
    twice = xuhui_api.post(
        f"/api/v1/opinion-reports/{rid}/deliver/", {"targets": ["upper"]}, format="json"
    )
    assert twice.status_code == 409 and twice.json()["code"] == "wrong_state"
    # The municipal office reads the district's report and finds it in its own queue.
    city = _client(city_office)
    assert city.get(f"/api/v1/opinion-reports/{rid}/").status_code == 200
    queue = city.get("/api/v1/opinion-pieces/", {"committee": shanghai.pk, "state": "submitted"})
    (arrived,) = queue.json()["results"]
    assert arrived["submitter_kind"] == "lower_committee"
    refused = city.post(f"/api/v1/opinion-reports/{rid}/issue/", {}, format="json")
    assert refused.status_code == 403  # reads, never writes, a district's report
    recorded = xuhui_api.post(
        f"/api/v1/opinion-reports/{rid}/outcomes/",
        {"kind": "adopted", "level": "municipal"},
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    detail = xuhui_api.get(f"/api/v1/opinion-pieces/{pk}/").json()
    assert [(o["kind"], o["level"]) for o in detail["outcomes"]] == [("adopted", "municipal")]


def test_errors_answer_400_403_409(xuhui, member, office, xuhui_api):
    piece = submitted(xuhui, member)
    bad = xuhui_api.post(
        f"/api/v1/opinion-pieces/{piece.pk}/screen/", {"decision": "keep"}, format="json"
    )
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    member_api = _client(member[0])
    assert member_api.get("/api/v1/opinion-pieces/").status_code == 403


def test_another_districts_pieces_answer_404(xuhui, huangpu, member, huangpu_op, office):
    piece = submitted(xuhui, member)
    report = reported(xuhui, member, office, targets=["government"], title="另一篇")
    other = _client(huangpu_op)
    assert other.get(f"/api/v1/opinion-pieces/{piece.pk}/").status_code == 404
    assert other.get(f"/api/v1/opinion-reports/{report.pk}/").status_code == 404
    answer = other.post(
        f"/api/v1/opinion-pieces/{piece.pk}/screen/", {"decision": "accept"}, format="json"
    )
    assert answer.status_code == 404
    assert Piece.objects.get(pk=piece.pk).state == PieceState.SUBMITTED
    assert other.get("/api/v1/opinion-pieces/").json()["results"] == []


def test_piece_list_queries_do_not_grow(xuhui, member, xuhui_api, assert_constant_list_queries):
    from opinions import workflow

    def make_rows(committee, n):
        for i in range(n):
            piece = workflow.create_draft(
                committee=committee,
                seat=member[1],
                by=member[0],
                title=f"信息{i}",
                content="正文",
            )
            workflow.submit(piece, by=member[0])

    assert_constant_list_queries(xuhui_api, "/api/v1/opinion-pieces/", make_rows, xuhui)


def test_office_attaches_a_file_to_a_draft(xuhui, member, xuhui_api, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    created = xuhui_api.post(
        "/api/v1/opinion-pieces/",
        {"committee": xuhui.pk, "seat": member[1].pk, "title": "标题", "content": "正文"},
        format="json",
    )
    pk = created.json()["id"]
    upload = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4", content_type="application/pdf")
    answer = xuhui_api.post(
        f"/api/v1/opinion-pieces/{pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.content
    assert [a["name"] for a in answer.json()["attachments"]] == ["调研报告.pdf"]
    wrong = SimpleUploadedFile("a.exe", b"MZ")
    refused = xuhui_api.post(
        f"/api/v1/opinion-pieces/{pk}/attachments/", {"file": wrong}, format="multipart"
    )
    assert refused.status_code == 400 and "file" in refused.json()["fields"]


def test_city_queue_holds_only_its_own_pieces(client, xuhui, shanghai, member, city_office):
    from django.urls import reverse

    submitted(xuhui, member, title="徐汇的信息")
    client.force_login(city_office)
    url = reverse("admin:opinions_piece_changelist")
    assert "徐汇的信息" in client.get(url).text  # the city reads its districts
    assert "徐汇的信息" not in client.get(url, {"queue": "unscreened"}).text
