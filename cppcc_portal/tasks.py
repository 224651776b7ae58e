"""Project-wide housekeeping tasks (app tasks live in each app's tasks.py)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True)
def clear_expired_sessions() -> int:
    """Delete expired login sessions; return how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
