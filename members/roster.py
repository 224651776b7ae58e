"""Roster import and export (.xlsx): staff keep their committee's seats in Excel.

An import validates the whole file first; if any cell is wrong nothing is written and the report
lists every error by row and column. Otherwise every row is applied in one transaction: the person
is found by ID number (or created), and their seat in the chosen term is created or updated.

A person's identity is changed only by staff of a committee where that person already sits. An ID
number that belongs to someone with no seat in the importing committee is refused with one neutral
message (no name, no committee, nothing of theirs is read back or changed); linking a member of
another committee — a three-level member — is the system administrator's job. The counts speak
of the importing committee's own seats only.
Exports use the same columns, so an exported file can be edited and imported again.

A file is bounded before it is parsed and while it is read, so that a small upload cannot hold a
request for long or take much memory: its unpacked parts (an .xlsx is a zip; one compressed cell
of 100 MB fits in 100 KB) may not exceed UNPACKED_MAX_BYTES, the sheet is streamed (read-only)
and reading stops at MAX_ROWS data rows or MAX_SCANNED_ROWS rows in all (blank ones included);
a cell longer than MAX_CELL_CHARS is an error of its row. A roster of more than WORKER_ROWS rows
is imported by the Celery worker (start_import → members.tasks.import_roster_file), its page
showing the rows applied so far.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zipfile import BadZipFile, ZipFile

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.errors import NotAllowed
from core.excel import append_row, workbook_bytes
from core.scoping import can_write
from core.text import normalise
from members.models import (
    Party,
    Person,
    RosterImport,
    Seat,
    SeatStatus,
    Sector,
    SpecialCommittee,
    Term,
    validate_id_number,
)
from members.privacy import with_personal_data_flag

COLUMNS = [  # (field, heading)
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("ethnicity", "民族"),
    ("id_number", "证件号码"),
    ("phone", "手机号码"),
    ("address", "住址"),
    ("employer", "工作单位及职务"),
    ("sector", "界别"),
    ("party", "党派"),
    ("special_committees", "专门委员会"),
    ("is_standing_committee", "常委"),
    ("position", "职务"),
    ("status", "状态"),
    ("is_hk_macao", "港澳委员"),
    ("started_on", "任职日期"),
    ("ended_on", "离任日期"),
]
HEADINGS = dict(COLUMNS)
ROSTER_SHEET = "委员名册"
REQUIRED = ("name", "id_number")
PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "phone",
    "address",
    "employer",
)
SEAT_FIELDS = (
    "sector",
    "party",
    "is_standing_committee",
    "position",
    "status",
    "is_hk_macao",
    "started_on",
    "ended_on",
)
PHONE = re.compile(r"^1\d{10}$")

MAX_ROWS = 5000  # a committee's roster (Shanghai's municipal committee seats about 800)
MAX_SCANNED_ROWS = 4 * MAX_ROWS
MAX_CELL_CHARS = 500
UNPACKED_MAX_BYTES = 50 * 1024 * 1024
# Rosters of more rows are imported by the worker, with a progress page (about 9 ms a row).
WORKER_ROWS = 300
PROGRESS_EVERY = 50


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RosterReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Cells:
    """Parses one row's cells, collecting errors instead of stopping at the first."""

    def __init__(self, row_number: int, values: dict, report: RosterReport):
        self.row, self.values, self.report = row_number, values, report

    def error(self, name: str, message: str) -> None:
        self.report.errors.append(RowError(self.row, HEADINGS[name], message))

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value).strip()

    def too_long(self) -> bool:
        """Report every cell over MAX_CELL_CHARS (the row is then not parsed further)."""
        long = [
            name for name, value in self.values.items() if len(str(value or "")) > MAX_CELL_CHARS
        ]
        for name in long:
            self.error(name, _("内容过长（不超过 %(n)d 个字符）。") % {"n": MAX_CELL_CHARS})
        return bool(long)

    def date(self, name: str) -> date | None:
        value = self.values.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
        except ValueError:
            self.error(name, _("日期格式应为 2024-01-31。"))
            return None

    def yes_no(self, name: str) -> bool:
        text = self.text(name)
        if text in ("", "否", "N", "n", "0"):
            return False
        if text in ("是", "Y", "y", "1"):
            return True
        self.error(name, _("请填写“是”或“否”。"))
        return False

    def choice(self, name: str, choices, default):
        text = self.text(name)
        if not text:
            return default
        by_label = {str(label): value for value, label in choices}
        if text in by_label:
            return by_label[text]
        self.error(
            name,
            _("“%(value)s”不是可选值（%(options)s）。")
            % {"value": text, "options": "、".join(by_label)},
        )
        return default

    def entry(self, name: str, entries: dict):
        text = self.text(name)
        if not text:
            return None
        if text not in entries:
            self.error(name, _("本政协没有“%(value)s”。") % {"value": text})
        return entries.get(text)


