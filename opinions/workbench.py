"""The opinion office's queues on the staff workbench: pieces to screen, pieces to edit."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role
from core.scoping import writable
from core.workbench import Stage, counts, list_url, queue
from opinions.models import Piece, PieceState


@queue(_("社情民意"))
def opinion_queue(user) -> list[Stage]:
    if not has_role(user, Role.OPINION_OFFICE):
        return []
    states = {PieceState.SUBMITTED: True, PieceState.ACCEPTED: False}
    found = counts(
        writable(Piece.objects.all(), user).order_by(),
        **{state.value: Q(state=state) for state in states},
    )
    return [
        Stage(
            str(state.label), found[state.value], list_url(Piece, state__exact=state.value), urgent
        )
        for state, urgent in states.items()
    ]
