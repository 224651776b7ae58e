from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("委员与组织")

    def ready(self):
        from members.authentication import connect_account_invalidation
        from members.performance import sync_act_kinds

        post_migrate.connect(sync_act_kinds, sender=self, dispatch_uid="members.sync_act_kinds")
        connect_account_invalidation()
