"""The workstations section of the yearly statistics (DOMAIN §5), from workstations.stats."""

from django.utils.translation import gettext_lazy as _

from workstations.stats import district_figures
from yearbook.registry import Figure, Rate, section


@section(
    "workstations",
    title=_("站室点建设"),
    order=30,
    figures=[
        Figure("stations", _("委员工作站"), _("个"), headline=True),
        Figure("studios", _("界别委员工作室"), _("个")),
        Figure("contact_points", _("联系点"), _("个")),
        # the sectors of different committees are different rows: not added up
        Figure("studio_sectors", _("工作室覆盖界别"), _("个"), total=None),
        Figure("certified", _("达标授牌"), _("个")),
        Figure("demonstrations", _("示范点"), _("个")),
        Figure("streets", _("街镇"), _("个")),
        Figure("covered_streets", _("已建站街镇"), _("个")),
        Figure(
            "street_coverage",
            _("街镇覆盖率"),
            "%",
            total=Rate(("covered_streets",), ("streets",)),
        ),
        Figure("seats", _("在职委员"), _("人")),
        Figure("placed_seats", _("进站委员"), _("人")),
        Figure(
            "entry_rate",
            _("进站率"),
            "%",
            headline=True,
            total=Rate(("placed_seats",), ("seats",)),
        ),
        Figure("activities", _("站室点活动"), _("次"), headline=True),
        Figure("participants", _("群众参与"), _("人次")),
        Figure("workstations", _("站室点合计"), _("个")),
        Figure(
            "activities_per_workstation",
            _("站均活动"),
            _("次"),
            total=Rate(("activities",), ("workstations",), scale=1),
        ),
    ],
)
def workstations(committee, year: int) -> dict:
    return district_figures([committee.pk], year)[committee.pk]
