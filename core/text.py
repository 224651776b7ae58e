"""Text hygiene: one function, `normalise`, for every name, title and text that users enter.

What each kind of field gets:

- `Kind.NAME` — a person's name: NFKC (full-width Latin letters and digits become plain ones,
  compatibility forms their base characters); one line.
- `Kind.LINE` — titles, organisations' names, topics, employers: NFC only, because NFKC would
  change the full-width punctuation that Chinese titles use (（）→ (), ，→ , and ：→ :); one line.
- `Kind.TEXT` — free prose: NFC only, for the same reason; line breaks and tabs are kept.

All kinds silently drop the invisible characters that only hide differences between strings —
zero-width space, non-joiner and joiner (U+200B–U+200D), word joiner (U+2060), the byte-order
mark (U+FEFF) and the soft hyphen (U+00AD) — and refuse, with a message naming the field:
bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F, U+061C), which
can make a title read differently from what it stores; control characters (any line break or
tab in a one-line kind); lone surrogates; and unassigned code points. Private-use characters stay
allowed: legacy systems map rare characters of names to them.

Models list their fields in `text_fields` and inherit `CleanText`: `full_clean` (admin and portal
model forms) refuses as a field error and `save` normalises (every other door, workflow acts
included); the API's model serializers (`core.api.ScopedModelSerializer`) do the same per field,
so a refusal is a 400 naming the field.
"""

import enum
import unicodedata
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DROPPED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
MULTI_LINE_WHITESPACE = frozenset("\n\r\t")


class Kind(enum.Enum):
    NAME = "name"
    LINE = "line"
    TEXT = "text"


def _refusal(char: str, kind: Kind) -> str | None:
    if char in BIDI_CONTROLS:
        return _("双向文字控制符")
    category = unicodedata.category(char)
    if category == "Cc" and not (kind is Kind.TEXT and char in MULTI_LINE_WHITESPACE):
        return _("换行符或控制字符") if kind is not Kind.TEXT else _("控制字符")
    if category == "Cs":
        return _("无效的代理码位")
    if category == "Cn":
        return _("未分配的码位")
    return None


def normalise(text: str, *, kind: Kind = Kind.LINE, field: Any = None) -> str:
    """The text as stored: invisible characters dropped, NFKC (names) or NFC (the rest); raises
    ValidationError naming `field` (its label) at the first refused character."""
    for char in text:
        what = _refusal(char, kind)
        if what is not None:
            raise ValidationError(
                _("「%(field)s」含有不允许的字符 U+%(code)04X（%(what)s），请删除后再提交。")
                % {"field": field or _("文本"), "code": ord(char), "what": what},
                code="text_hygiene",
            )
    visible = text.translate(DROPPED)
    if kind is Kind.NAME:
        return unicodedata.normalize("NFKC", visible)
    return unicodedata.normalize("NFC", visible)


class CleanText:
    """Model mixin: the fields named in `text_fields` are refused in `full_clean` (a field error
    on every model form) and normalised on `save`."""

    text_fields: ClassVar[dict[str, Kind]] = {}

    def _normalised_text(self, exclude=None) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for name, kind in self.text_fields.items():
            value = getattr(self, name)
            if (exclude and name in exclude) or not isinstance(value, str):
                continue
            label = self._meta.get_field(name).verbose_name  # type: ignore[attr-defined]
            try:
                setattr(self, name, normalise(value, kind=kind, field=label))
            except ValidationError as error:
                errors[name] = error.messages
        return errors

    def clean_fields(self, exclude=None):
        errors = self._normalised_text(exclude)
        try:
            super().clean_fields(exclude)  # type: ignore[misc]
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        errors = self._normalised_text()
        if errors:
            raise ValidationError(errors)
        return super().save(*args, **kwargs)  # type: ignore[misc]
