"""Chinese mode shows Chinese column headers: every admin list column and inline field of the
project's models has a Chinese label (a verbose_name), and no list shows two columns alike."""

from collections import Counter

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db.models import GeneratedField
from django.utils import translation


def _project_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in settings.PROJECT_APPS:
            yield model, model_admin


def test_every_admin_column_has_a_chinese_label():
    english, doubled = [], []
    with translation.override("zh-hans"):
        for model, model_admin in _project_admins():
            labels = [str(label_for_field(f, model, model_admin)) for f in model_admin.list_display]
            english += [(model._meta.label, label) for label in labels if label.isascii()]
            doubled += [(model._meta.label, label) for label, n in Counter(labels).items() if n > 1]
            for inline in model_admin.inlines:
                for name in inline.fields or ():
                    label = str(label_for_field(name, inline.model, inline))
                    if label.isascii():
                        english.append((inline.model._meta.label, label))
    assert not english
    assert not doubled


def test_every_field_of_the_project_has_a_chinese_label():
    with translation.override("zh-hans"):
        unnamed = [
            f"{model._meta.label}.{field.name}"
            for model in apps.get_models()
            # simple_history's copies keep the library's own columns (history date, type …)
            if model._meta.app_label in settings.PROJECT_APPS
            and not model.__name__.startswith("Historical")
            for field in model._meta.concrete_fields
            # The search columns (generated tsvectors) are never shown.
            if field.name != "id"
            and not isinstance(field, GeneratedField)
            and str(field.verbose_name).isascii()
        ]
    assert unnamed == []
