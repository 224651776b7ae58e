"""Celery tasks of the notification centre (acks_late and after-commit enqueueing come from the
project's Celery settings and DjangoTask)."""

from celery import shared_task

from notifications import delivery, scan


@shared_task
def scan_reminders(kinds: list[str] | None = None) -> dict[str, int]:
    """Issue every reminder that is due (beat runs it; safe to run again at any time)."""
    return scan.run(kinds=kinds)


@shared_task
def send_emails() -> int:
    """E-mail the notifications whose recipients want e-mail."""
    return delivery.send_pending()
