"""Domain errors raised by the apps' workflow functions, mapped once to HTTP and to page messages.

One error per meaning: Invalid (400, the input is wrong, with the field), NotAllowed (403, the
role or committee does not allow it), NotFound (404), WrongState (409, not possible in the
record's present state — also what the second of two people acting at once gets: every act locks
its row and re-reads the state), Unavailable (503, a service the act needs — the task queue — is
down; nothing was done, try again later). Each carries a user-facing message (Chinese,
translatable). The API's exception handler (core.rest) maps them to their status; pages and the
admin show them with `messages` or as form errors.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the act. `message` is shown to the user as it is."""

    status_code = 400
    code = "invalid"
    default_message = _("操作无效。")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class Invalid(DomainError):
    """The input breaks a rule (a date out of range, an id of another committee, a missing
    reason); `field` names the input to correct."""

    status_code = 400
    code = "invalid"
    default_message = _("提交的数据有误。")


class NotFound(DomainError, Http404):
    """The record does not exist for this user (another committee's answers the same). Also an
    Http404, so a page that lets it through answers 404 like the API."""

    status_code = 404
    code = "not_found"
    default_message = _("对象不存在。")


class NotAllowed(DomainError):
    """The user's role or committee does not allow this act."""

    status_code = 403
    code = "not_allowed"
    default_message = _("您无权执行此操作。")


class WrongState(DomainError):
    """The object is not in a state from which this act is possible."""

    status_code = 409
    code = "wrong_state"
    default_message = _("当前状态下不能执行此操作。")


class Unavailable(DomainError):
    """A service the act needs is unreachable (the task queue when Redis is down): nothing was
    queued, and the same request may simply be made again later."""

    status_code = 503
    code = "unavailable"
    default_message = _("后台任务队列暂时不可用，请稍后再试。")
