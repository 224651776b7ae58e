"""The member's portal pages: write, submit, follow; nobody else's pieces; nothing public."""

import pytest
from django.urls import reverse

from opinions import workflow
from opinions.models import Piece, PieceState
from opinions.tests.helpers import reported, submitted

pytestmark = pytest.mark.django_db


def test_member_writes_submits_and_sees_outcomes(client, xuhui, member, office):
    client.force_login(member[0])
    assert client.get(reverse("opinions:mine")).status_code == 200
    created = client.post(
        reverse("opinions:new"),
        {"title": "关于早餐网点布局的建议", "category": "society", "content": "早餐网点不足"},
    )
    piece = Piece.objects.get(title="关于早餐网点布局的建议")
    assert created.status_code == 302 and piece.state == PieceState.DRAFT
    client.post(reverse("opinions:act", args=[piece.pk, "submit"]))
    assert Piece.objects.get(pk=piece.pk).state == PieceState.SUBMITTED
    report = reported(xuhui, member, office, title="已报送的一篇")
    workflow.record_outcome(report, kind="adopted", level="municipal", by=office)
    (mine,) = report.pieces.all()
    page = client.get(reverse("opinions:detail", args=[mine.pk]))
    assert page.status_code == 200 and "采用" in page.text
    listing = client.get(reverse("opinions:mine"))
    assert "已报送的一篇" in listing.text and "关于早餐网点布局的建议" in listing.text


def test_others_pieces_answer_404_and_nothing_is_public(client, xuhui, member, other_member):
    piece = submitted(xuhui, member)
    assert client.get(reverse("opinions:detail", args=[piece.pk])).status_code == 302  # login
    client.force_login(other_member[0])
    assert client.get(reverse("opinions:detail", args=[piece.pk])).status_code == 404
    assert client.post(reverse("opinions:act", args=[piece.pk, "withdraw"])).status_code == 404
    assert piece.title not in client.get(reverse("opinions:mine")).text
    client.logout()
    assert client.get(reverse("opinions:mine")).status_code == 302


def test_returned_piece_is_edited_and_resubmitted(client, xuhui, member, office):
    piece = submitted(xuhui, member)
    workflow.screen(piece, decision="return", reason="请补充具体地点", by=office)
    client.force_login(member[0])
    page = client.get(reverse("opinions:detail", args=[piece.pk]))
    assert "请补充具体地点" in page.text
    client.post(
        reverse("opinions:edit", args=[piece.pk]),
        {"title": piece.title, "category": "society", "content": "补充：漕河泾街道"},
    )
    client.post(reverse("opinions:act", args=[piece.pk, "submit"]))
    piece.refresh_from_db()
    assert piece.state == PieceState.SUBMITTED and "漕河泾" in piece.content


def test_member_attaches_a_file_to_a_draft(client, xuhui, member, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opinions.tests.helpers import draft

    settings.MEDIA_ROOT = tmp_path
    piece = draft(xuhui, member)
    client.force_login(member[0])
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    client.post(reverse("opinions:act", args=[piece.pk, "attach"]), {"file": upload})
    assert [a.name for a in piece.attachments.all()] == ["照片.jpg"]
    assert "照片.jpg" in client.get(reverse("opinions:detail", args=[piece.pk])).text
