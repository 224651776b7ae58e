"""Hostile query parameters on every API list and figures route answer 400 or 200, never 500:
digits that str.isdigit() accepts and int() refuses ("²"), years out of any calendar, NUL,
fractions, huge numbers, garbage cursors and orderings. Bounded: one request per combination."""

import pytest

from cppcc_portal.urls import router

HOSTILE = ["²", "-1", "0", "99999", "1.5", "\x00", "abc", "1e9"]
PARAMS = ["year", "committee", "session", "page_size", "cursor", "search", "ordering", "overdue"]
FIGURES = ["proposal-figures", "consultation-figures", "workstation-figures", "me"]


@pytest.mark.django_db
def test_no_hostile_parameter_makes_a_server_error(worlds, world_token):
    paths = [f"/api/v1/{prefix}/" for prefix, _viewset, _name in router.registry]
    paths += [f"/api/v1/{name}/" for name in FIGURES]
    failures = [
        (path, name, value, answer.status_code)
        for path in paths
        for name in PARAMS
        for value in HOSTILE
        if (answer := world_token.get(path, {name: value})).status_code >= 500
    ]
    committee = worlds[0].committee.pk
    failures += [
        (f"statistics/{committee}/{value}", answer.status_code)
        for value in HOSTILE
        if (answer := world_token.get(f"/api/v1/statistics/{committee}/{value}/")).status_code
        >= 500
    ]
    assert failures == []


PAGES = [
    "/",
    "/me/",
    "/proposals/public/",
    "/proposals/mine/",
    "/proposals/figures/",
    "/proposals/unit/",
    "/workstations/",
    "/members/committees/",
    "/members/performance/",
    "/members/visits/",
    "/consultations/",
    "/consultations/overview/",
    "/statistics/",
    "/notifications/",
    "/brands/",
    "/brands/scoring/",
    "/brands/identify/",
]
PAGE_PARAMS = ["year", "committee", "session", "q", "page", "kind", "tier", "series", "next"]


@pytest.mark.django_db
def test_no_hostile_parameter_breaks_a_page(worlds, world_staff, client):
    """The same values on the portal's pages, as staff and anonymously: a page or a form
    error, never a 500."""
    failures = []
    for login in (world_staff, None):
        client.logout()
        if login is not None:
            client.force_login(login)
        failures += [
            (page, name, value, answer.status_code)
            for page in PAGES
            for name in PAGE_PARAMS
            for value in HOSTILE
            if (answer := client.get(page, {name: value})).status_code >= 500
        ]
    assert failures == []
