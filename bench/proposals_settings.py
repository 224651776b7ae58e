"""Settings of the portal as bench/proposals_scale.py serves it under gunicorn: the project's,
with the bench's URLs (bench.proposals_urls: the portal plus the floor views)."""

from cppcc_portal.settings import *  # noqa: F403 - the portal's settings, then the bench's

ROOT_URLCONF = "bench.proposals_urls"
# Served without collectstatic: the plain storage (the portal's pages link their static files).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
