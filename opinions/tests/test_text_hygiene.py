"""The member's draft page refuses a title with a bidi isolate as a form error."""

import pytest
from django.urls import reverse

from opinions.models import Piece

pytestmark = pytest.mark.django_db


def test_the_draft_form_refuses_bidi_controls(client, member):
    client.force_login(member[0])
    answer = client.post(
        reverse("opinions:new"),
        {"title": "关于\u2067早餐\u2069的建议", "category": "society", "content": "早餐网点不足"},
    )
    assert answer.status_code == 200
    assert "「标题」含有不允许的字符 U+2067" in answer.text
    assert not Piece.objects.exists()
    client.post(
        reverse("opinions:new"),
        {"title": "关于早餐\ufeff网点的建议", "category": "society", "content": "不足，\r\n建议"},
    )
    assert Piece.objects.get().title == "关于早餐网点的建议"
