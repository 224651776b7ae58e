"""The Celery application: Redis broker, Django's CELERY_* settings, beat schedules in the database.

Tasks subclass Celery's DjangoTask, so `task.delay_on_commit()` enqueues only after the current
transaction commits; use it whenever a task is sent from inside a transaction.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings")

app = Celery("cppcc_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
