"""`seed_demo` loads the demo data set, and a second run changes nothing at all."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from members.models import Committee, HandlingUnit, Sector, User


def _snapshot() -> dict[str, list]:
    """Every row of every table of the project, history tables included."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label
        in {"members", "auth", "workstations", "proposals", "consultations", "brands"}
    }


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first
    assert "cppcc-demo-2026" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_content(settings, client):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    shanghai = Committee.objects.get(short_name="上海市政协")
    assert shanghai.children.count() == 16
    xuhui = Committee.objects.get(short_name="徐汇区政协")
    assert Sector.objects.filter(committee=xuhui).count() == 32
    assert HandlingUnit.objects.filter(committee=xuhui).count() >= 30
    assert [str(s.title) for s in xuhui.terms.get(number=14).sessions.order_by("number")][:2] == [
        "十四届一次会议",
        "十四届二次会议",
    ]
    client.post("/login/", {"username": "xh_office", "password": "cppcc-demo-2026"})
    assert client.session["_auth_user_id"] == str(User.objects.get(username="xh_office").pk)


@pytest.mark.django_db
def test_no_demo_accounts_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    call_command("seed_demo", stdout=StringIO())
    assert Committee.objects.count() == 18
    assert not User.objects.exists()
