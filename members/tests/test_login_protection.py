"""Login protection: a password sprayed across accounts locks the address (core.lockout); failed
API tokens are throttled per address with 429 and Retry-After (members.authentication)."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from members.tests.factories import UserFactory


def _address() -> str:
    seed = uuid.uuid4().int
    return f"10.{seed % 250}.{(seed >> 8) % 250}.{(seed >> 16) % 250 + 1}"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_password_spray_across_six_accounts_locks_the_address(client, settings, xuhui):
    settings.AXES_IP_FAILURE_LIMIT = 6
    for n in range(7):
        UserFactory(username=f"staff{n}", committee=xuhui, roles=[Role.PROPOSAL_OFFICE])
    sprayer = _address()
    for n in range(5):  # one failure per account: no account reaches its own limit of 5
        assert _login(client, f"staff{n}", "Spring2026!", sprayer).status_code == 200
    assert _login(client, "staff5", "Spring2026!", sprayer).status_code == 429  # the 6th
    refused = _login(client, "staff6", "pass-word-123", sprayer)
    assert refused.status_code == 429 and "锁定" in refused.text
    assert "_auth_user_id" not in client.session
    # Another address is not affected, and its success does not clear the sprayer's count.
    assert _login(client, "staff6", "pass-word-123", _address()).status_code == 302
    client.logout()
    assert _login(client, "staff0", "pass-word-123", sprayer).status_code == 429


def test_default_limits_lock_a_spray_but_not_an_office_of_typos(client, xuhui):
    for n in range(6):
        UserFactory(username=f"clerk{n}", committee=xuhui, roles=[Role.PROPOSAL_OFFICE])
    office = _address()
    for n in range(6):  # six colleagues behind one address, each mistyping twice
        for _typo in range(2):
            _login(client, f"clerk{n}", "typo", office)
    assert _login(client, "clerk0", "pass-word-123", office).status_code == 302
    client.logout()
    sprayer = _address()
    for password in ("Spring2026!", "Summer2026!", "Autumn2026!", "Winter2026!"):
        for n in range(6):  # four passwords: no account reaches 5, the address reaches 20
            _login(client, f"clerk{n}", password, sprayer)
    assert _login(client, "clerk1", "pass-word-123", sprayer).status_code == 429


def test_eleventh_wrong_token_is_throttled_and_a_good_token_elsewhere_works(xuhui_token):
    _token, key = xuhui_token
    attacker, attacker_address = APIClient(), _address()
    attacker.credentials(HTTP_AUTHORIZATION="Token wrong-key", REMOTE_ADDR=attacker_address)
    for _attempt in range(10):
        assert attacker.get("/api/v1/committees/").status_code == 401
    throttled = attacker.get("/api/v1/committees/")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 600
    # Even the right key is refused from that address while it is throttled …
    attacker.credentials(HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=attacker_address)
    assert attacker.get("/api/v1/committees/").status_code == 429
    # … and works from another one; successes are never counted.
    office = APIClient()
    office.credentials(HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=_address())
    for _request in range(12):
        assert office.get("/api/v1/committees/").status_code == 200


def test_sessions_from_a_throttled_address_are_not_affected(xuhui_office):
    address = _address()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token wrong-key", REMOTE_ADDR=address)
    for _attempt in range(11):
        client.get("/api/v1/committees/")
    session = APIClient(REMOTE_ADDR=address)
    session.force_login(xuhui_office)
    assert session.get("/api/v1/committees/").status_code == 200
