"""Excel downloads: a workbook as bytes, the HTTP response that serves one, and formula-safe rows
(user text that Excel would read as a formula is written as text)."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
