"""The yearly figures against hand-counted values, and the city's view of its districts."""

from datetime import datetime

import pytest
from django.utils import timezone

from opinions import workflow
from opinions.models import Piece
from opinions.stats import opinion_figures
from opinions.tests.helpers import accepted, reported, submitted
from yearbook.registry import SECTIONS

pytestmark = pytest.mark.django_db


def test_figures_of_a_year(xuhui, shanghai, member, other_member, office, city_office):
    kept = submitted(xuhui, other_member, title="存档")
    workflow.screen(kept, decision="keep", reason="已有类似信息", by=office)
    accepted(xuhui, member, office, title="待编")
    adopted = reported(xuhui, member, office, title="已采用")
    workflow.record_outcome(adopted, kind="adopted", level="district", by=office)
    workflow.record_outcome(adopted, kind="adopted", level="municipal", by=office)
    workflow.record_outcome(
        adopted, kind="instruction", level="municipal", leader="市领导", content="阅", by=office
    )
    last_year = submitted(xuhui, member, title="去年的")
    year = timezone.localdate().year
    old = timezone.make_aware(datetime(year - 1, 6, 1))
    Piece.objects.filter(pk=last_year.pk).update(received_at=old)
    figures = opinion_figures(xuhui, year)
    assert figures["received"] == 3 and figures["received_previous_year"] == 1
    assert figures["received_change"] == 200.0
    assert (figures["accepted"], figures["kept"]) == (2, 1)
    assert (figures["reports_edited"], figures["reported"]) == (1, 1)
    assert (figures["adopted_district"], figures["adopted_municipal"]) == (1, 1)
    assert (figures["adopted_national"], figures["instructed"]) == (0, 1)
    assert figures["by_submitter_kind"] == {"member": 3}
    assert figures["by_sector"] == {"医药卫生界": 2}
    assert figures["top_members"] == {"xh_writer": 2, "xh_other": 1}
    city = SECTIONS["opinions"].compute(shanghai, year)
    assert city["received"] == 1  # the district's report, forwarded
    assert city["districts_received"]["徐汇区政协"] == 3 and city["districts_total"] == 3
