"""Factories for the floor's own record."""

import factory
from django.utils import timezone

from core.models import IdempotencyKey, OwnCaseRefusal
from tests.factories.volunteer import UserFactory


class OwnCaseRefusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnCaseRefusal

    actor = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"points.redemption:{n + 1}")


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    status_code = 201
    body = factory.LazyFunction(lambda: {"id": 1})
    created_at = factory.LazyFunction(timezone.now)
