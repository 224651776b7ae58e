"""Names in the directory: a person's name is NFKC-normalised on save; the API refuses a
handling unit's name with a bidi override as a 400 naming the field."""

import pytest
from django.core.exceptions import ValidationError

from members.models import HandlingUnit
from members.tests.factories import PersonFactory


def test_a_persons_name_is_normalised_and_a_control_character_refused(db):
    person = PersonFactory(name="ＷＡＮＧ\u200b　Ｌｅｉ", employer="区教育局（兼）\u200d")
    person.refresh_from_db()
    assert (person.name, person.employer) == ("WANG Lei", "区教育局（兼）")
    person.name = "王\u202e磊"
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert set(refused.value.message_dict) == {"name"}


def test_the_api_refuses_a_bidi_override_in_a_name(xuhui_api, xuhui):
    refused = xuhui_api.post(
        "/api/v1/handling-units/",
        {"committee": xuhui.pk, "name": "区教育局\u202eexe", "kind": "government"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["name"][0].startswith("「单位名称」含有不允许的字符 U+202E")
    created = xuhui_api.post(
        "/api/v1/handling-units/",
        {"committee": xuhui.pk, "name": "区\u200b数据局", "kind": "government"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["name"] == "区数据局"
    assert HandlingUnit.objects.filter(name="区数据局").exists()
