"""Admin screens of the background work: reminders issued (scoped), snapshots recomputed."""

import pytest
import redis
from django.conf import settings

from cppcc_portal.celery import app
from members.tests.factories import HandlingUnitFactory
from notifications import scan
from notifications.tests.conftest import overdue_assignments
from yearbook import workflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_reminders_are_listed_for_their_committee_only(client, xuhui, xuhui_office, huangpu_office):
    overdue_assignments(xuhui, HandlingUnitFactory(committee=xuhui), 1)
    scan.run()
    client.force_login(xuhui_office)
    page = client.get("/admin/notifications/reminder/").content.decode()
    assert "办理已超期" in page and "已超过办理期限2023-05-20" in page
    client.force_login(huangpu_office)
    page = client.get("/admin/notifications/reminder/").content.decode()
    assert "已超过办理期限2023-05-20" not in page


def test_recompute_from_the_admin_is_queued_after_commit(client, xuhui, xuhui_office):
    snapshot = workflow.compute(xuhui, 2025)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    broker.delete(queue)
    client.force_login(xuhui_office)
    response = client.post(
        "/admin/yearbook/snapshot/",
        {"action": "recompute", "_selected_action": [snapshot.pk]},
        follow=True,
    )
    assert "已提交1项重新计算" in response.content.decode()
    assert broker.llen(queue) == 1
    broker.delete(queue)
