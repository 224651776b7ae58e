"""The notification centre's pages: the unread count, the list, opening, e-mail preference."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from members.models import User
from members.tests.factories import UserFactory
from notifications import scan
from notifications.models import Notification
from notifications.tests.conftest import overdue_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(xuhui, unit_with_staff):
    assignments = overdue_assignments(xuhui, unit_with_staff, 2)
    scan.run(kinds=["proposals.handling_overdue"])
    return User.objects.get(username="mailed"), assignments


def test_header_list_and_opening_a_notification(client, notified):
    user, _assignments = notified
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '通知 <span class="badge text-bg-danger">2</span>' in page
    assert "已超过办理期限2023-05-20，尚未答复。" in page
    first = Notification.objects.filter(recipient=user).last()
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/unit/{first.reminder.object_id}/"
    first.refresh_from_db()
    assert first.read_at is not None
    unread = client.get(reverse("notifications:list") + "?unread=1").content.decode()
    assert unread.count("list-group-item-warning") == 1
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
    assert (
        "没有未读通知" in client.get(reverse("notifications:list") + "?unread=1").content.decode()
    )


def test_someone_elses_notification_is_not_found(client, notified, xuhui):
    user, _assignments = notified
    theirs = Notification.objects.filter(recipient=user).first()
    client.force_login(UserFactory(username="nosy", committee=xuhui, roles=[Role.MEMBER]))
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_members_turn_email_off_and_on(client, notified):
    user, _assignments = notified
    client.force_login(user)
    client.post(reverse("notifications:email"), {})
    user.refresh_from_db()
    assert user.receives_email is False
    assert user.history.first().history_change_reason == "关闭邮件提醒"
    client.post(reverse("notifications:email"), {"receives_email": "on"})
    user.refresh_from_db()
    assert user.receives_email is True


def test_pages_need_a_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("notifications:read-all")).status_code in (302, 405)


def test_reminders_read_in_the_users_language(notified):
    reminder = Notification.objects.filter(recipient=notified[0]).last().reminder
    with translation.override("en"):
        assert reminder.text == (
            'Proposal No. 1 "关于加强社区治理的建议（0）", handled by 区城管执法局, '
            "passed its deadline 2023-05-20 without a reply."
        )


def test_pages_of_unread_notifications_stay_unread(client, xuhui, unit_with_staff):
    overdue_assignments(xuhui, unit_with_staff, 31)
    scan.run(kinds=["proposals.handling_overdue"])
    client.force_login(User.objects.get(username="mailed"))
    first = client.get(reverse("notifications:list") + "?unread=1").content.decode()
    assert 'href="?page=2&amp;unread=1"' in first
    second = client.get(reverse("notifications:list") + "?page=2&unread=1").content.decode()
    assert second.count("list-group-item-warning") == 1
