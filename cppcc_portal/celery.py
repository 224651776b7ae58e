"""The Celery application: Redis broker, Django's CELERY_* settings, beat schedules in the database.

Tasks subclass `Task` below (Celery's DjangoTask), so `task.delay_on_commit()` enqueues only after
the current transaction commits; use it whenever a task is sent from inside a transaction. Sending
fails fast when Redis is down (the short timeouts and retries of settings' CELERY_* options) and
raises core.errors.Unavailable, which the API answers as a JSON 503 and pages show as a message.
"""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError

from core.errors import Unavailable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings")


class Task(DjangoTask):
    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except OperationalError as error:  # the broker could not be reached
            raise Unavailable() from error
        except RuntimeError as error:
            # The result store (the same Redis) gave up reconnecting before the message was sent.
            if isinstance(error.__cause__, getattr(self.backend, "connection_errors", ())):
                raise Unavailable() from error
            raise


app = Celery("cppcc_portal", task_cls="cppcc_portal.celery:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
