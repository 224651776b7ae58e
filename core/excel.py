"""Excel and CSV downloads: a workbook as bytes and the response that serves one, formula-safe
rows (user text that Excel would read as a formula is written as text), and the streamed tables
of the API's exports (CSV written row by row as it is read; xlsx built in a write-only workbook
on disk, then sent in chunks)."""

import csv
import tempfile
from datetime import datetime
from io import BytesIO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
# A cell starting with one of these is a formula (or its start) to Excel and other spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """The value as a cell may hold it: text that would start a formula gets a leading
    apostrophe, so that a title such as `=HYPERLINK(…)` is shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def append_row(sheet, values) -> None:
    """Append one row of cells to the sheet, every text cell formula-safe."""
    sheet.append([safe(value) for value in values])


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(filename: str, headings: list[str], rows) -> HttpResponse:
    """One sheet: a row of headings, then the rows."""
    book = Workbook()
    sheet = book.active
    append_row(sheet, headings)
    for row in rows:
        append_row(sheet, row)
    return xlsx_response(workbook_bytes(book), filename)


def _plain(value):
    """A value openpyxl and csv take: local naive times, None as empty."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    return str(safe(value))  # numbers and dates as they are; text formula-safe


class _Line:
    def write(self, value: str) -> str:
        return value


def streamed_csv(filename: str, headings: list[str], rows) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark (Excel opens it as such); formulas defused."""
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff" + writer.writerow(headings)
        for row in rows:
            yield writer.writerow([_csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=f"{CSV}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def streamed_xlsx(filename: str, title: str, headings: list[str], rows) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(headings)
    for row in rows:
        sheet.append([safe(_plain(value)) for value in row])
    return xlsx_file(book, filename)


def xlsx_file(book: Workbook, filename: str) -> FileResponse:
    """Send a workbook from a temporary file, in chunks."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    book.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
