"""Parsing what a request or a file carries: str.isdigit() also accepts digits such as "²" that
int() refuses, so numbers are checked here, ASCII digits only."""

import unicodedata

from django.utils.translation import gettext as _

from core.errors import Invalid


def is_digits(text: str) -> bool:
    """Whether `text` is a non-empty run of the ASCII digits 0–9."""
    return text.isascii() and text.isdigit()


FIRST_YEAR, LAST_YEAR = 1949, 2100


def valid_year(text: str | None) -> int | None:
    """The year if `text` is one from 1949 to 2100, else None (a page then ignores it)."""
    if text and is_digits(text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return None


def year_of(text: str | None, *, default: int | None = None, field: str = "year") -> int:
    """A calendar year given as text (a query parameter): a whole number from 1949 to 2100,
    `default` when empty, otherwise Invalid naming `field`."""
    if not text and default is not None:
        return default
    year = valid_year(text)
    if year is not None:
        return year
    raise Invalid(
        _("年份须为 %(a)d 至 %(b)d 之间的整数，如 2023。") % {"a": FIRST_YEAR, "b": LAST_YEAR},
        field=field,
    )


def search_text(text: str | None, *, limit: int = 50) -> str:
    """A search box's text without control characters (PostgreSQL refuses NUL in a string),
    trimmed and cut to `limit` characters."""
    kept = "".join(c for c in text or "" if unicodedata.category(c) != "Cc")
    return kept.strip()[:limit]
