"""The right of disclosure: `GET /api/v1/me/export/` holds everything the service holds about the
person (core.personal_data), and nothing about anyone else; each export is recorded."""

from collections.abc import Callable
from typing import Any

import factory
import pytest
from django.contrib.auth import get_user_model
from django.db import models, transaction
from rest_framework.test import APIClient

from core.personal_data import FORMAT, HOLDINGS
from core.privacy import project_models
from matching.models import Need, NeedWindow
from points.models import Account, Entry, Scheme
from points.services.ledger import Line, resident_account, system_account, transaction_post
from tests import factories
from volunteer.models import NotificationDelivery, RightsRequest, User

pytestmark = pytest.mark.django_db


def _person_fields(model: type[models.Model]) -> list[str]:
    person = get_user_model()
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is person]


def _factories() -> dict[type[models.Model], Any]:
    made = {}
    for name in factories.__all__:
        candidate = getattr(factories, name)
        if isinstance(candidate, type) and issubclass(candidate, factory.django.DjangoModelFactory):
            made[candidate._meta.model] = candidate
    return made


def test_every_model_that_refers_to_a_person_declares_it() -> None:
    """A new model with a foreign key to a person fails here until its holding names that key."""
    undeclared = [
        f"{model._meta.label}.{field}"
        for model in project_models()
        for field in _person_fields(model)
        if field not in (HOLDINGS[model._meta.label].paths if model._meta.label in HOLDINGS else ())
    ]

    assert undeclared == []


def _export(client_for: Callable[[User], APIClient], person: User) -> dict[str, Any]:
    response = client_for(person).get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response["Cache-Control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


def _pks(export: dict[str, Any], model: type[models.Model]) -> set[int]:
    return {row["id"] for row in export["records"][model._meta.label]["rows"]}


def test_the_export_holds_every_row_about_the_person_and_none_about_others(
    client_for: Callable[[User], APIClient],
    resident: User,
    other_resident: User,
    city_schemes_configured: None,
) -> None:
    made = _factories()
    expected: dict[type[models.Model], set[int]] = {}
    for model in project_models():
        for field in _person_fields(model):
            if model not in made:
                continue
            row = made[model](**{field: resident})
            expected.setdefault(model, set()).add(row.pk)
    # Rows about the person through another row: a ledger entry, a delivery, a need's time.
    kumamoto = Scheme.objects.get(code="kumamoto")
    with transaction.atomic():  # a real posting: PostgreSQL refuses an entry outside its scheme
        posted, _new = transaction_post(
            kind="award",
            business_key="export-test",
            scheme=kumamoto,
            lines=[
                Line(system_account(scheme=kumamoto, kind=Account.Kind.ISSUANCE), -10),
                Line(resident_account(scheme=kumamoto, person=resident), 10),
            ],
        )
    entry = posted.entries.get(account__owner=resident)
    delivery = factories.NotificationDeliveryFactory(notification__user=resident)
    window = factories.NeedWindowFactory(need__requester=resident)
    someone_elses = factories.NeedFactory(requester=other_resident)

    export = _export(client_for, resident)

    assert export["format"] == FORMAT
    assert export["person"] == resident.pk
    missing = {
        model._meta.label: sorted(pks - _pks(export, model))
        for model, pks in expected.items()
        if pks - _pks(export, model)
    }
    assert missing == {}
    assert entry.pk in _pks(export, Entry)
    assert delivery.pk in _pks(export, NotificationDelivery)
    assert window.pk in _pks(export, NeedWindow)
    assert someone_elses.pk not in _pks(export, Need)
    person_row = export["records"]["volunteer.User"]["rows"]
    assert [row["id"] for row in person_row] == [resident.pk]
    assert "password" not in person_row[0]
    assert person_row[0]["email"] == resident.email
    assert all(record["why"] for record in export["records"].values())


def test_each_export_is_recorded_and_shows_in_the_next(
    client_for: Callable[[User], APIClient], resident: User
) -> None:
    _export(client_for, resident)
    second = _export(client_for, resident)

    assert RightsRequest.objects.filter(person=resident, kind="export").count() == 2
    assert len(second["records"]["volunteer.RightsRequest"]["rows"]) == 2
