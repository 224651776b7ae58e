"""Celery through a real worker and the real Redis broker."""

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from cppcc_portal.celery import app
from cppcc_portal.tasks import clear_expired_sessions


def _session(expired: bool) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    if expired:
        Session.objects.filter(pk=store.session_key).update(
            expire_date=timezone.now() - timezone.timedelta(days=1)
        )
    return store.session_key


@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_worker(celery_worker):
    expired, live = _session(True), _session(False)
    result = clear_expired_sessions.delay()
    assert result.get(timeout=30) == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live]
    assert expired != live


@pytest.mark.django_db(transaction=True)
def test_enqueued_only_after_commit():
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    broker.delete(queue)
    with pytest.raises(RuntimeError), transaction.atomic():
        clear_expired_sessions.delay_on_commit()
        raise RuntimeError("roll back")
    assert broker.llen(queue) == 0
    with transaction.atomic():
        clear_expired_sessions.delay_on_commit()
        assert broker.llen(queue) == 0
    assert broker.llen(queue) == 1
    broker.delete(queue)


def test_reliability_settings():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
