"""Login lockout with two limits: per username and address, and per address across usernames.

django-axes compares one failure count with one limit (`AXES_FAILURE_LIMIT`); listing several
`AXES_LOCKOUT_PARAMETERS` only takes the largest of their counts, so a per-address limit would
have to equal the per-user one (five typos of a whole office behind one NAT would lock everyone
out). Its maintainers point to a custom handler for different limits (jazzband/django-axes#661),
which this is: the database handler with `get_failures` reporting the limit as reached when the
address has failed `AXES_IP_FAILURE_LIMIT` times within the cool-off, whatever the usernames — a
password sprayed across accounts locks the address. `AXES_LOCKOUT_PARAMETERS` stays
username+address, so a successful login clears only that user's own failures, never the
address's count of the others.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        username = get_client_username(request, credentials)
        counts = attempts.aggregate(
            user=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        user, address = counts["user"] or 0, counts["address"] or 0
        if address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(user, get_failure_limit(request, credentials))
        return user
