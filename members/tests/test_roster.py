"""Roster import: the whole file is checked first; one bad row and nothing is written."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.errors import NotAllowed
from members.models import Party, Person, Seat, Sector, SpecialCommittee
from members.roster import COLUMNS, import_roster
from members.tests.factories import TermFactory

VALID_ID = "11010519491231002X"  # the GB 11643 example, valid check digit


def _xlsx(rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([heading for _name, heading in COLUMNS])
    for row in rows:
        sheet.append([row.get(name) for name, _heading in COLUMNS])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def term(xuhui):
    for name in ("经济界", "教育界"):
        Sector.objects.create(committee=xuhui, name=name)
    Party.objects.create(committee=xuhui, name="中国民主建国会")
    SpecialCommittee.objects.create(committee=xuhui, name="提案委员会")
    SpecialCommittee.objects.create(committee=xuhui, name="经济委员会")
    return TermFactory(committee=xuhui, number=14)


def _rows():
    return [
        {
            "name": "赵一",
            "id_number": VALID_ID,
            "sector": "经济界",
            "party": "中国民主建国会",
            "special_committees": "提案委员会、经济委员会",
            "is_standing_committee": "是",
            "phone": "13800000001",
            "started_on": "2022-01-05",
        },
        {"name": "钱二", "id_number": "HK2000002", "sector": "教育界", "gender": "女"},
        {
            "name": "孙三",
            "id_number": "MO3000003",
            "sector": "经济界",
            "is_hk_macao": "是",
            "position": "委员",
            "status": "在任",
        },
    ]


def test_bad_row_in_the_middle_writes_nothing(term, xuhui_admin):
    rows = _rows()
    rows[1].update(
        {
            "id_number": "110105194912310021",
            "sector": "不存在界",
            "phone": "123",
            "is_standing_committee": "也许",
            "started_on": "2022/13/40",
        }
    )
    report = import_roster(_xlsx(rows), term=term, by=xuhui_admin)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "证件号码"), (3, "界别"), (3, "手机号码"), (3, "常委"), (3, "任职日期")}
    assert any("校验位" in e.message for e in report.errors)
    assert Person.objects.count() == 0 and Seat.objects.count() == 0


def test_valid_file_imports_all_rows_then_updates(term, xuhui_admin):
    report = import_roster(_xlsx(_rows()), term=term, by=xuhui_admin)
    assert report.ok and (report.created, report.updated) == (3, 0)
    seat = Seat.objects.get(person__name="赵一")
    assert seat.is_standing_committee and seat.party.name == "中国民主建国会"
    assert sorted(seat.special_committees.values_list("name", flat=True)) == [
        "提案委员会",
        "经济委员会",
    ]
    assert Seat.objects.get(person__name="孙三").is_hk_macao
    again = import_roster(_xlsx(_rows()), term=term, by=xuhui_admin)
    assert (again.created, again.updated) == (0, 3)
    assert Person.objects.count() == 3


def test_duplicates_missing_columns_and_unreadable_files(term, xuhui_admin):
    rows = _rows()
    rows[2]["id_number"] = rows[0]["id_number"]
    report = import_roster(_xlsx(rows), term=term, by=xuhui_admin)
    assert [(e.row, e.column) for e in report.errors] == [(4, "证件号码")]
    assert "第 2 行" in report.errors[0].message
    book = Workbook()
    book.active.append(["姓名"])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert "缺少" in import_roster(buffer, term=term, by=xuhui_admin).errors[0].message
    garbage = BytesIO(b"not an excel file")
    assert "无法读取" in import_roster(garbage, term=term, by=xuhui_admin).errors[0].message
    assert Person.objects.count() == 0


def test_only_into_own_committee(huangpu, xuhui_admin):
    with pytest.raises(NotAllowed):
        import_roster(_xlsx(_rows()), term=TermFactory(committee=huangpu), by=xuhui_admin)


def test_admin_import_page_reports_errors_row_by_row(client, term, xuhui_admin):
    rows = _rows()
    rows[1]["sector"] = "不存在界"
    client.force_login(xuhui_admin)
    upload = SimpleUploadedFile("roster.xlsx", _xlsx(rows).read())
    page = client.post(reverse("admin:members_seat_import"), {"term": term.pk, "file": upload})
    assert page.status_code == 200
    assert "未导入任何数据" in page.text and "不存在界" in page.text
    assert Seat.objects.count() == 0
    upload = SimpleUploadedFile("roster.xlsx", _xlsx(_rows()).read())
    done = client.post(reverse("admin:members_seat_import"), {"term": term.pk, "file": upload})
    assert done.status_code == 302
    assert Seat.objects.count() == 3


def test_a_roster_over_the_row_limit_is_refused_whole(term, xuhui_admin):
    from members.roster import MAX_ROWS

    rows = [{"name": f"委员{n}", "id_number": f"HK{n:07d}"} for n in range(MAX_ROWS + 1)]
    report = import_roster(_xlsx(rows), term=term, by=xuhui_admin)
    assert [e.message for e in report.errors] == [f"名册最多 {MAX_ROWS} 行，请分批导入。"]
    assert not Seat.objects.exists()


def test_a_file_that_unpacks_huge_is_refused_before_it_is_read(term, xuhui_admin):
    """One enormous compressed part (an oversized cell compresses to almost nothing)."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from members.roster import UNPACKED_MAX_BYTES

    buffer = _xlsx(_rows())
    with ZipFile(buffer, "a", compression=ZIP_DEFLATED) as book:
        book.writestr("xl/padding.xml", b"A" * (UNPACKED_MAX_BYTES + 1))
    assert buffer.getbuffer().nbytes < 200_000
    buffer.seek(0)
    report = import_roster(buffer, term=term, by=xuhui_admin)
    assert "解压后超过" in report.errors[0].message
    assert not Seat.objects.exists()