def _directory(model, committee) -> dict:
    return {entry.name: entry for entry in model.objects.filter(committee=committee)}


def _parse_row(cells: _Cells, lists: dict, term: Term) -> dict:
    for name in REQUIRED:
        if not cells.text(name):
            cells.error(name, _("必填。"))
    data = {
        "name": cells.text("name"),
        "gender": cells.choice("gender", Person.Gender.choices, ""),
        "birth_date": cells.date("birth_date"),
        "ethnicity": cells.text("ethnicity") or "汉族",
        "id_number": cells.text("id_number").upper(),
        "phone": cells.text("phone"),
        "address": cells.text("address"),
        "employer": cells.text("employer"),
        "sector": cells.entry("sector", lists["sector"]),
        "party": cells.entry("party", lists["party"]),
        "is_standing_committee": cells.yes_no("is_standing_committee"),
        "position": cells.choice("position", Seat.Position.choices, Seat.Position.MEMBER),
        "status": cells.choice("status", SeatStatus.choices, SeatStatus.ACTIVE),
        "is_hk_macao": cells.yes_no("is_hk_macao"),
        "started_on": cells.date("started_on") or term.starts_on,
        "ended_on": cells.date("ended_on"),
    }
    for name, kind in Person.text_fields.items():
        try:
            data[name] = normalise(data[name], kind=kind, field=HEADINGS[name])
        except ValidationError as error:
            cells.error(name, error.messages[0])
    if data["id_number"]:
        try:
            validate_id_number(data["id_number"])
        except ValidationError as error:
            cells.error("id_number", error.messages[0])
    if data["phone"] and not PHONE.match(data["phone"]):
        cells.error("phone", _("手机号码为以1开头的11位数字。"))
    if data["ended_on"] and data["ended_on"] < data["started_on"]:
        cells.error("ended_on", _("离任日期不能早于任职日期。"))
    names = [n for n in re.split(r"[、,，;；\s]+", cells.text("special_committees")) if n]
    unknown = [n for n in names if n not in lists["special"]]
    if unknown:
        cells.error(
            "special_committees", _("本政协没有“%(value)s”。") % {"value": "、".join(unknown)}
        )
    data["special_committees"] = [lists["special"][n] for n in names if n in lists["special"]]
    return data


