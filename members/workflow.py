"""Acts on the organisation directory: issuing and revoking district offices' API tokens."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, WrongState
from core.history import stamp
from core.roles import Role
from core.scoping import can_write
from members.models import ApiToken, Committee, User


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


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: User) -> ApiToken:
    """Revoke a token for good; its service account is deactivated with it."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not (by.has_perm("members.change_apitoken") and can_write(by, token.committee_id)):
        raise NotAllowed(_("只能吊销本政协的 API 令牌。"))
    if token.revoked_at is not None:
        raise WrongState(_("该令牌已被吊销。"))
    token.revoked_at = timezone.now()
    stamp(token, by, f"revoked by {by.username}").save(update_fields=["revoked_at"])
    User.objects.filter(pk=token.user_id).update(is_active=False)
    return token
