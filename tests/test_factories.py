"""Every model has a factory whose defaults make a valid, saved row."""

import pytest

import tests.factories as factories
from core.privacy import project_models

pytestmark = pytest.mark.django_db


def _factories() -> dict[str, type]:
    found = {}
    for value in vars(factories).values():
        model = getattr(getattr(value, "_meta", None), "model", None)
        if model is not None:
            found[model._meta.label] = value
    return found


def test_every_project_model_has_a_factory() -> None:
    models = {model._meta.label for model in project_models()}
    assert models - set(_factories()) == set()


@pytest.mark.parametrize("label", sorted(_factories()))
def test_factory_defaults_make_a_valid_row(label: str) -> None:
    instance = _factories()[label]()
    instance.full_clean()
    assert type(instance).objects.filter(pk=instance.pk).exists()
