"""List endpoints not covered in their apps' tests: the same number of queries for one row and
for fifty (rows counted in the page, whatever the pagination gives besides)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.tests.factories import InstructionFactory, MeetingFactory, PlanFactory
from members.tests.factories import CommitteeFactory
from workstations.tests.factories import StreetFactory


def _plans(committee, n, start=[2000]):  # noqa: B006 - a counter of years across calls
    for _ in range(n):
        start[0] += 1
        PlanFactory(committee=committee, year=start[0])


def _instructions(committee, n):
    meeting = MeetingFactory(committee=committee)
    for _ in range(n):
        InstructionFactory(suggestion__meeting=meeting)


def _districts(committee, n):
    made = committee.children.count()
    for i in range(made, made + n):
        CommitteeFactory(parent=committee, region_code=f"9{committee.pk % 100:02d}{i:03d}")


@pytest.mark.parametrize(
    ("url", "make", "before"),
    [
        ("/api/v1/consultation-plans/", _plans, 0),
        ("/api/v1/instructions/", _instructions, 0),
        ("/api/v1/streets/", lambda c, n: StreetFactory.create_batch(n, committee=c), 0),
        ("/api/v1/committees/", _districts, 1),  # the caller's own committee is listed too
    ],
)
def test_list_query_count_is_constant(xuhui_api, xuhui, url, make, before):
    def page():
        with CaptureQueriesContext(connection) as captured:
            response = xuhui_api.get(url, {"page_size": 100})
        assert response.status_code == 200, response.content
        return len(captured), len(response.json()["results"])

    xuhui_api.get(url)  # the first use of a token stamps last_used_at
    make(xuhui, 1)
    one = page()
    make(xuhui, 49 - before)
    fifty = page()
    assert (one[1], fifty[1]) == (before + 1, 50)
    assert one[0] == fifty[0]
