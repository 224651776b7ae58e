"""Fixtures shared by every app's tests: a small committee tree and users in it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.roles import Role
from members.models import Level
from members.tests.factories import CommitteeFactory, HandlingUnitFactory, UserFactory
from members.workflow import issue_api_token


@pytest.fixture
def shanghai(db):
    return CommitteeFactory(level=Level.MUNICIPAL, region_code="310000", short_name="上海市政协")


@pytest.fixture
def xuhui(shanghai):
    return CommitteeFactory(parent=shanghai, region_code="310104", short_name="徐汇区政协")


@pytest.fixture
def huangpu(shanghai):
    return CommitteeFactory(parent=shanghai, region_code="310101", short_name="黄浦区政协")


@pytest.fixture
def xuhui_admin(xuhui):
    return UserFactory(
        username="xh_admin", committee=xuhui, is_staff=True, roles=[Role.COMMITTEE_ADMIN]
    )


@pytest.fixture
def xuhui_office(xuhui):
    return UserFactory(
        username="xh_office", committee=xuhui, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )


@pytest.fixture
def huangpu_office(huangpu):
    return UserFactory(
        username="hp_office", committee=huangpu, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )


@pytest.fixture
def shanghai_office(shanghai):
    return UserFactory(
        username="sh_office", committee=shanghai, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )


@pytest.fixture
def xuhui_unit(xuhui):
    return HandlingUnitFactory(committee=xuhui, name="区教育局")


@pytest.fixture
def huangpu_unit(huangpu):
    return HandlingUnitFactory(committee=huangpu, name="黄浦区教育局")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def xuhui_token(xuhui, xuhui_admin):
    """(token, key) of a Xuhui district office's API client."""
    return issue_api_token(committee=xuhui, name="徐汇区政协办公室系统", by=xuhui_admin)


@pytest.fixture
def xuhui_api(xuhui_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {xuhui_token[1]}")
    return client


@pytest.fixture
def list_queries():
    """measure(client, url) -> (number of SQL queries, JSON body) of one GET."""

    def measure(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content
        return len(queries), response.json()

    return measure


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (threads in this process) on this test run's own Redis queue."""
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task used at start-up
    from celery.contrib.testing.worker import start_worker

    from cppcc_portal.celery import app

    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=True, shutdown_timeout=30
    ) as worker:
        yield worker


@pytest.fixture
def assert_constant_list_queries(list_queries):
    """check(client, url, make_rows, committee): the list answers 1 row, then 50 rows, with the
    same number of SQL queries. make_rows(committee, n) adds n rows."""

    def check(client, url, make_rows, committee):
        client.get(url)  # first use of a token stamps last_used_at
        make_rows(committee, 1)
        one, body_one = list_queries(client, url + "?page_size=100")
        make_rows(committee, 49)
        fifty, body_fifty = list_queries(client, url + "?page_size=100")
        assert (len(body_one["results"]), len(body_fifty["results"])) == (1, 50)
        assert one == fifty

    return check


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash many passwords; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_token_failure_window():
    """Failed token attempts and anonymous API requests are counted per address in Redis,
    which outlives a test: the test client's address starts each test with none. (Tokens and
    users are counted by id, new in every test.)"""
    from django.core.cache import cache

    from core import redis_client
    from members.authentication import FailedTokenThrottle

    cache.delete(
        FailedTokenThrottle.cache_format
        % {"scope": FailedTokenThrottle.scope, "ident": "127.0.0.1"}
    )
    anonymous = redis_client.key("api-rate", "anon", "127.0.0.1", "*")
    for key in redis_client.client().scan_iter(anonymous):
        redis_client.client().delete(key)


def _point_celery_at(broker_url: str, backend_url: str) -> None:
    from cppcc_portal.celery import app

    app.conf.broker_url, app.conf.result_backend = broker_url, backend_url
    # Forget the connections and the result store made for the previous URLs.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_down():
    """Celery's broker and result store at a closed port, as when Redis is down (the rest of the
    test run keeps the real Redis). Yields `back()`, which brings Redis back for the test."""
    from cppcc_portal.celery import app

    saved = app.conf.broker_url, app.conf.result_backend
    _point_celery_at("redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0")
    yield lambda: _point_celery_at(*saved)
    _point_celery_at(*saved)
