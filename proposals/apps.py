from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("提案")

    def ready(self):
        from members.models import Committee, PlenarySession, Term
        from proposals.models import Category
        from proposals.views import forget_public_choices

        # The public list's cached choices and labels change with these small tables.
        for model in (Committee, Term, PlenarySession, Category):
            post_save.connect(forget_public_choices, sender=model, weak=False)
            post_delete.connect(forget_public_choices, sender=model, weak=False)
