"""The Excel export of a snapshot: one sheet per section with Chinese headings, and for a
committee that has districts, the districts side by side and the roll-up 市区联动汇总; and its
rows for a CSV export."""

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from core.excel import append_row, workbook_bytes
from yearbook.models import Snapshot
from yearbook.report import compare, present

BOLD = Font(bold=True)


def workbook(
    snapshot: Snapshot, districts: list[Snapshot] = (), rollup: dict | None = None
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    with translation.override(settings.LANGUAGE_CODE):
        computed = timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")
        for section in present(snapshot):
            sheet = book.create_sheet(section["title"][:31])
            _header(sheet, [f"{snapshot.committee.name} {snapshot.year}年度 {section['title']}"])
            append_row(sheet, [f"计算时间：{computed}"])
            append_row(sheet, [])
            _header(sheet, ["指标", "数值", "单位"])
            for figure in section["figures"]:
                append_row(sheet, [figure["label"], figure["value"], figure["unit"]])
            for breakdown in section["breakdowns"]:
                append_row(sheet, [])
                _header(sheet, [breakdown["label"], "数量"])
                for item in breakdown["items"]:
                    append_row(sheet, [item["label"], item["value"]])
            sheet.column_dimensions["A"].width = 28
        if districts:
            table = compare(districts)
            sheet = book.create_sheet("各区对比")
            _header(
                sheet, ["政协委员会", *[f"{c['label']}（{c['unit']}）" for c in table["columns"]]]
            )
            for row in table["rows"]:
                append_row(sheet, [row["committee"].short_name, *row["values"]])
            sheet.column_dimensions["A"].width = 28
        if rollup:
            _rollup_sheet(book.create_sheet("市区联动汇总"), rollup)
    return workbook_bytes(book)


def _rollup_sheet(sheet, rollup: dict) -> None:
    """Every figure: own work, each committee below, the total and how it is made."""
    names = [part.short_name for part in rollup["parts"]]
    for section in rollup["sections"]:
        _header(sheet, [section["title"]])
        _header(sheet, ["指标", "单位", "本级", *names, "合计", "合计方式"])
        for figure in section["figures"]:
            sheet.append(
                [
                    figure["label"],
                    figure["unit"],
                    figure["own"],
                    *figure["parts"],
                    figure["total"],
                    figure["rule"],
                ]
            )
        sheet.append([])
    sheet.column_dimensions["A"].width = 28


def _header(sheet, values: list) -> None:
    append_row(sheet, values)
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
