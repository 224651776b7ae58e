"""Domain errors raised by the apps' workflow functions, mapped once to HTTP and to page messages.

Each carries a user-facing message (Chinese, translatable). The API's exception handler
(cppcc_portal.api) turns them into 403 / 409 / 400; pages show them with `messages`.
"""

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


class Conflict(DomainError):
    """Someone else changed the object first."""

    status_code = 409
    code = "conflict"
    default_message = _("该记录已被他人修改，请刷新后重试。")
