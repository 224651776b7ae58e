"""The office's queues in the admin: one-click screening, combining, issuing, reporting and
recording outcomes call the workflow; drafts stay private; lists export to Excel."""

import pytest
from django.urls import reverse

from opinions.models import Outcome, Piece, PieceState, Report, ReportState
from opinions.tests.helpers import draft, submitted

pytestmark = pytest.mark.django_db


def test_piece_queue_screen_combine_and_export(client, xuhui, member, other_member, office):
    pieces = [submitted(xuhui, member, title=f"电梯维保{i}") for i in range(3)]
    hidden = draft(xuhui, other_member, title="私人草稿")
    url = reverse("admin:opinions_piece_changelist")
    client.force_login(office)
    listing = client.get(url, {"queue": "unscreened"})
    assert listing.status_code == 200
    assert "电梯维保0" in listing.text and "私人草稿" not in listing.text
    ids = [p.pk for p in pieces]
    client.post(url, {"action": "accept", "_selected_action": ids[:2], "apply": "1"})
    refused = client.post(
        url,
        {"action": "keep", "_selected_action": ids[:1], "apply": "1", "reason": "重复"},
        follow=True,
    )
    assert "不能存档备查" in refused.text
    client.post(
        url, {"action": "send_back", "_selected_action": ids[2:], "apply": "1", "reason": "补充"}
    )
    assert Piece.objects.get(pk=ids[2]).state == PieceState.RETURNED
    client.post(
        url, {"action": "combine", "_selected_action": ids[:2], "apply": "1", "title": "综合"}
    )
    report = Report.objects.get()
    assert report.title == "综合" and report.pieces.count() == 2
    page = client.get(reverse("admin:opinions_piece_change", args=[ids[0]]))
    assert page.status_code == 200 and "相似信息" in page.text
    export = client.post(url, {"action": "export_xlsx", "_selected_action": ids})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Piece.objects.get(pk=hidden.pk).state == PieceState.DRAFT


def test_report_queue_issue_deliver_outcome(client, xuhui, member, office):
    from opinions import workflow

    piece = workflow.screen(submitted(xuhui, member), decision="accept", by=office)
    report = workflow.combine([piece], by=office)
    url = reverse("admin:opinions_report_changelist")
    client.force_login(office)
    assert client.get(url, {"queue": "editing"}).status_code == 200
    client.post(url, {"action": "issue", "_selected_action": [report.pk], "apply": "1"})
    client.post(
        url,
        {
            "action": "deliver",
            "_selected_action": [report.pk],
            "apply": "1",
            "targets": ["upper", "government"],
        },
    )
    report.refresh_from_db()
    assert (report.state, report.number) == (ReportState.REPORTED, 1)
    waiting = client.get(url, {"queue": "waiting"})
    assert report.title in waiting.text
    client.post(
        url,
        {
            "action": "record_outcome",
            "_selected_action": [report.pk],
            "apply": "1",
            "kind": "instruction",
            "level": "municipal",
            "on": report.issued_on.isoformat(),
            "leader": "市领导",
            "content": "请有关部门研究",
        },
    )
    assert Outcome.objects.get(report=report).leader == "市领导"
    assert report.title not in client.get(url, {"queue": "waiting"}).text
    assert client.get(reverse("admin:opinions_report_change", args=[report.pk])).status_code == 200
    export = client.post(url, {"action": "export_xlsx", "_selected_action": [report.pk]})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_queue_page_queries_do_not_grow(client, xuhui, member, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:opinions_piece_changelist")
    client.force_login(office)
    submitted(xuhui, member, title="第一篇")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"queue": "unscreened"}).status_code == 200
    for i in range(20):
        submitted(xuhui, member, title=f"又一篇{i}")
    with CaptureQueriesContext(connection) as many:
        assert "又一篇19" in client.get(url, {"queue": "unscreened"}).text
    assert len(one) == len(many)


def test_a_piece_is_screened_from_its_page_and_the_submitter_told(
    client, xuhui, member, office, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        piece = submitted(xuhui, member, title="电梯维保难")
    assert [n.reminder.kind for n in Notification.objects.filter(recipient=office)] == [
        "opinions.received"
    ]
    page = reverse("admin:opinions_piece_change", args=[piece.pk])
    keep = reverse("admin:opinions_piece_act", args=[piece.pk, "keep"])
    combine = reverse("admin:opinions_piece_act", args=[piece.pk, "combine"])
    client.force_login(office)
    text = client.get(page).text
    assert f'href="{keep}"' in text and f'href="{combine}"' not in text
    assert 'name="_save"' not in text
    assert client.get(combine).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(keep, {"apply": "1", "reason": "与前期信息重复"})
    piece.refresh_from_db()
    assert piece.state == PieceState.KEPT
    told = Notification.objects.get(recipient=member[0])
    assert told.reminder.text == "您报送的社情民意信息《电梯维保难》：存档备查。与前期信息重复"
