"""The consultation admin is thin: saves and actions run the acts, fields an act owns are
read-only, every choice is scoped (seats may come from the committees above)."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from consultations.admin import MeetingAdmin, ResearchVisitAdmin
from consultations.models import Meeting, Plan, ResearchVisit, Suggestion
from consultations.tests.factories import MeetingFactory, PlanFactory, SuggestionFactory
from members.tests.factories import HandlingUnitFactory, SeatFactory


def _value(bound):
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def change_form_data(response) -> dict:
    """The POST body of an admin change form as it was shown (main form and inlines)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[name] = _value(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name])
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _value(inline_form[name])
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def office_client(client, consult_office):
    client.force_login(consult_office)
    return client


def test_a_suggestion_cannot_be_moved_to_another_committee(office_client, xuhui, huangpu):
    """A Xuhui consultation-office user moved a Xuhui suggestion onto a Huangpu meeting and a
    Huangpu handling unit and set it adopted."""
    suggestion = SuggestionFactory(meeting__committee=xuhui, text="增加家庭医生")
    url = reverse("admin:consultations_suggestion_change", args=[suggestion.pk])
    data = change_form_data(office_client.get(url))
    data.update(
        meeting=MeetingFactory(committee=huangpu).pk,
        addressee=HandlingUnitFactory(committee=huangpu).pk,
        status="adopted",
        response="已采纳",
        responded_on="2023-08-01",
    )
    answer = office_client.post(url, data)
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert set(errors) == {"meeting", "addressee"}
    suggestion.refresh_from_db()
    assert suggestion.meeting.committee == xuhui and suggestion.addressee.committee == xuhui
    assert suggestion.status == "pending"


def test_a_suggestions_response_is_read_only_and_given_by_an_action(office_client, xuhui):
    suggestion = SuggestionFactory(meeting__committee=xuhui)
    url = reverse("admin:consultations_suggestion_change", args=[suggestion.pk])
    data = change_form_data(office_client.get(url))
    data.update(text="修改后的建议", status="adopted", response="x", responded_on="2023-08-01")
    assert office_client.post(url, data).status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.text, suggestion.status, suggestion.responded_on) == (
        "修改后的建议",
        "pending",
        None,
    )
    assert suggestion.history.first().history_user.username == "xh_consult"
    changelist = reverse("admin:consultations_suggestion_changelist")
    body = {"action": "respond", "_selected_action": [suggestion.pk], "apply": "1"}
    office_client.post(changelist, {**body, "status": "adopted", "responded_on": "2099-12-31"})
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"
    office_client.post(
        changelist,
        {**body, "status": "partly", "response": "部分采纳", "responded_on": "2023-08-01"},
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.response) == ("partly", "部分采纳")


def test_the_meeting_form_refuses_1900_and_keeps_the_status(office_client, xuhui):
    add = reverse("admin:consultations_meeting_add")
    data = change_form_data(office_client.get(add))
    data.update(committee=xuhui.pk, kind="salon", title="委员沙龙", held_on="1900-01-01")
    answer = office_client.post(add, data)
    assert answer.status_code == 200
    assert "held_on" in answer.context["adminform"].form.errors
    assert not Meeting.objects.exists()

    data["held_on"] = "2023-05-01"
    assert office_client.post(add, data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.history.first().history_user.username == "xh_consult"
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    data = change_form_data(office_client.get(url))
    assert "status" not in data
    data.update(status="held", venue="委员之家")
    assert office_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.venue) == ("planned", "委员之家")


def test_hold_and_cancel_are_admin_actions(office_client, xuhui):
    past = MeetingFactory(committee=xuhui)
    coming = MeetingFactory(committee=xuhui, held_on=timezone.localdate() + timedelta(days=4))
    url = reverse("admin:consultations_meeting_changelist")
    form = office_client.post(url, {"action": "hold", "_selected_action": [past.pk]})
    assert form.status_code == 200 and "会议纪要" in form.text
    office_client.post(
        url,
        {
            "action": "hold",
            "_selected_action": [past.pk, coming.pk],
            "apply": "1",
            "summary": "纪要",
        },
    )
    past.refresh_from_db()
    coming.refresh_from_db()
    assert (past.status, coming.status) == ("held", "planned")  # not before its day
    office_client.post(
        url, {"action": "cancel", "_selected_action": [coming.pk], "apply": "1", "reason": "改期"}
    )
    coming.refresh_from_db()
    assert (coming.status, coming.cancel_reason) == ("cancelled", "改期")


