"""The brand office's queue on the staff workbench: nominations waiting for the eligibility
check in the rounds it organises."""

from django.utils.translation import gettext_lazy as _

from brands.models import Candidate, Round
from core.roles import Role, has_role
from core.scoping import writable
from core.workbench import Stage, list_url, queue


@queue(_("工作品牌"))
def brand_queue(user) -> list[Stage]:
    if not has_role(user, Role.BRAND_OFFICE):
        return []
    waiting = Candidate.objects.filter(
        round__in=writable(Round.objects.filter(state=Round.State.CHECKING), user),
        state=Candidate.State.NOMINATED,
    )
    return [
        Stage(
            str(_("待资格审核")),
            waiting.count(),
            list_url(Candidate, state__exact=Candidate.State.NOMINATED.value),
            urgent=True,
        )
    ]
