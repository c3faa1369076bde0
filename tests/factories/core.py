"""Factories for the floor's own record."""

import factory

from core.models import OwnCaseRefusal
from tests.factories.volunteer import UserFactory


class OwnCaseRefusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnCaseRefusal

    actor = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"points.redemption:{n + 1}")
