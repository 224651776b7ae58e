"""Forms sent once: each rendering of a form carries a fresh token; the first POST with it claims
the token in the cache (atomically: Redis SET NX), and a repeated POST of the same form — a
double click, a reload — finds it claimed and is shown the first one's result instead of acting
again."""

import uuid

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

TIMEOUT = 24 * 3600
PENDING = 0  # claimed, the act not finished yet


class OnceField(forms.UUIDField):
    """The hidden token of a form sent once (a new one each time the form is rendered)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault("error_messages", {"required": _("表单已失效，请刷新页面后重新提交。")})
        super().__init__(**kwargs)


def _key(user, token: uuid.UUID, purpose: str) -> str:
    return f"once:{purpose}:{user.pk}:{token.hex}"


def claim(user, token: uuid.UUID, purpose: str):
    """None if this is the first use of the token (now claimed); else what the first use left
    with remember() (PENDING while it is still at work)."""
    key = _key(user, token, purpose)
    if cache.add(key, PENDING, TIMEOUT):
        return None
    return cache.get(key, PENDING)


def remember(user, token: uuid.UUID, purpose: str, result) -> None:
    cache.set(_key(user, token, purpose), result, TIMEOUT)


def release(user, token: uuid.UUID, purpose: str) -> None:
    """The act failed: the same form may be sent again (after the user corrects it)."""
    cache.delete(_key(user, token, purpose))
