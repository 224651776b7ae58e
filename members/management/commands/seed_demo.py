"""`manage.py seed_demo`: load every app's demo data (its demo.seed) once.

An app whose demo data was loaded (in this mode; core.models.DemoSeed) is skipped, so a second
run creates only what is missing — an app added since, or the demo accounts and records when
demo mode is turned on after a directory-only run — and touches nothing that exists: people's
edited personal data, ended placements, renamed or deleted records stay as users left them.
Within an app, the demo modules create rows get-or-create style (members.demo.ensure). After
each app's bulk load the tables are analysed, so that the next app's queries (the reminder scan,
the yearly statistics) are planned on the loaded data, not on the empty tables' statistics.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.models import DemoSeed


class Command(BaseCommand):
    help = "Load the Chinese demo data set of every app once; a second run changes nothing."

    def handle(self, *args, **options):
        demo_mode = bool(settings.DEMO_MODE)
        for app in settings.PROJECT_APPS:
            if not find_spec(f"{app}.demo"):
                continue
            if DemoSeed.objects.filter(app=app, demo_mode__in={demo_mode, True}).exists():
                self.stdout.write(f"{app}: 演示数据已载入，跳过（不改动已有数据）。")
                continue
            with transaction.atomic():
                import_module(f"{app}.demo").seed(self.stdout)
                DemoSeed.objects.create(app=app, demo_mode=demo_mode)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
