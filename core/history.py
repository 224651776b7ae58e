"""Who and why on a history entry (django-simple-history) written outside a web request."""


def stamp(obj, user, reason: str = ""):
    """Mark the next save or delete of `obj` as done by `user`, for `reason`; returns `obj`."""
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    return obj
