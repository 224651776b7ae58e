"""Public voting: who the voter is and how fast they may go.

A voter is a signed-in portal account, or a phone number or e-mail address confirmed by a
one-time code. Codes are sent by a pluggable sender (settings.BRAND_CODE_SENDERS: the console in
demo mode, SMTP for e-mail, an SMS gateway class for phones), expire after ten minutes, are used
once, allow five guesses, and are rate limited per address and per IP. Each vote is limited per
IP over a short burst window and a long sustained window (settings.BRAND_VOTE_RATES) before the
round's own rule is applied by brands.workflow.cast_vote. The limits are fixed-window counters in
Redis, every window of a request counted in one round trip; when Redis cannot be reached voting is
refused (503), never accepted unchecked.
"""

import hashlib
import hmac
import logging
import re
import secrets
import time
from datetime import timedelta

import redis
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from brands import tally
from brands.models import Code, Voter
from brands.workflow import cast_vote
from core import redis_client
from core.errors import DomainError, Invalid
from core.throttling import parse_rate

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
CODE_GUESSES = 5
SESSION_KEY = "brands_voter"
PHONE = re.compile(r"^1[3-9]\d{9}$")


class TooFast(DomainError):
    """A rate limit was reached: answered 429 with the time to wait."""

    status_code = 429
    code = "throttled"

    def __init__(self, message: str, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The limits cannot be checked (Redis down): answered 503, nothing is accepted."""

    status_code = 503
    code = "unavailable"


# --- Senders -------------------------------------------------------------------------------------


class Sender:
    """Delivers a one-time code to an address; subclasses implement `send`."""

    def send(self, address: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSender(Sender):
    """Demo and development: the code goes to the log (the logger "brands.codes")."""

    def send(self, address: str, text: str) -> None:
        logging.getLogger("brands.codes").warning("code for %s: %s", address, text)


class EmailSender(Sender):
    """E-mail through Django's mail settings (SMTP in production)."""

    def send(self, address: str, text: str) -> None:
        send_mail(_("投票验证码"), text, None, [address])


class SmsGatewaySender(Sender):
    """The interface of an SMS gateway: subclass it with the provider's HTTP call in `send`
    and name the subclass in settings.BRAND_CODE_SENDERS["phone"]."""


def sender(channel: str) -> Sender:
    return import_string(settings.BRAND_CODE_SENDERS[channel])()


# --- Limits --------------------------------------------------------------------------------------


def client_ip(request) -> str:
    """The client's address as the server sees it (behind a proxy, the proxy sets REMOTE_ADDR
    from X-Forwarded-For — configure it there, not here, so that clients cannot forge it)."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a placeholder, not a bind


def _limit(*checks: tuple[str, str, str]) -> None:
    """Count a hit in each (name, rate, key) fixed window — all in one Redis round trip — and
    refuse when any window is over its rate ("count/period", e.g. "20/10s" or "300/h")."""
    now = time.time()
    windows = []
    for name, rate, key in checks:
        limit, period = parse_rate(rate)
        window = int(now // period)
        windows.append((f"brands:limit:{name}:{period}:{window}:{key}", limit, period, window))
    try:
        with redis_client.client().pipeline(transaction=False) as pipe:
            for redis_key, _count, period, _window in windows:
                pipe.incr(redis_key)
                pipe.expire(redis_key, period + 1)
            counts = pipe.execute()[::2]
    except redis.RedisError:
        raise Unavailable(_("投票服务繁忙，请稍后再试。")) from None
    for count, (_key, limit, period, window) in zip(counts, windows, strict=True):
        if count > limit:
            seconds = max(1, int((window + 1) * period - now))
            raise TooFast(_("操作过于频繁，请%(s)d秒后再试。") % {"s": seconds}, seconds)


# --- Codes ---------------------------------------------------------------------------------------


def normalise(channel: str, address: str) -> str:
    address = (address or "").strip()
    if channel == Voter.PHONE:
        digits = re.sub(r"[\s-]", "", address)
        digits = digits.removeprefix("+86").removeprefix("0086")
        if not PHONE.match(digits):
            raise Invalid(_("请输入11位中国大陆手机号码。"), field="address")
        return digits
    if channel == Voter.EMAIL:
        address = address.lower()
        try:
            validate_email(address)
        except ValidationError:
            raise Invalid(_("电子邮箱格式有误。"), field="address") from None
        return address
    raise Invalid(_("请选择手机号或电子邮箱。"), field="channel")


def _digest(address: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{address}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def request_code(request, channel: str, address: str) -> tuple[str, str]:
    """Send a six-digit code to the address; returns the normalised address and the code (which
    only a demo page shows)."""
    address = normalise(channel, address)
    rates = settings.BRAND_CODE_RATES
    _limit(
        ("code.address", rates["address"], f"{channel}:{address}"),
        ("code.ip", rates["ip"], client_ip(request)),
    )
    code = f"{secrets.randbelow(10**6):06d}"
    Code.objects.create(
        channel=channel,
        address=address,
        code_hash=_digest(address, code),
        expires_at=timezone.now() + CODE_TTL,
        ip=client_ip(request),
    )
    text = _("您的投票验证码是%(code)s，10分钟内有效。如非本人操作，请忽略。") % {"code": code}
    sender(channel).send(address, text)
    return address, code


def confirm_code(request, channel: str, address: str, code: str) -> str:
    """Check the code sent to the address (the latest one, unused and unexpired); returns the
    voter's identity, which the caller keeps in the session."""
    address = normalise(channel, address)
    pending = (
        Code.objects.filter(
            channel=channel, address=address, used_at=None, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    if pending is None or pending.attempts >= CODE_GUESSES:
        raise Invalid(_("验证码已失效，请重新获取。"), field="code")
    if not hmac.compare_digest(pending.code_hash, _digest(address, (code or "").strip())):
        Code.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1)
        raise Invalid(_("验证码不正确。"), field="code")
    updated = Code.objects.filter(pk=pending.pk, used_at=None).update(used_at=timezone.now())
    if not updated:  # used by a concurrent request
        raise Invalid(_("验证码已失效，请重新获取。"), field="code")
    identity = {"kind": channel, "voter": address}
    request.session[SESSION_KEY] = identity
    return address


def identity(request) -> dict | None:
    """The voter behind the request: the signed-in account, or the confirmed address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"kind": Voter.ACCOUNT, "voter": f"user:{user.pk}"}
    return request.session.get(SESSION_KEY)


# --- Votes ---------------------------------------------------------------------------------------


def vote(request, round_id: int, candidate_id: int) -> int:
    """Cast the request's vote (identified voter, IP limits, then the round's rule); returns the
    stored vote's id."""
    who = identity(request)
    if who is None:
        raise Invalid(_("请先登录或验证手机号/电子邮箱后再投票。"), field="voter")
    ip = client_ip(request)
    rates = settings.BRAND_VOTE_RATES
    try:
        _limit(("vote.burst", rates["burst"], ip), ("vote.sustained", rates["sustained"], ip))
    except TooFast:
        tally.refused(round_id, "rate_limited")
        raise
    return cast_vote(
        round_id,
        candidate_id,
        kind=who["kind"],
        voter=who["voter"],
        ip=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
