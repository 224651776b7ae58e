"""Public voting: identification by one-time code, the round's rule in the database, the IP
windows, invalidation and tallies."""

import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brands import tally, workflow
from brands.models import Code, Invalidation, Round, Vote
from brands.tests import factories
from core.errors import NotFound, WrongState
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HIGH = {"burst": "10000/10s", "sustained": "100000/h"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def identified(client, caplog, address, ip):
    """Ask for a code, read it where the console sender puts it, confirm it."""
    with caplog.at_level(logging.WARNING, logger="brands.codes"):
        response = client.post(
            reverse("brands:identify"),
            {"step": "send", "channel": "phone", "address": address},
            REMOTE_ADDR=ip,
        )
    assert response.status_code == 200, response.content
    code = re.findall(r"(\d{6})，10分钟", caplog.text)[-1]
    response = client.post(
        reverse("brands:identify"),
        {"step": "confirm", "channel": "phone", "address": address, "code": code},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302
    return code


def post_vote(client, round_obj, candidate, ip, **extra):
    return client.post(
        reverse("brands:vote", args=[round_obj.pk]),
        {"candidate": candidate.pk},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT="application/json",
        **extra,
    )


def test_a_confirmed_phone_votes_once_a_day_per_brand(voting_round, caplog, next_ip, settings):
    settings.BRAND_VOTE_RATES = HIGH
    round_obj, (city, xuhui_brand, _huangpu) = voting_round
    client, ip = Client(), next_ip()
    assert post_vote(client, round_obj, city, ip).status_code == 400  # not identified yet
    identified(client, caplog, "+86 138-0013-8000", ip)
    assert post_vote(client, round_obj, city, ip).status_code == 201
    second = post_vote(client, round_obj, city, ip)
    assert second.status_code == 409
    assert second.json()["detail"] == "您今天已为该品牌投过票，请明天再来。"
    assert post_vote(client, round_obj, xuhui_brand, ip).status_code == 201
    stored = Vote.objects.filter(round=round_obj).values_list("voter", "network", "ip")
    assert sorted(stored) == [("13800138000", "1380013", ip)] * 2
    assert tally.refusals(round_obj.pk)["duplicate"] >= 1


def test_codes_are_single_use_expire_and_allow_five_guesses(voting_round, caplog, next_ip):
    client, ip = Client(), next_ip()
    code = identified(client, caplog, "13900001111", ip)
    again = client.post(
        reverse("brands:identify"),
        {"step": "confirm", "channel": "phone", "address": "13900001111", "code": code},
        REMOTE_ADDR=ip,
    )
    assert "验证码已失效" in again.content.decode()
    with caplog.at_level(logging.WARNING, logger="brands.codes"):
        client.post(
            reverse("brands:identify"),
            {"step": "send", "channel": "phone", "address": "13900002222"},
            REMOTE_ADDR=ip,
        )
    for _ in range(5):
        wrong = client.post(
            reverse("brands:identify"),
            {"step": "confirm", "channel": "phone", "address": "13900002222", "code": "000000"},
            REMOTE_ADDR=ip,
        )
    assert "验证码" in wrong.content.decode()
    right = re.findall(r"(\d{6})，10分钟", caplog.text)[-1]
    blocked = client.post(
        reverse("brands:identify"),
        {"step": "confirm", "channel": "phone", "address": "13900002222", "code": right},
        REMOTE_ADDR=ip,
    )
    assert "验证码已失效" in blocked.content.decode()  # five wrong guesses used it up
    Code.objects.update(expires_at=timezone.now() - timedelta(seconds=1), used_at=None, attempts=0)
    late = client.post(
        reverse("brands:identify"),
        {"step": "confirm", "channel": "phone", "address": "13900002222", "code": right},
        REMOTE_ADDR=ip,
    )
    assert "验证码已失效" in late.content.decode()


def test_codes_are_rate_limited_per_address(voting_round, next_ip, settings):
    settings.BRAND_CODE_RATES = {"address": "2/10m", "ip": "1000/h"}
    client = Client()
    address = f"139{timezone.now().microsecond:08d}"
    statuses = [
        client.post(
            reverse("brands:identify"),
            {"step": "send", "channel": "phone", "address": address},
            REMOTE_ADDR=next_ip(),
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert Code.objects.filter(address=address).count() == 2


def test_a_bad_address_is_a_form_error(voting_round, next_ip):
    response = Client().post(
        reverse("brands:identify"),
        {"step": "send", "channel": "phone", "address": "12345"},
        REMOTE_ADDR=next_ip(),
    )
    assert response.status_code == 400
    assert "请输入11位中国大陆手机号码" in response.content.decode()


def test_email_codes_go_by_mail(voting_round, next_ip, settings, mailoutbox):
    settings.BRAND_CODE_SENDERS = {
        **settings.BRAND_CODE_SENDERS,
        "email": "brands.voting.EmailSender",
    }
    client, ip = Client(), next_ip()
    client.post(
        reverse("brands:identify"),
        {"step": "send", "channel": "email", "address": "Voter@Example.COM"},
        REMOTE_ADDR=ip,
    )
    assert mailoutbox[-1].to == ["voter@example.com"]
    code = re.search(r"\d{6}", mailoutbox[-1].body).group()
    client.post(
        reverse("brands:identify"),
        {"step": "confirm", "channel": "email", "address": "voter@example.com", "code": code},
        REMOTE_ADDR=ip,
    )
    round_obj, (city, *_rest) = voting_round
    assert post_vote(client, round_obj, city, ip).status_code == 201
    assert Vote.objects.get().network == "example.com"


def test_signed_in_accounts_vote_as_themselves(voting_round, next_ip):
    round_obj, (city, *_rest) = voting_round
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert post_vote(client, round_obj, city, next_ip()).status_code == 201
    assert Vote.objects.get().voter == f"user:{user.pk}"


def test_the_daily_number_of_brands_is_limited(voting_round, next_ip):
    round_obj, candidates = voting_round
    Round.objects.filter(pk=round_obj.pk).update(candidates_per_day=2)
    results = [
        workflow.cast_vote(round_obj, c.pk, kind="phone", voter="13700000000", ip=next_ip())
        for c in candidates[:2]
    ]
    assert len(results) == 2
    with pytest.raises(workflow.Refused) as third:
        workflow.cast_vote(
            round_obj, candidates[2].pk, kind="phone", voter="13700000000", ip=next_ip()
        )
    assert third.value.reason == "daily_limit"


def test_burst_window_refuses_with_retry_after(voting_round, next_ip, settings):
    settings.BRAND_VOTE_RATES = {"burst": "2/10s", "sustained": "1000/h"}
    round_obj, candidates = voting_round
    client, ip = Client(), next_ip()
    client.force_login(UserFactory())
    statuses = [post_vote(client, round_obj, c, ip).status_code for c in candidates]
    assert statuses == [201, 201, 429]
    refused = post_vote(client, round_obj, candidates[2], ip)
    assert 1 <= int(refused["Retry-After"]) <= 10  # what is left of the 10-second window
    assert Vote.objects.count() == 2
    assert post_vote(client, round_obj, candidates[2], next_ip()).status_code == 201


def test_sustained_window_counts_across_bursts(voting_round, next_ip, settings):
    settings.BRAND_VOTE_RATES = {"burst": "100/10s", "sustained": "3/h"}
    round_obj, candidates = voting_round
    ip = next_ip()
    statuses = []
    for n in range(4):
        client = Client()
        client.force_login(UserFactory(username=f"sustained{n}"))
        statuses.append(post_vote(client, round_obj, candidates[0], ip).status_code)
    assert statuses == [201, 201, 201, 429]
    assert tally.refusals(round_obj.pk)["rate_limited"] >= 1


def test_votes_outside_the_window_are_refused(voting_round, next_ip):
    round_obj, (city, *_rest) = voting_round
    Round.objects.filter(pk=round_obj.pk).update(voting_closes_at=timezone.now())
    with pytest.raises(workflow.Refused) as closed:
        workflow.cast_vote(round_obj, city.pk, kind="phone", voter="13600000000", ip=next_ip())
    assert closed.value.reason == "closed"


@pytest.mark.django_db(transaction=True)
def test_a_hundred_identical_votes_store_one(voting_round, next_ip, settings):
    """100 requests of one voter for one brand at once: one stored, 99 refused, no 500."""
    settings.BRAND_VOTE_RATES = HIGH
    round_obj, (city, *_rest) = voting_round
    user = UserFactory(username="eager")
    ip = next_ip()

    def one(_n):
        client = Client()
        client.force_login(user)
        try:
            return post_vote(client, round_obj, city, ip).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(one, range(100)))
    assert sorted(set(statuses)) == [201, 409]
    assert (statuses.count(201), statuses.count(409)) == (1, 99)
    assert Vote.objects.filter(candidate=city).count() == 1


def test_invalidation_is_reversible_and_tallies_follow(
    voting_round, sh_brands, next_ip, django_capture_on_commit_callbacks
):
    round_obj, (city, xuhui_brand, _huangpu) = voting_round
    bad_ip, good_ip = next_ip(), next_ip()
    for n in range(3):
        workflow.cast_vote(round_obj, city.pk, kind="email", voter=f"v{n}@spam.test", ip=bad_ip)
    workflow.cast_vote(round_obj, city.pk, kind="phone", voter="13500000000", ip=good_ip)
    workflow.cast_vote(round_obj, xuhui_brand.pk, kind="phone", voter="13500000000", ip=good_ip)
    tally.forget(round_obj.pk)
    assert (
        tally.live(round_obj) == workflow.stored_tally(round_obj) == {city.pk: 4, xuhui_brand.pk: 1}
    )
    with django_capture_on_commit_callbacks(execute=True):
        by_ip = workflow.invalidate(
            round_obj, by=sh_brands, kind="ip", value=bad_ip, reason="同一IP刷票"
        )
        by_domain = workflow.invalidate(
            round_obj, by=sh_brands, kind="network", value="spam.test", reason="批量注册邮箱"
        )
    assert (by_ip.votes_affected, by_domain.votes_affected) == (3, 0)
    assert workflow.stored_tally(round_obj) == {city.pk: 1, xuhui_brand.pk: 1}
    assert tally.live(round_obj) == workflow.stored_tally(round_obj)
    workflow.revoke_invalidation(by_ip, by=sh_brands, reason="经核实为单位网络出口")
    # The domain invalidation still covers the same three votes.
    assert Vote.objects.filter(invalidation=by_domain).count() == 3
    workflow.revoke_invalidation(by_domain, by=sh_brands, reason="误判")
    assert workflow.stored_tally(round_obj) == {city.pk: 4, xuhui_brand.pk: 1}
    with pytest.raises(WrongState):
        workflow.revoke_invalidation(by_domain, by=sh_brands, reason="再次")
    assert Invalidation.objects.get(pk=by_ip.pk).history.count() == 2


def test_live_tally_matches_the_stored_votes(
    voting_round, next_ip, django_capture_on_commit_callbacks
):
    round_obj, candidates = voting_round
    tally.live(round_obj)  # built (empty), then kept up by one increment per committed vote
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            for candidate in candidates[: n % 3 + 1]:
                workflow.cast_vote(
                    round_obj, candidate.pk, kind="phone", voter=f"1330000000{n}", ip=next_ip()
                )
    assert tally.live(round_obj) == workflow.stored_tally(round_obj)
    assert sum(workflow.stored_tally(round_obj).values()) == Vote.objects.count() == 9


def test_round_page_shows_live_counts(voting_round, next_ip):
    round_obj, (city, *_rest) = voting_round
    workflow.cast_vote(round_obj, city.pk, kind="phone", voter="13200000000", ip=next_ip())
    tally.forget(round_obj.pk)
    page = Client().get(reverse("brands:round", args=[round_obj.pk]))
    assert page.status_code == 200
    assert [c.live_votes for c in page.context["candidates"]] == [1, 0, 0]
    assert "投票" in page.content.decode()


def test_json_refusals_name_their_code(voting_round, next_ip):
    round_obj, _candidates = voting_round
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        reverse("brands:vote", args=[round_obj.pk]),
        {"candidate": "²"},
        REMOTE_ADDR=next_ip(),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "wrong_state"


def test_without_redis_votes_are_refused_not_accepted_unchecked(voting_round, next_ip, settings):
    """The limits cannot be checked: 503 with a clear message, nothing stored, no 500."""
    round_obj, (city, *_rest) = voting_round
    client = Client()
    client.force_login(UserFactory())
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = post_vote(client, round_obj, city, next_ip())
    assert response.status_code == 503
    assert response.json()["detail"] == "投票服务繁忙，请稍后再试。"
    assert not Vote.objects.exists()


def test_identification_never_sends_the_voter_to_another_site(voting_round, caplog, next_ip):
    client, ip = Client(), next_ip()
    with caplog.at_level(logging.WARNING, logger="brands.codes"):
        client.post(
            reverse("brands:identify"),
            {
                "step": "send",
                "channel": "phone",
                "address": "13600001234",
                "next": "//evil.example/",
            },
            REMOTE_ADDR=ip,
        )
    code = re.findall(r"(\d{6})，10分钟", caplog.text)[-1]
    response = client.post(
        reverse("brands:identify"),
        {
            "step": "confirm",
            "channel": "phone",
            "address": "13600001234",
            "code": code,
            "next": "https://evil.example/",
        },
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302 and response["Location"] == reverse("brands:showcase")


def test_a_candidate_of_another_round_is_refused(voting_round, shanghai, sh_brands, next_ip):
    _round_obj, (city, *_rest) = voting_round
    other = factories.round_(shanghai, sh_brands, [], title="另一次评选")
    with pytest.raises(workflow.Refused) as refused:
        workflow.cast_vote(other, city.pk, kind="phone", voter="13600000001", ip=next_ip())
    assert refused.value.reason == "closed"
    with pytest.raises(NotFound):
        workflow.cast_vote(10**9, city.pk, kind="phone", voter="13600000001", ip=next_ip())
