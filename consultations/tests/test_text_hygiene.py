"""The admin's meeting form refuses a title with an unassigned code point as a field error."""

from django.urls import reverse

from consultations.models import Meeting
from consultations.tests.test_admin import change_form_data


def test_the_meeting_form_refuses_unassigned_code_points(client, consult_office, xuhui):
    client.force_login(consult_office)
    add = reverse("admin:consultations_meeting_add")
    data = change_form_data(client.get(add))
    data.update(committee=xuhui.pk, kind="salon", title="委员沙龙\U0010fffe", held_on="2023-05-01")
    answer = client.post(add, data)
    assert answer.status_code == 200
    assert list(answer.context["adminform"].form.errors) == ["title"]
    assert not Meeting.objects.exists()
    data["title"] = "委员\u2060沙龙"
    assert client.post(add, data).status_code == 302
    assert Meeting.objects.get().title == "委员沙龙"