def read_roster(file, *, term: Term) -> tuple[list[dict], RosterReport]:
    """Parse and validate every row; return the rows and the report (errors, if any)."""
    report = RosterReport()
    try:
        unpacked = sum(item.file_size for item in ZipFile(file).infolist())
        file.seek(0)
        if unpacked > UNPACKED_MAX_BYTES:
            report.errors.append(
                RowError(
                    0,
                    "",
                    _("文件解压后超过 %(n)d MB，请检查是否含有超大单元格。")
                    % {"n": UNPACKED_MAX_BYTES // (1024 * 1024)},
                )
            )
            return [], report
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, IndexError):
        report.errors.append(RowError(0, "", _("无法读取文件，请上传 Excel（.xlsx）文件。")))
        return [], report
    rows = sheet.iter_rows(values_only=True)
    by_heading = {heading: name for name, heading in COLUMNS}
    header = [by_heading.get(str(cell).strip()) if cell else None for cell in next(rows, [])]
    missing = [HEADINGS[name] for name in REQUIRED if name not in header]
    if missing:
        report.errors.append(
            RowError(1, "、".join(missing), _("缺少必需的列，请使用导出的名册作为模板。"))
        )
        return [], report
    lists = {
        "sector": _directory(Sector, term.committee),
        "party": _directory(Party, term.committee),
        "special": _directory(SpecialCommittee, term.committee),
    }
    parsed, seen = [], {}
    for number, values in enumerate(rows, start=2):
        blank = not any(v not in (None, "") for v in values)
        if number > MAX_SCANNED_ROWS + 1 or (not blank and len(parsed) >= MAX_ROWS):
            report.errors.append(
                RowError(number, "", _("名册最多 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
            )
            return [], report
        if blank:
            continue
        cells = _Cells(number, {n: v for n, v in zip(header, values, strict=False) if n}, report)
        if cells.too_long():
            continue
        data = _parse_row(cells, lists, term)
        data["_row"] = number
        if data["id_number"] in seen:
            cells.error("id_number", _("与第 %(row)d 行重复。") % {"row": seen[data["id_number"]]})
        seen.setdefault(data["id_number"], number)
        parsed.append(data)
    if not parsed and not report.errors:
        report.errors.append(RowError(2, "", _("文件中没有数据行。")))
    return parsed, report


def import_roster(file, *, term: Term, by, progress=None) -> RosterReport:
    """Import a roster into `term`: all rows or none (see the module docstring). `progress`, if
    given, is called with the number of rows applied so far every PROGRESS_EVERY rows."""
    if not (by.has_perm("members.add_seat") and can_write(by, term.committee_id)):
        raise NotAllowed(_("只能导入本政协的委员名册。"))
    rows, report = read_roster(file, term=term)
    if report.ok:
        _refuse_other_committees_people(rows, term=term, by=by, report=report)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for done, data in enumerate(rows, start=1):
                _apply(data, term=term, by=by, report=report)
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done)
    except IntegrityError as error:
        report.errors.append(RowError(0, "", _("保存失败，未导入任何数据：%(e)s") % {"e": error}))
        report.created = report.updated = 0
    return report


def _refuse_other_committees_people(rows, *, term: Term, by, report: RosterReport) -> None:
    if by.is_superuser:
        return
    numbers = [data["id_number"] for data in rows]
    foreign = set(
        Person.objects.filter(id_number__in=numbers)
        .exclude(seats__committee=term.committee_id)
        .values_list("id_number", flat=True)
    )
    for data in rows:
        if data["id_number"] in foreign:
            report.errors.append(
                RowError(
                    data["_row"],
                    HEADINGS["id_number"],
                    _("该证件号码不能由本政协导入，请联系系统管理员核实。"),
                )
            )


def _apply(data: dict, *, term: Term, by, report: RosterReport) -> None:
    person = Person.objects.filter(id_number=data["id_number"]).first() or Person()
    for name in PERSON_FIELDS:
        setattr(person, name, data[name])
    person._history_user = by
    person.save()
    seat = Seat.objects.filter(person=person, term=term).first()
    if seat is None:
        seat = Seat(person=person, term=term, committee=term.committee)
        report.created += 1
    else:
        report.updated += 1
    for name in SEAT_FIELDS:
        setattr(seat, name, data[name])
    seat._history_user = by
    seat._change_reason = _("名册导入")
    seat.save()
    seat.special_committees.set(data["special_committees"])


def roster_rows(seats, *, user):
    """The seats as roster rows (the columns of COLUMNS); personal data only where the user may
    see it. Read in chunks, so that a whole committee's roster streams."""
    seats = with_personal_data_flag(
        seats.select_related("person", "sector", "party").prefetch_related("special_committees"),
        user,
        via="person",
    )
    for seat in seats.iterator(chunk_size=500):
        person, visible = seat.person, seat.personal_visible
        yield [
            person.name,
            person.get_gender_display() if person.gender else "",
            person.birth_date,
            person.ethnicity,
            person.id_number if visible else "",
            person.phone if visible else "",
            person.address if visible else "",
            person.employer,
            seat.sector.name if seat.sector else "",
            seat.party.name if seat.party else "",
            "、".join(sc.name for sc in seat.special_committees.all()),
            "是" if seat.is_standing_committee else "否",
            seat.get_position_display(),
            seat.get_status_display(),
            "是" if seat.is_hk_macao else "否",
            seat.started_on,
            seat.ended_on,
        ]


def export_roster(seats, *, user) -> bytes:
    """The seats as an .xlsx roster; personal data only where the user may see it."""
    book = Workbook()
    sheet = book.active
    sheet.title = ROSTER_SHEET
    append_row(sheet, [heading for _name, heading in COLUMNS])
    for row in roster_rows(seats, user=user):
        append_row(sheet, row)
    for column in ("C", "P", "Q"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    return workbook_bytes(book)


def start_import(file, *, term: Term, by, rows: int) -> RosterImport:
    """Keep the file and let the worker import it (after this transaction commits)."""
    from members.tasks import import_roster_file

    if not (by.has_perm("members.add_seat") and can_write(by, term.committee_id)):
        raise NotAllowed(_("只能导入本政协的委员名册。"))
    job = RosterImport.objects.create(
        term=term, file=file, file_name=file.name[:200], rows=rows, created_by=by
    )
    transaction.on_commit(lambda: import_roster_file.delay(job.pk))
    return job


def progress_key(job_id: int) -> str:
    return f"members:roster-import:{job_id}"


def run_import(job_id: int) -> RosterImport:
    """The worker's part: import the kept file, recording the outcome on the job."""
    job = RosterImport.objects.select_related("term__committee", "created_by").get(pk=job_id)
    if job.state not in (RosterImport.State.QUEUED, RosterImport.State.RUNNING):
        return job  # a redelivered task: already finished
    RosterImport.objects.filter(pk=job.pk).update(state=RosterImport.State.RUNNING)
    with job.file.open("rb") as file:
        report = import_roster(
            file,
            term=job.term,
            by=job.created_by,
            progress=lambda done: cache.set(progress_key(job.pk), done, 24 * 3600),
        )
    job.state = RosterImport.State.DONE if report.ok else RosterImport.State.FAILED
    job.created, job.updated = report.created, report.updated
    job.errors = [[e.row, e.column, str(e.message)] for e in report.errors]
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "created", "updated", "errors", "finished_at"])
    cache.set(progress_key(job.pk), job.rows if report.ok else 0, 24 * 3600)
    return job