def test_plans_are_approved_by_an_action(office_client, xuhui):
    plan = PlanFactory(committee=xuhui)
    url = reverse("admin:consultations_plan_changelist")
    office_client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [plan.pk],
            "apply": "1",
            "approved_on": "2023-02-01",
        },
    )
    assert Plan.objects.get(pk=plan.pk).approved_on == date(2023, 2, 1)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_seat_choices_reach_the_committees_above_not_another_district(
    consult_office, xuhui, huangpu, shanghai
):
    from django.contrib import admin

    own, municipal, _other = (SeatFactory(committee=c) for c in (xuhui, shanghai, huangpu))
    meeting = MeetingFactory(committee=xuhui)
    request = _request(consult_office)
    model_admin = MeetingAdmin(Meeting, admin.site)
    seats = {}
    for inline in model_admin.get_inline_instances(request, meeting):
        form = inline.get_formset(request, meeting).form
        for field in form.base_fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is own.__class__:
                seats[inline.model.__name__] = set(queryset)
            elif queryset is not None:
                assert not queryset.filter(**_committee_filter(queryset.model, huangpu)).exists()
    assert seats == {name: {own, municipal} for name in ("Invitation", "Speech", "Question")}
    visit_form = ResearchVisitAdmin(ResearchVisit, admin.site).get_form(request)
    assert set(visit_form.base_fields["participants"].queryset) == {own, municipal}


def _committee_filter(model, committee):
    from core.scoping import committee_path

    path = committee_path(model)
    path = path if isinstance(path, str) else path[0]
    return {"pk": committee.pk} if path == "id" else {path: committee}


def test_a_research_visit_is_recorded_through_the_act(office_client, xuhui, huangpu, shanghai):
    from members.models import Act

    own, municipal, other = (SeatFactory(committee=c) for c in (xuhui, shanghai, huangpu))
    add = reverse("admin:consultations_researchvisit_add")
    body = {"committee": xuhui.pk, "visited_on": "2023-05-10", "place": "枫林社区"}
    refused = office_client.post(add, {**body, "participants": [own.pk, other.pk]})
    assert "participants" in refused.context["adminform"].form.errors
    assert (
        office_client.post(add, {**body, "participants": [own.pk, municipal.pk]}).status_code == 302
    )
    visit = ResearchVisit.objects.get()
    assert set(visit.participants.all()) == {own, municipal}
    assert set(Act.objects.values_list("seat", flat=True)) == {own.pk, municipal.pk}
    url = reverse("admin:consultations_researchvisit_change", args=[visit.pk])
    data = change_form_data(office_client.get(url))
    data.update(visited_on="1900-01-01")
    assert "visited_on" in office_client.post(url, data).context["adminform"].form.errors
    data.update(visited_on="2023-05-12", participants=[str(municipal.pk)])
    assert office_client.post(url, data).status_code == 302
    assert list(Act.objects.values_list("seat", "occurred_on")) == [
        (municipal.pk, date(2023, 5, 12))
    ]


def test_suggestions_and_reports_added_on_the_meeting_page_go_through_the_acts(
    office_client, xuhui
):
    meeting = MeetingFactory(committee=xuhui)
    unit = HandlingUnitFactory(committee=xuhui)
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    data = change_form_data(office_client.get(url))
    data.update(
        {
            "suggestions-TOTAL_FORMS": "1",
            "suggestions-0-text": "增加家庭医生",
            "suggestions-0-addressee": unit.pk,
            "reports-TOTAL_FORMS": "1",
            "reports-0-title": "关于社区卫生的建议",
            "reports-0-text": "正文",
            "reports-0-sent_on": "1999-01-01",  # before the meeting: refused, reported
        }
    )
    answer = office_client.post(url, data, follow=True)
    assert "日期不能早于会议日期" in answer.text
    suggestion = meeting.suggestions.get()
    assert (suggestion.addressee, suggestion.history.first().history_user.username) == (
        unit,
        "xh_consult",
    )
    assert not meeting.reports.exists()
