"""Demo: the yearly statistics of every committee for the seed's year (2023) and this year
(the beat schedule recomputes this year's nightly)."""

from django.conf import settings
from django.utils import timezone

from members.models import Committee
from yearbook import workflow

DEMO_YEARS = (2023,)


def seed(stdout) -> None:
    if not settings.DEMO_MODE:
        return
    years = {*DEMO_YEARS, timezone.localdate().year}
    for committee in Committee.objects.all():
        for year in years:
            workflow.compute(committee, year)
    xuhui = Committee.objects.get(region_code="310104").snapshots.get(year=2023)
    proposals, meetings = xuhui.figures["proposals"], xuhui.figures["consultations"]
    stdout.write(
        f"年度统计：徐汇区政协 2023 年提交提案 {proposals['submitted']} 件，"
        f"立案 {proposals['filed']} 件（{proposals['filing_rate']}%），"
        f"按期答复率 {proposals['on_time_rate']}%，双月协商会 {meetings['bimonthly_meetings']} 次，"
        f"调研视察 {meetings['research_visits']} 次，意见建议 {meetings['suggestions']} 条"
    )
