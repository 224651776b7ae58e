"""`manage.py seed_demo`: load every app's demo data (its demo.seed), idempotently."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Chinese demo data set of every app; a second run changes nothing."

    def handle(self, *args, **options):
        for app in settings.PROJECT_APPS:
            if find_spec(f"{app}.demo"):
                import_module(f"{app}.demo").seed(self.stdout)
