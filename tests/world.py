"""A row of every model of ours in a committee, built from the models' own declarations.

The scoping meta-test builds one world in Xuhui and one in Huangpu and then proves that every
admin page and API route keeps them apart. Rows are made generically — each required field gets
a plain value, each foreign key a row of the same committee (the committee path followed on
purpose) — so a model added later is covered without anyone remembering to add it here.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.roles import Role
from core.scoping import committee_path

_serial = count(1)

# Every staff role: the users who try the worlds hold them all.
ALL_ROLES = [code for code in Role.labels if code not in (Role.MEMBER, Role.HANDLING_UNIT)]

# Nullable foreign keys left empty for a row to satisfy the model's constraints (every other
# foreign key is filled, so that the walks see a row of each related model too).
LEFT_EMPTY = {
    ("consultations", "Instruction", "suggestion"),
    ("members", "User", "handling_unit"),
    ("members", "ApiToken", "owner"),  # a district token (its service account), not a personal one
    ("opinions", "Piece", "report"),
}
# Values a field must have for a row to satisfy the model's database constraints.
FIELD_VALUES = {
    ("members", "Seat", "status"): "active",
    ("proposals", "Proposal", "state"): "handling",
    ("brands", "Round", "voting_closes_at"): timezone.make_aware(datetime(2100, 1, 1)),
    ("brands", "Round", "state"): "published",  # its results route answers once published
    ("brands", "Candidate", "state"): "eligible",
    ("brands", "Brand", "founded_year"): 2019,
    ("opinions", "Piece", "state"): "kept",
    ("opinions", "Piece", "received_at"): datetime(2024, 1, 1, tzinfo=UTC),
}


def our_models() -> list[type[models.Model]]:
    """Every concrete model of the project's apps (history tables excluded)."""
    found = []
    for label in settings.PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.abstract or model.__name__.startswith("Historical"):
                continue
            found.append(model)
    return found


def _plain_value(model, field):
    key = (model._meta.app_label, model.__name__, field.name)
    if key in FIELD_VALUES:
        return FIELD_VALUES[key]
    if field.choices:
        return field.choices[0][0]
    n = next(_serial)
    if isinstance(field, models.EmailField):
        return f"world{n}@example.org"
    if isinstance(field, models.CharField | models.TextField):
        text = f"{model.__name__}{n}"
        return text[-field.max_length :] if field.max_length else text
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return date.today() - timedelta(days=30)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField | models.FloatField):
        return 1
    if isinstance(field, models.IntegerField):
        # Numbers stay within a small integer column however many rows a run builds.
        return {"year": date.today().year, "number": n % 30000 + 1}.get(field.name, 1)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.FileField):
        return f"world/{n}.pdf"
    if isinstance(field, models.GenericIPAddressField):
        return "192.0.2.1"
    if isinstance(field, models.UUIDField):
        import uuid

        return uuid.uuid4()
    raise NotImplementedError(f"{model.__name__}.{field.name}: {type(field).__name__}")


class World:
    """`World(committee)[Model]` is that committee's row of Model, built on first use."""

    def __init__(self, committee):
        self.committee = committee
        self.rows: dict[type[models.Model], models.Model] = {}
        Committee = apps.get_model("members", "Committee")
        self.rows[Committee] = committee

    def __getitem__(self, model):
        if model not in self.rows:
            self.rows[model] = self._build(model)
        return self.rows[model]

    def build_all(self) -> "World":
        for model in our_models():
            if committee_path(model) != "":
                self[model]
        return self

    def _related(self, field):
        target = field.related_model
        if target is ContentType:
            return ContentType.objects.get_for_model(self.committee)
        if field.one_to_one:  # a row of its own for each one-to-one
            return self._build(target)
        if committee_path(target) == "":
            return target._default_manager.first() or self._build(target)
        return self[target]

    def _build(self, model):
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or isinstance(field, models.GeneratedField):
                continue
            if field.is_relation:
                key = (model._meta.app_label, model.__name__, field.name)
                if field.related_model is model or key in LEFT_EMPTY:
                    continue
                values[field.name] = self._related(field)
            elif (model._meta.app_label, model.__name__, field.name) in FIELD_VALUES or not (
                field.has_default() or field.null or (field.blank and not field.choices)
            ):
                values[field.name] = _plain_value(model, field)
        if model.__name__ == "User":
            values.setdefault("committee", self.committee)
        return model._default_manager.create(**values)