def test_an_oversized_cell_is_an_error_of_its_row(term, xuhui_admin):
    rows = _rows()
    rows[2]["employer"] = "很" * 501
    report = import_roster(_xlsx(rows), term=term, by=xuhui_admin)
    assert [(e.row, e.column) for e in report.errors] == [(4, "工作单位及职务")]
    assert not Seat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_roster_is_imported_by_the_worker_with_a_progress_page(
    celery_worker, client, term, xuhui_admin, huangpu, settings, tmp_path
):
    import time

    from members.models import RosterImport
    from members.roster import WORKER_ROWS
    from members.tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    rows = [{"name": f"委员{n}", "id_number": f"HK{n:07d}"} for n in range(WORKER_ROWS + 1)]
    client.force_login(xuhui_admin)
    upload = SimpleUploadedFile("大名册.xlsx", _xlsx(rows).read())
    answer = client.post(reverse("admin:members_seat_import"), {"term": term.pk, "file": upload})
    job = RosterImport.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:members_seat_import_progress", args=[job.pk])
    assert job.file.name.startswith("rosters/") and job.file_name == "大名册.xlsx"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (RosterImport.State.DONE, RosterImport.State.FAILED):
            break
        page = client.get(answer["Location"])
        assert page.status_code == 200 and 'http-equiv="refresh"' in page.text
        time.sleep(0.5)
    assert (job.state, job.created) == (RosterImport.State.DONE, WORKER_ROWS + 1)
    assert Seat.objects.filter(term=term).count() == WORKER_ROWS + 1
    page = client.get(answer["Location"])
    assert "导入成功" in page.text and 'http-equiv="refresh"' not in page.text
    # Another district's staff cannot see the job.
    client.force_login(
        UserFactory(committee=huangpu, is_staff=True, is_superuser=False, roles=["committee_admin"])
    )
    assert client.get(answer["Location"]).status_code == 404
