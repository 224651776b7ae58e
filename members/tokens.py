"""我的 API 令牌: a signed-in user's personal API tokens — issue one (its key shown once, on the
answer to the POST), see when each was last used and when it expires, revoke one."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.text import Kind, normalise
from members import workflow
from members.models import ApiToken

VALIDITY_DAYS = [
    (30, gettext_lazy("30 天")),
    (90, gettext_lazy("90 天")),
    (365, gettext_lazy("一年")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("用途"),
        max_length=100,
        help_text=gettext_lazy("如“本单位办公系统同步”，便于日后辨认。"),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("有效期"),
        choices=VALIDITY_DAYS,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        initial=workflow.PERSONAL_TOKEN_DEFAULT_DAYS,
    )

    def clean_name(self):
        return normalise(self.cleaned_data["name"], kind=Kind.LINE, field=_("用途"))


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = workflow.issue_personal_token(
                owner=request.user,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                by=request.user,
            )
            form = TokenForm()
        except DomainError as error:
            form.add_error(None, error.message)
    tokens = ApiToken.objects.filter(owner=request.user).order_by("-created_at")
    response = render(
        request,
        "members/tokens.html",
        {"form": form, "key": key, "tokens": tokens, "now": timezone.now()},
    )
    add_never_cache_headers(response)  # the page may carry a key
    return response


@login_required
@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, owner=request.user)
    try:
        workflow.revoke_api_token(token, by=request.user)
        messages.success(request, _("令牌已吊销。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("members:tokens")
