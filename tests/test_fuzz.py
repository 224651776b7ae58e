"""Schema fuzzing (issue 16): Schemathesis calls every operation of the API in-process (WSGI)
with generated input — as a district office's token and as a staff session — and asserts no
server error and answers that conform to the schema (status code, content type, body).

Bounded for the suite: a few examples per operation, derandomized (the same cases every run).
`make fuzz` runs many more examples (FUZZ_EXAMPLES)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cppcc_portal.wsgi import application
from members.workflow import issue_api_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    """The schema, called in-process. As Django's test client does, requests must not close the
    test's database connection (its transaction holds the worlds)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


CSRF = "f" * 32  # a CSRF secret the session caller sends as cookie and header alike


@pytest.fixture
def callers(worlds, world_staff):
    """(headers, cookies) of the two kinds of callers: a district office's token, and a staff
    session with its CSRF token (so that writes get past CSRF to the API's own checks)."""
    _token, key = issue_api_token(committee=worlds[0].committee, name="fuzz", by=world_staff)
    browser = Client()
    browser.force_login(world_staff)
    session = browser.cookies["sessionid"].value
    return [
        ({"Authorization": f"Token {key}"}, {}),
        ({"X-CSRFToken": CSRF}, {"sessionid": session, "csrftoken": CSRF}),
    ]


def test_no_operation_fails_or_breaks_its_schema(api_schema, callers):
    """Every operation, each caller; all failures are reported together."""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 90
    for operation in operations:

        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            generated = dict(case.cookies or {})
            for headers, cookies in callers:
                case.cookies = {**generated, **cookies}
                case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as error:  # collected, all reported below
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert failures == [], "\n\n".join(failures)
