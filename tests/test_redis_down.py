"""Redis down (Celery's broker and result store at a closed port): whatever queues background work
answers at once — a JSON 503 on the API, a message on pages and in the admin — and every other
page is served as usual; the reminder scan goes on and its e-mails are queued by the next scan."""

import time

import pytest
import redis
from django.conf import settings

from cppcc_portal.celery import app
from members.tests.factories import HandlingUnitFactory
from notifications import scan
from notifications.models import Notification, Reminder
from notifications.tests.conftest import overdue_assignments
from yearbook import workflow

pytestmark = pytest.mark.django_db(transaction=True)

OVERDUE = "proposals.handling_overdue"
# Publishing gives up within about 2 s (settings: CELERY_BROKER_* timeouts and retry policy).
BOUND = 3.0


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_api_recompute_answers_a_json_503_at_once(xuhui, xuhui_api, redis_down):
    response, took = _timed(lambda: xuhui_api.post(f"/api/v1/statistics/{xuhui.pk}/2025/"))
    assert response.status_code == 503, response.content
    assert took < BOUND
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "code": "unavailable",
        "message": "后台任务队列暂时不可用，请稍后再试。",
    }
    english = xuhui_api.post(f"/api/v1/statistics/{xuhui.pk}/2025/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 503
    assert "task queue" in english.json()["message"]

    redis_down()  # Redis is back: the same request is accepted and queued
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    broker.delete(queue)
    response = xuhui_api.post(f"/api/v1/statistics/{xuhui.pk}/2025/")
    assert response.status_code == 202 and response.json() == {"queued": 1}
    assert broker.llen(queue) == 1
    broker.delete(queue)


def test_pages_tell_the_user_and_the_rest_is_served(client, xuhui, xuhui_office, redis_down):
    snapshot = workflow.compute(xuhui, 2025)
    client.force_login(xuhui_office)
    detail = f"/statistics/{xuhui.pk}/2025/"
    response, took = _timed(lambda: client.post(f"{detail}recompute/", follow=True))
    assert took < BOUND
    assert response.status_code == 200
    assert "后台任务队列暂时不可用，请稍后再试。" in response.content.decode()

    response = client.post(
        "/admin/yearbook/snapshot/",
        {"action": "recompute", "_selected_action": [snapshot.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "后台任务队列暂时不可用，请稍后再试。" in response.content.decode()

    for url in ("/", detail, "/statistics/", "/admin/", "/proposals/public/"):
        assert client.get(url).status_code == 200, url
    client.logout()
    assert client.get("/login/").status_code == 200


def test_the_reminder_scan_goes_on_and_the_next_scan_queues_the_emails(
    xuhui, xuhui_office, redis_down
):
    xuhui_office.email = "office@example.org"
    xuhui_office.save()
    overdue_assignments(xuhui, HandlingUnitFactory(committee=xuhui), 2)
    assert scan.run(kinds=[OVERDUE]) == {OVERDUE: 2}
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(email="pending").count() == 2

    redis_down()  # Redis is back
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    broker.delete(queue)
    assert scan.run(kinds=[OVERDUE]) == {OVERDUE: 0}
    assert broker.llen(queue) == 1  # the send task, for the e-mails left pending
    broker.delete(queue)
