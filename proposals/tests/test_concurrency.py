"""Two people acting at once: numbers stay gap-free, and exactly one of many wins."""

import threading

import pytest
from django.db import close_old_connections, connection

from core.errors import DomainError
from core.roles import Role
from proposals import workflow
from proposals.models import Proposal, Review, State
from proposals.tests.helpers import submitted, to_final_review


def _race(functions):
    """Run the functions in threads released together; return (results, errors)."""
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
def test_twenty_concurrent_filings_get_numbers_one_to_twenty(
    xuhui, session, category, member, staff
):
    proposals = [
        to_final_review(submitted(xuhui, session, category, member, title=f"提案{i}"), staff)
        for i in range(20)
    ]
    director = staff[Role.DIRECTORS_MEETING]
    results, errors = _race(
        [
            lambda p=p: workflow.final_review(p, decision=Review.Decision.FILE, by=director)
            for p in proposals
        ]
    )
    assert errors == [] and len(results) == 20
    numbers = sorted(Proposal.objects.filter(state=State.FILED).values_list("number", flat=True))
    assert numbers == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_same_transition_exactly_one_wins(xuhui, session, category, member, staff):
    proposal = submitted(xuhui, session, category, member)
    office = staff[Role.PROPOSAL_OFFICE]
    results, errors = _race(
        [
            lambda: workflow.first_review(proposal, decision=Review.Decision.PASS, by=office)
            for _ in range(20)
        ]
    )
    assert len(results) == 1 and len(errors) == 19
    assert all(error.status_code == 409 for error in errors)
    proposal.refresh_from_db()
    assert proposal.state == State.SECOND_REVIEW
    assert proposal.transitions.filter(to_state=State.SECOND_REVIEW).count() == 1
    assert proposal.reviews.count() == 1
