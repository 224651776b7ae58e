"""Event notifications: an act that asks someone to do something, or tells them an outcome,
notifies them at once — in the portal, and by e-mail for those who want it.

    notify("proposals.assigned", subject=assignment, committee_id=…, recipients=[user ids],
           params={…}, url="/proposals/unit/12/", event=transition.pk)

The kind is declared with `notifications.registry.event_kind` in the app's `reminders.py`. The
notification is written once the act's transaction commits (an act that rolls back tells nobody),
as a Reminder of the kind about `subject` whose threshold is `event`: the same event is never
issued twice, and each recipient gets it once (the scan's own guarantees, notifications.scan).
A failure to notify is logged and never undoes the act.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from notifications import scan
from notifications.registry import KINDS, Due

logger = logging.getLogger(__name__)


def notify(
    code: str,
    *,
    subject,
    committee_id: int,
    recipients: Iterable[int | None],
    params: dict,
    url: str = "",
    event: object = "",
    by=None,
) -> None:
    """Notify `recipients` (user ids; None, repeats and the actor `by` — who knows what they
    did — are dropped) of the event `event` of kind `code` about `subject`, after the current
    transaction commits."""
    kind = KINDS[code]
    actor = getattr(by, "pk", None)
    users = list(dict.fromkeys(u for u in recipients if u and u != actor))
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE):  # labels as the scan stores them
        values = {key: str(value) for key, value in params.items()}
    due = Due(
        object_id=subject.pk,
        committee_id=committee_id,
        recipients=users,
        threshold=str(event)[:30],
        params=values,
        url=url,
    )
    transaction.on_commit(lambda: scan.issue(kind, [due]), robust=True)
