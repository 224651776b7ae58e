from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "core"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType
        from django.utils.module_loading import autodiscover_modules

        from core import scoping, sync
        from core.roles import sync_role_groups

        # Shared by every committee: roles, permissions, content types.
        for model in (Group, Permission, ContentType):
            scoping.register(model, "")
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
        # The admin's home page is the staff workbench: each app's queues (core.workbench).
        admin.site.index_template = "admin/workbench_index.html"
        autodiscover_modules("workbench")
        post_migrate.connect(sync.install_triggers, dispatch_uid="core.install_triggers")
        sync.connect_tombstones()
