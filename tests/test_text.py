"""core.text: the one normalisation of names, titles and texts (and its refusals)."""

import pytest
from django.core.exceptions import ValidationError

from core.text import Kind, normalise


@pytest.mark.parametrize(
    ("raw", "kind", "stored"),
    [
        ("张\u200b三", Kind.NAME, "张三"),  # zero-width space
        ("\ufeff李\u200c四\u200d\u2060", Kind.NAME, "李四"),  # BOM, non-joiner, joiner, word joiner
        ("ＷＡＮＧ　Ｌｅｉ", Kind.NAME, "WANG Lei"),  # names: NFKC (full-width letters, space)
        ("关于加强（社区）养老服务的建议：试点", Kind.LINE, "关于加强（社区）养老服务的建议：试点"),
        ("早餐网点不足，\n建议增设。\t", Kind.TEXT, "早餐网点不足，\n建议增设。\t"),  # NFC only
        ("e\u0301", Kind.LINE, "\u00e9"),  # NFC composes
        ("\uf900", Kind.LINE, "\u8c48"),  # a CJK compatibility ideograph becomes its unified one
        ("生僻字\ue000", Kind.NAME, "生僻字\ue000"),  # private use stays: legacy rare characters
        ("国际化\u00adsoft", Kind.LINE, "国际化soft"),  # soft hyphen
    ],
)
def test_normalises(raw, kind, stored):
    assert normalise(raw, kind=kind) == stored


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("提案\u202etxt.exe", Kind.LINE),  # right-to-left override
        ("\u2066标题\u2069", Kind.LINE),  # isolates
        ("标题\u200f", Kind.LINE),  # right-to-left mark
        ("标题\u202a", Kind.TEXT),
        ("第一行\n第二行", Kind.LINE),  # one-line fields refuse line breaks
        ("姓名\t", Kind.NAME),
        ("正文\x00", Kind.TEXT),  # NUL
        ("正文\x1b[31m", Kind.TEXT),  # escape
        ("标题\u0378", Kind.LINE),  # unassigned
        ("标题\U000e0080", Kind.LINE),  # unassigned (tag block gap)
        ("标题\ud800", Kind.LINE),  # a lone surrogate (from a JSON \\ud800 escape)
    ],
)
def test_refuses_with_the_field_named(raw, kind):
    with pytest.raises(ValidationError) as refused:
        normalise(raw, kind=kind, field="案由")
    (message,) = refused.value.messages
    assert message.startswith("「案由」含有不允许的字符 U+")
    assert refused.value.code == "text_hygiene"
