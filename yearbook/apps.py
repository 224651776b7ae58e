from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class YearbookConfig(AppConfig):
    name = "yearbook"
    verbose_name = _("年度统计")

    def ready(self):
        # Each app declares its section of the yearly statistics in its own yearbook.py.
        autodiscover_modules("yearbook")
