"""What lets a client mirror the API incrementally.

- Every `Stamped` table gets a trigger (installed after every migrate) that sets `updated_at` to
  the database's clock on insert and update, whatever wrote the row (a queryset update, a save of
  some fields, SQL), so `?updated_after=` misses no change.
- Deleting a stamped record writes a tombstone (`core.models.Deletion`, served at
  `/api/v1/deletions/`) with its committee, found before the row goes.
- Withdrawals and other ends are states of rows that stay (a withdrawn proposal is listed with
  `state=withdrawn`); a record that leaves staff's sight without being deleted (a proposal
  returned to its author's drafts) gets a tombstone with its reason (`record_gone`).

A mirror reads each list with `?updated_after=<the last updated_at it holds>` in the order
`updated_at, id` (the default when `updated_after` is given), following the `next` cursors; see
the README's integrator's guide.
"""

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION core_stamp_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def stamped_models() -> list:
    from core.models import Stamped

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Stamped) and not model._meta.proxy and model._meta.managed
    ]


def install_triggers(using: str = "default", **kwargs) -> None:
    """post_migrate: the `updated_at` trigger on every stamped table and the tombstones'
    (idempotent)."""
    from django.db import connections

    from core.models import Deletion

    with connections[using].cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTION)
        for model in [*stamped_models(), Deletion]:
            table = connection.ops.quote_name(model._meta.db_table)
            name = connection.ops.quote_name(f"{model._meta.db_table}_stamp")
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION core_stamp_updated_at()"
            )


_COMMITTEE = "_tombstone_committee_id"


def _remember_committee(sender, instance, **kwargs) -> None:
    from core.scoping import committee_id_of

    setattr(instance, _COMMITTEE, committee_id_of(instance))


def _write_tombstone(sender, instance, **kwargs) -> None:
    from core.models import Deletion

    owner = sender.owner_field
    Deletion.objects.create(
        model=sender._meta.label_lower,
        object_id=instance.pk,
        committee_id=getattr(instance, _COMMITTEE, None),
        owner_id=getattr(instance, f"{owner}_id", None) if owner else None,
        updated_at=timezone.now(),
    )


def record_gone(obj, *, reason: str, committee_id: int | None) -> None:
    """A record that stays but leaves its committee staff's lists (e.g. a proposal returned to
    its author's drafts): a tombstone with that reason, so their mirrors drop it too. It comes
    back, newer, in the lists when it is visible again."""
    from core.models import Deletion

    Deletion.objects.create(
        model=type(obj)._meta.label_lower,
        object_id=obj.pk,
        committee_id=committee_id,
        reason=reason,
    )


def connect_tombstones() -> None:
    """Every deletion of a stamped record leaves a tombstone (cascaded deletions included)."""
    for model in stamped_models():
        pre_delete.connect(_remember_committee, sender=model, dispatch_uid=f"tomb-pre-{model}")
        post_delete.connect(_write_tombstone, sender=model, dispatch_uid=f"tomb-post-{model}")
