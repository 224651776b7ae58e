"""The cppcc-portal project package: settings, URLs, the Celery app and the API plumbing."""

from cppcc_portal.celery import app as celery_app

__all__ = ["celery_app"]
