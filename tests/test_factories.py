"""Every model has a factory whose defaults make a valid, saved row."""

import pytest
from django.apps import apps

import tests.factories as factories

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("plan_registry", "volunteer", "events", "matching", "points")


def _factories() -> dict[str, type]:
    found = {}
    for value in vars(factories).values():
        model = getattr(getattr(value, "_meta", None), "model", None)
        if model is not None:
            found[model._meta.label] = value
    return found


def test_every_project_model_has_a_factory() -> None:
    models = {m._meta.label for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}
    assert models - set(_factories()) == set()


@pytest.mark.parametrize("label", sorted(_factories()))
def test_factory_defaults_make_a_valid_row(label: str) -> None:
    instance = _factories()[label]()
    instance.full_clean()
    assert type(instance).objects.filter(pk=instance.pk).exists()
