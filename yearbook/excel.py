"""The Excel export of a snapshot: one sheet per section with Chinese headings, and the
districts side by side for a committee that has them; and its rows for a CSV export."""

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from core.excel import workbook_bytes
from yearbook.models import Snapshot
from yearbook.report import compare, present

BOLD = Font(bold=True)


def workbook(snapshot: Snapshot, districts: list[Snapshot] = ()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    with translation.override(settings.LANGUAGE_CODE):
        computed = timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")
        for section in present(snapshot):
            sheet = book.create_sheet(section["title"][:31])
            _header(sheet, [f"{snapshot.committee.name} {snapshot.year}年度 {section['title']}"])
            sheet.append([f"计算时间：{computed}"])
            sheet.append([])
            _header(sheet, ["指标", "数值", "单位"])
            for figure in section["figures"]:
                sheet.append([figure["label"], figure["value"], figure["unit"]])
            for breakdown in section["breakdowns"]:
                sheet.append([])
                _header(sheet, [breakdown["label"], "数量"])
                for item in breakdown["items"]:
                    sheet.append([item["label"], item["value"]])
            sheet.column_dimensions["A"].width = 28
        if districts:
            table = compare(districts)
            sheet = book.create_sheet("各区对比")
            _header(
                sheet, ["政协委员会", *[f"{c['label']}（{c['unit']}）" for c in table["columns"]]]
            )
            for row in table["rows"]:
                sheet.append([row["committee"].short_name, *row["values"]])
            sheet.column_dimensions["A"].width = 28
    return workbook_bytes(book)


def _header(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


CSV_HEADINGS = ["领域", "指标", "数值", "单位"]


def csv_rows(snapshot: Snapshot):
    """The snapshot as rows of CSV_HEADINGS: each figure, then each breakdown's items."""
    with translation.override(settings.LANGUAGE_CODE):
        sections = present(snapshot)
    for section in sections:
        for figure in section["figures"]:
            yield [section["title"], figure["label"], figure["value"], figure["unit"]]
        for breakdown in section["breakdowns"]:
            for item in breakdown["items"]:
                label = f"{breakdown['label']}：{item['label']}"
                yield [section["title"], label, item["value"], ""]
