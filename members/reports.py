"""Members' yearly figures: visits 走访 (DOMAIN §6), and the ranking workbook."""

from django.db.models import Count, Q
from openpyxl import Workbook

from core.excel import append_row, workbook_bytes
from members.models import Seat, SeatStatus, Visit


def visit_figures(committee, year: int) -> dict:
    """Members visited ÷ active members, and enterprises visited, in `year` (database counts)."""
    visits = Visit.objects.filter(committee=committee, visited_on__year=year)
    counts = visits.aggregate(
        visits=Count("pk"),
        members_visited=Count("seat", filter=Q(kind=Visit.Kind.MEMBER), distinct=True),
        enterprises_visited=Count(
            "enterprise", filter=Q(kind=Visit.Kind.ENTERPRISE), distinct=True
        ),
    )
    active = Seat.objects.filter(committee=committee, status=SeatStatus.ACTIVE).count()
    counts["active_members"] = active
    counts["coverage"] = round(100 * counts["members_visited"] / active, 1) if active else None
    return counts


def ranking_workbook(seats, *, committee, year: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年度履职排名"
    append_row(sheet, ["名次", "姓名", "界别", "党派", "履职次数", "履职得分"])
    for place, seat in enumerate(seats, start=1):
        append_row(
            sheet,
            [
                place,
                seat.person.name,
                seat.sector.name if seat.sector else "",
                seat.party.name if seat.party else "",
                seat.act_count,
                float(seat.points),
            ],
        )
    return workbook_bytes(book)
