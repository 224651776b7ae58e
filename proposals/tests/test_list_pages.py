"""The portal's proposal lists (a member's, a handling unit's) read the same number of queries
for one row and for fifty."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from proposals import workflow
from proposals.tests.helpers import assign_copies, copies, filed, submitted


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return len(captured), len(page.context["page"].object_list)


def test_a_members_and_a_units_lists_do_not_grow_with_their_rows(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    first = filed(submitted(xuhui, session, category, member, title="提案0"), staff)
    workflow.assign(first, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE])
    pages = [(member[0], reverse("proposals:mine")), (unit_user, reverse("proposals:unit"))]
    one = []
    for user, url in pages:
        client.force_login(user)
        client.get(url)
        one.append(_queries(client, url))
    first.refresh_from_db()
    rows = copies(first, 49, number=first.number + 1)
    assign_copies(rows, unit)  # overdue: the flag is read for each row shown
    many = []
    for user, url in pages:
        client.force_login(user)
        many.append(_queries(client, url))
    assert [rows for _n, rows in one] == [1, 1]
    assert [rows for _n, rows in many] == [20, 30]  # a page of each
    assert [n for n, _rows in one] == [n for n, _rows in many]
