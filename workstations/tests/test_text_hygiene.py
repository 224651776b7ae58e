"""The liaison's activity page: a topic with a control character is a form error; zero-width
characters are dropped."""

from datetime import date

from django.urls import reverse

from workstations import workflow
from workstations.models import Activity


def test_the_activity_form_cleans_the_topic(client, station, liaison, seats, xuhui_admin):
    workflow.place(workstation=station, seat=seats[0], joined_on=date(2023, 1, 1), by=xuhui_admin)
    client.force_login(liaison)
    url = reverse("workstations:activity-create", args=[station.pk])
    data = {"kind": "public", "held_on": "2023-06-01", "attendees": [seats[0].pk]}
    data["public_participants"] = 3
    refused = client.post(url, {**data, "topic": "委员接待日\u202d"})
    assert refused.status_code == 200 and "「主题」含有不允许的字符 U+202D" in refused.text
    assert not Activity.objects.exists()
    assert client.post(url, {**data, "topic": "委员\u200b接待日"}).status_code == 302
    assert Activity.objects.get().topic == "委员接待日"
