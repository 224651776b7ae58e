"""API authentication: `Authorization: Token <key>` — a district office's token (its service
account, bound to one committee) or a personal token (acting as its owner) that has neither
expired nor been revoked.

Failed token attempts are throttled per client address (`settings.API_TOKEN_FAILURE_RATE`,
10 in 10 minutes): past the limit every token attempt from that address answers 429 with
`Retry-After` until its oldest failure leaves the window, so keys cannot be guessed at speed.
Successful requests are not counted; requests without a token (sessions) are not affected.

A service account's permissions and committee scope are kept in the cache between its requests
(a minute at most, and dropped at once when users, roles, permissions or committees change), so
a token request reads its token only; the token itself is looked up on every request, so a
revoked token is refused at once.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
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

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def throttle_success(self):
        return True

    def wait(self):
        """Seconds until enough failures leave the window for one more attempt."""
        oldest_to_expire = self.history[self.num_requests - 1]
        return max(1, int(self.duration - (self.now - oldest_to_expire)) + 1)

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


ACCOUNT_SECONDS = 60
GENERATION_KEY = "api-accounts:generation"


def _account_key(user_id: int) -> str:
    return f"api-accounts:{user_id}"


def prime_account(user) -> None:
    """Give the service account its permissions and committee scope from the cache, or read
    them (two queries for permissions, two for the committee tree) and keep them."""
    key = _account_key(user.pk)
    cached = cache.get_many([GENERATION_KEY, key])
    generation, entry = cached.get(GENERATION_KEY, 0), cached.get(key)
    if entry is not None and entry[0] == generation:
        _generation, user_perms, group_perms, scope = entry
        user._user_perm_cache, user._group_perm_cache = user_perms, group_perms
        user._perm_cache = user_perms | group_perms
        remember_committee_scope(user, scope)
        return
    user.get_all_permissions()  # fills the backend's per-user caches read above
    entry = (
        generation,
        getattr(user, "_user_perm_cache", set()),
        getattr(user, "_group_perm_cache", set()),
        committee_scope(user),
    )
    cache.set(key, entry, ACCOUNT_SECONDS)


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


class CommitteeTokenAuthentication(authentication.TokenAuthentication):
    """Authenticates as the token's account (service account or owner); `request.auth` is the
    ApiToken."""

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        throttle = FailedTokenThrottle()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            refusal = exceptions.Throttled(
                detail=gettext("API 令牌验证失败次数过多，请 %(seconds)d 秒后再试。")
                % {"seconds": wait}
            )
            refusal.wait = wait  # Retry-After (core.rest), without DRF's English sentence
            raise refusal
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure()
            raise

    def authenticate_credentials(self, key):
        token = ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("API 令牌无效、已过期或已被吊销。"))
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if not token.is_personal:  # a person's roles and seats change without a signal
            prime_account(token.user)
        return token.account, token
