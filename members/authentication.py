"""API authentication: `Authorization: Token <key>` — a district office's token (its service
account, bound to one committee) or a personal token (acting as its owner) that has neither
expired nor been revoked.

Failed token attempts are throttled per client address (`settings.API_TOKEN_FAILURE_RATE`,
10 in 10 minutes): past the limit every token attempt from that address answers 429 with
`Retry-After` until its oldest failure leaves the window, so keys cannot be guessed at speed.
Successful requests are not counted; requests without a token (sessions) are not affected.

A token is kept in the cache under its hash between requests (a minute at most), with its
account and, for a service account, its permissions and committee scope; it is dropped at once
when the token is saved (revoked) or deleted, and every kept token when users, roles,
permissions or committees change (a new generation). A kept token is checked again for expiry
and its account's activity; a token request thus makes one cache round trip and no query.
"""

from contextlib import suppress
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling

from core.scoping import committee_scope, remember_committee_scope
from core.throttling import parse_rate
from members.models import ApiToken


class FailedTokenThrottle(throttling.SimpleRateThrottle):
    """DRF's sliding-window throttle, counting only failed token attempts of an address.

    `allow_request` checks the window without recording; `record_failure` records one. The
    address is resolved as for the login lockout (axes: REMOTE_ADDR, or the client address given
    by `PROXY_COUNT` trusted proxies), never from a client-supplied header alone.
    """

    scope = "api_token_failures"

    def get_rate(self):
        return settings.API_TOKEN_FAILURE_RATE

    def parse_rate(self, rate):
        return parse_rate(rate)

    def get_ident(self, request):
        return get_client_ip_address(request) or ""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def throttle_success(self):
        return True

    def allows(self, history: list) -> bool:
        """`allow_request` on the address's failures read already (in the token's round trip)."""
        self.history, self.now = list(history), self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) < self.num_requests

    def wait(self):
        """Seconds until enough failures leave the window for one more attempt."""
        oldest_to_expire = self.history[self.num_requests - 1]
        return max(1, int(self.duration - (self.now - oldest_to_expire)) + 1)

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


ACCOUNT_SECONDS = 60
GENERATION_KEY = "api-accounts:generation"


def _token_key(key_hash: str) -> str:
    return f"api-tokens:{key_hash}"


def _read_token(key_hash: str, generation: int):
    """The token (its account joined) and, for a service account, its permissions and committee
    scope: read (one query for the token, two for permissions, two for the committee tree) and
    kept under the token's hash for ACCOUNT_SECONDS; None for no active token."""
    token = ApiToken.find_hash(key_hash)
    if token is None:
        return None
    entry = (generation, token, None)
    if not token.is_personal:  # a person's roles and seats change without a signal
        user = token.user
        user.get_all_permissions()  # fills the backend's per-user caches read in _prime
        perms = (
            getattr(user, "_user_perm_cache", set()),
            getattr(user, "_group_perm_cache", set()),
            committee_scope(user),
        )
        entry = (generation, token, perms)
    cache.set(_token_key(key_hash), entry, ACCOUNT_SECONDS)
    return entry


def _prime(user, perms) -> None:
    user_perms, group_perms, scope = perms
    user._user_perm_cache, user._group_perm_cache = user_perms, group_perms
    user._perm_cache = user_perms | group_perms
    remember_committee_scope(user, scope)


def forget_token(instance, **_kwargs) -> None:
    """Drop a kept token at once when it changes (revoked, renamed) or is deleted; and once the
    change commits, start a new generation: a request that read the token just before the change
    and keeps it afterwards keeps it under the old generation, which no request accepts."""
    cache.delete(_token_key(instance.key_hash))
    transaction.on_commit(forget_accounts)


def forget_accounts(**_kwargs) -> None:
    """Drop every kept account (a new generation): roles, permissions or committees changed."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def connect_account_invalidation() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from members.models import Committee, HandlingUnit, User

    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(forget_accounts, sender=through, weak=False)
    for model in (User, Group, Permission, Committee, HandlingUnit):
        post_save.connect(forget_accounts, sender=model, weak=False)
        post_delete.connect(forget_accounts, sender=model, weak=False)
    post_save.connect(forget_token, sender=ApiToken, weak=False)
    post_delete.connect(forget_token, sender=ApiToken, weak=False)


class CommitteeTokenAuthentication(authentication.TokenAuthentication):
    """Authenticates as the token's account (service account or owner); `request.auth` is the
    ApiToken. The address's failed attempts, the kept token and the generation of kept accounts
    are read in one cache round trip."""

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        throttle = FailedTokenThrottle()
        key_hash = None
        if len(words) == 2:
            with suppress(UnicodeError):  # refused below by DRF's own checks
                key_hash = ApiToken.hash_key(words[1].decode())
        throttle.key = throttle.get_cache_key(request, None)
        keys = [throttle.key, GENERATION_KEY]
        if key_hash is not None:
            keys.append(_token_key(key_hash))
        kept = cache.get_many(keys)
        if not throttle.allows(kept.get(keys[0], [])):
            wait = throttle.wait()
            refusal = exceptions.Throttled(
                detail=gettext("API 令牌验证失败次数过多，请 %(seconds)d 秒后再试。")
                % {"seconds": wait}
            )
            refusal.wait = wait  # Retry-After (core.rest), without DRF's English sentence
            raise refusal
        self.generation = kept.get(GENERATION_KEY, 0)
        self.kept = kept.get(keys[-1]) if key_hash is not None else None
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure()
            raise

    def authenticate_credentials(self, key):
        key_hash = ApiToken.hash_key(key)
        entry = getattr(self, "kept", None)
        if entry is None or entry[0] != self.generation or not entry[1].is_usable:
            entry = _read_token(key_hash, self.generation)
        if entry is None:
            raise exceptions.AuthenticationFailed(_("API 令牌无效、已过期或已被吊销。"))
        _generation, token, perms = entry
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
            cache.set(_token_key(key_hash), (self.generation, token, perms), ACCOUNT_SECONDS)
        if perms is not None:
            _prime(token.user, perms)
        return token.account, token
