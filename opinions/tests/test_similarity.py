"""Duplicate suggestions: a rewritten duplicate is found, an unrelated piece is not, and only the
same committee's last twelve months count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opinions.models import Piece
from opinions.similarity import similar_pieces
from opinions.tests.helpers import submitted

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "近期多位社区居民反映，徐汇区部分老旧小区加装电梯后，后续维修保养费用分摊缺乏统一规则，"
    "业主之间矛盾较多，部分电梯因费用无着落停运。建议区房管局出台维保费用分摊指引，"
    "引导业主委员会建立电梯维修资金，并探索由街道牵头的统一维保采购机制。"
)
REWRITTEN = (
    "不少居民向委员反映：老旧小区加装电梯完成后，维修保养的费用由谁承担、如何分摊没有统一规则，"
    "楼内业主矛盾突出，一些电梯因为维保费用没有着落而停运。建议由区房管局制定加装电梯维保费用"
    "分摊指引，推动建立电梯维修资金，由街道牵头统一采购维保服务。"
)
UNRELATED = (
    "随着新能源汽车保有量快速增长，居住区充电桩建设跟不上需求，夜间充电排队现象突出。"
    "建议供电部门加快配网改造，鼓励物业企业与充电运营商合作，在公共停车场增设慢充车位，"
    "同时完善充电设施消防安全管理规定。"
)


def test_rewritten_duplicate_is_found_unrelated_is_not(xuhui, member, other_member):
    original = submitted(xuhui, member, title="关于加装电梯后维保费用分摊的建议", content=ORIGINAL)
    unrelated = submitted(
        xuhui, other_member, title="关于加快居住区充电桩建设的建议", content=UNRELATED
    )
    duplicate = submitted(
        xuhui, other_member, title="老旧小区加装电梯维保费用分摊问题亟待解决", content=REWRITTEN
    )
    found = similar_pieces(duplicate)
    assert [piece.pk for piece, _score in found] == [original.pk]
    assert found[0][1] >= 0.2
    assert unrelated.pk not in {piece.pk for piece, _ in similar_pieces(original)}


def test_only_the_same_committee_and_the_last_twelve_months(xuhui, huangpu, member):
    from members.tests.factories import SeatFactory, UserFactory

    user = UserFactory(username="hp_writer", committee=huangpu)
    elsewhere = submitted(
        huangpu, (user, SeatFactory(committee=huangpu, person__user=user)), content=ORIGINAL
    )
    old = submitted(xuhui, member, title="旧的电梯维保建议", content=ORIGINAL)
    Piece.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=400))
    new = submitted(xuhui, member, title="电梯维保费用分摊", content=REWRITTEN)
    found = {piece.pk for piece, _ in similar_pieces(new)}
    assert elsewhere.pk not in found and old.pk not in found


def test_drafts_are_not_suggested(xuhui, member, other_member):
    from opinions.tests.helpers import draft

    private = draft(xuhui, member, content=ORIGINAL)
    new = submitted(xuhui, other_member, content=REWRITTEN)
    assert private.pk not in {piece.pk for piece, _ in similar_pieces(new)}
