"""Names in the directory: a person's name is NFKC-normalised on save; the API refuses a
handling unit's name with a bidi override as a 400 naming the field; the roster import refuses it
by row and column."""

import pytest
from django.core.exceptions import ValidationError

from members.models import HandlingUnit, Party, Person, Sector, SpecialCommittee
from members.roster import import_roster
from members.tests.factories import PersonFactory, TermFactory
from members.tests.test_roster import _rows, _xlsx


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


@pytest.fixture
def term(xuhui):
    for name in ("经济界", "教育界"):
        Sector.objects.create(committee=xuhui, name=name)
    Party.objects.create(committee=xuhui, name="中国民主建国会")
    for name in ("提案委员会", "经济委员会"):
        SpecialCommittee.objects.create(committee=xuhui, name=name)
    return TermFactory(committee=xuhui, number=14)


def test_the_roster_refuses_a_name_with_a_bidi_override_by_row_and_column(term, xuhui_admin):
    rows = _rows()
    rows[1]["name"] = "钱\u202e二"
    rows[2]["employer"] = "区教育局\u200b（兼）"
    report = import_roster(_xlsx(rows), term=term, by=xuhui_admin)
    assert [(e.row, e.column) for e in report.errors] == [(3, "姓名")]
    assert not Person.objects.exists()
    rows[1]["name"] = "ＱＩＡＮ\u200b二"
    assert import_roster(_xlsx(rows), term=term, by=xuhui_admin).ok
    assert Person.objects.get(id_number="HK2000002").name == "QIAN二"
    assert Person.objects.get(id_number="MO3000003").employer == "区教育局（兼）"
