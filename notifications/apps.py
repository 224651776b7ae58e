from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒与通知")

    def ready(self):
        # Each app declares its reminder kinds in its own reminders.py (see notifications.registry).
        autodiscover_modules("reminders")
