"""Acts on API credentials: issuing and revoking district offices' tokens (each with its own
service account) and personal tokens (acting as the user who holds them)."""

from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, NotAllowed, WrongState
from core.history import stamp
from core.roles import Role
from core.scoping import can_write
from members.models import ApiToken, Committee, User

# A personal token lives 90 days unless its issuer says otherwise, a year at most; a user holds
# at most PERSONAL_TOKEN_LIMIT active ones.
PERSONAL_TOKEN_DEFAULT_DAYS = 90
PERSONAL_TOKEN_MAX_DAYS = 366
PERSONAL_TOKEN_LIMIT = 10


@transaction.atomic
def issue_api_token(*, committee: Committee, name: str, by: User) -> tuple[ApiToken, str]:
    """Create a token bound to `committee` with its own service account; return it and the key.
    The key is shown once: only its hash is kept."""
    if not (by.has_perm("members.add_apitoken") and can_write(by, committee.pk)):
        raise NotAllowed(_("只能为本政协签发 API 令牌。"))
    key = ApiToken.new_key()
    account = User.objects.create(
        username=f"api-{key[:8].lower()}-{committee.region_code}",
        name=name,
        committee=committee,
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    account.groups.add(Group.objects.get(name=Role.DISTRICT_OFFICE))
    token = ApiToken(name=name, committee=committee, user=account, created_by=by)
    token.set_key(key)
    token.save()
    return token, key


def _may_manage(by: User, owner_committee_id: int | None, perm: str) -> bool:
    """A committee administrator of the owner's committee."""
    return by.has_perm(perm) and can_write(by, owner_committee_id)


@transaction.atomic
def issue_personal_token(
    *, owner: User, name: str, expires_at: datetime, by: User
) -> tuple[ApiToken, str]:
    """A personal token of `owner`, issued by the owner or by a committee administrator of their
    committee: it acts with the owner's roles and scope until `expires_at` (a year at most).
    Return it and the key, shown once."""
    owner = User.objects.select_for_update().get(pk=owner.pk)
    committee_id = owner.home_committee_id
    if by.pk != owner.pk and not _may_manage(by, committee_id, "members.add_apitoken"):
        raise NotAllowed(_("只能为本政协的用户签发个人令牌。"))
    if owner.is_superuser or committee_id is None or not owner.is_active:
        raise NotAllowed(_("该账号不能持有个人令牌。"))
    if hasattr(owner, "api_token"):
        raise NotAllowed(_("服务账号不能持有个人令牌。"))
    now = timezone.now()
    if not now < expires_at <= now + timedelta(days=PERSONAL_TOKEN_MAX_DAYS):
        raise Invalid(_("有效期须在今后一年之内。"), field="expires_at")
    if owner.personal_tokens.active().count() >= PERSONAL_TOKEN_LIMIT:
        raise WrongState(
            _("最多可同时持有 %(n)d 个有效的个人令牌，请先吊销不用的令牌。")
            % {"n": PERSONAL_TOKEN_LIMIT}
        )
    key = ApiToken.new_key()
    token = ApiToken(
        name=name, committee_id=committee_id, owner=owner, created_by=by, expires_at=expires_at
    )
    token.set_key(key)
    stamp(token, by, f"personal token issued by {by.username}")
    token.full_clean(exclude=["key_hash", "prefix"])
    token.save()
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: User) -> ApiToken:
    """Revoke a token for good: by a committee administrator of its committee, or a personal
    token by its owner. A district office's service account is deactivated with it; a personal
    token's owner keeps their account."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    own = token.owner_id is not None and token.owner_id == by.pk
    if not (own or _may_manage(by, token.committee_id, "members.change_apitoken")):
        raise NotAllowed(_("只能吊销本政协的 API 令牌。"))
    if token.revoked_at is not None:
        raise WrongState(_("该令牌已被吊销。"))
    token.revoked_at = timezone.now()
    stamp(token, by, f"revoked by {by.username}").save(update_fields=["revoked_at"])
    if token.user_id is not None:
        User.objects.filter(pk=token.user_id).update(is_active=False)
    return token
