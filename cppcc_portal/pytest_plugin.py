"""pytest plugin (loaded by pyproject's addopts): the test environment before Django starts.

Tests run on the same servers as the portal: DATABASE_URL / REDIS_URL when set, otherwise the
embedded ones, which settings start and this plugin stops again if this test run started them.
Celery tasks of a test run go to a queue of their own, so a running `make run` worker never
takes them.
"""

import os
import uuid

from cppcc_portal import embedded

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DEMO_MODE", "1")
os.environ["CELERY_QUEUE"] = f"test-{uuid.uuid4().hex[:12]}"


def pytest_unconfigure(config):
    embedded.stop(only_started_here=True)
