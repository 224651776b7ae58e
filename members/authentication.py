"""API authentication for district offices: `Authorization: Token <key>`, bound to one committee."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from members.models import ApiToken


class CommitteeTokenAuthentication(authentication.TokenAuthentication):
    """Authenticates as the token's service account; `request.auth` is the ApiToken."""

    def authenticate_credentials(self, key):
        token = ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("API 令牌无效或已被吊销。"))
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
