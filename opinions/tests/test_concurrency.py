"""Offices acting at once: issue numbers stay gap-free, and one of many screenings wins."""

import threading

import pytest
from django.db import close_old_connections, connection

from core.errors import DomainError
from opinions import workflow
from opinions.models import Report
from opinions.tests.helpers import accepted, submitted


def _race(functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait()
            results.append(function())
        except DomainError as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_get_numbers_one_to_twenty(xuhui, member, office):
    reports = [
        workflow.combine([accepted(xuhui, member, office, title=f"信息{i}")], by=office)
        for i in range(20)
    ]
    results, errors = _race([lambda r=r: workflow.issue(r, by=office) for r in reports])
    assert errors == [] and len(results) == 20
    numbers = sorted(Report.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_first_issue_of_a_year_raced_by_many(xuhui, member, office):
    """No counter row exists yet: the racers create it once and still number 1..n."""
    reports = [
        workflow.combine([accepted(xuhui, member, office, title=f"新年{i}")], by=office)
        for i in range(8)
    ]
    _results, errors = _race([lambda r=r: workflow.issue(r, by=office) for r in reports])
    assert errors == []
    assert sorted(Report.objects.values_list("number", flat=True)) == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_ten_offices_screening_one_piece_exactly_one_wins(xuhui, member, office):
    piece = submitted(xuhui, member)
    decisions = ["accept", "keep"] * 5
    results, errors = _race(
        [
            lambda d=d: workflow.screen(piece, decision=d, reason="重复信息", by=office)
            for d in decisions
        ]
    )
    assert len(results) == 1 and len(errors) == 9


@pytest.mark.django_db(transaction=True)
def test_two_editors_combining_the_same_piece(xuhui, member, office):
    piece = accepted(xuhui, member, office)
    results, errors = _race([lambda: workflow.combine([piece], by=office)] * 2)
    assert len(results) == 1 and len(errors) == 1
    assert Report.objects.count() == 1
