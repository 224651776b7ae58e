"""The reminder kinds of every app, and how their texts are rendered.

An app declares a kind in its own `reminders.py` (found by NotificationsConfig.ready):

    @reminder_kind("proposals.handling_due", model=Assignment, label=_("办理期限临近"),
                   message=_("提案第{number}号《{title}》将于{due}到期"))
    def handling_due(today):
        yield Due(object_id=..., threshold="7", committee_id=..., recipients=[user ids],
                  params={...}, url="/proposals/unit/")

The scan (notifications.scan) turns each Due into at most one Reminder per object, kind and
threshold, delivered once to each recipient. A scan function chooses recipients who may see the
object: it is the app's own rules that say who that is.

An event (something an act asks someone to do, or an outcome it tells them) is declared with
`event_kind` (no scan) and issued by the act itself through `notifications.events.notify`, once
its transaction commits.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import models


@dataclass(frozen=True)
class Due:
    """Something the scan found due: about which object, at which threshold, for whom."""

    object_id: int
    committee_id: int
    recipients: Sequence[int]
    threshold: str = ""
    params: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class ReminderKind:
    code: str
    model: type[models.Model]
    label: str
    message: str
    scan: Callable[[date], Iterable[Due]] | None


KINDS: dict[str, ReminderKind] = {}


def reminder_kind(code: str, *, model, label, message):
    """Register the decorated scan function as the source of reminders of kind `code`."""

    def register(scan):
        KINDS[code] = ReminderKind(code, model, label, message, scan)
        return scan

    return register


def event_kind(code: str, *, model, label, message) -> None:
    """Declare a kind of event notification, issued by `notifications.events.notify`."""
    KINDS[code] = ReminderKind(code, model, label, message, None)


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in sorted(KINDS.items())]


def label(code: str) -> str:
    """The kind's name in the active language (the code itself for a kind no longer declared)."""
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def render(code: str, params: dict) -> str:
    """The reminder's text in the active language (a kind's message with its parameters)."""
    kind = KINDS.get(code)
    if kind is None:
        return code
    try:
        return str(kind.message).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(kind.label)
