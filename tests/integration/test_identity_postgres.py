"""The provider's answer delivered twice at the same moment (a double tap, a browser retry), on
PostgreSQL with each request on its own connection: exactly one links, the other is told the
state was already used, and the record says so once each."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.identity_provider import IdentityProvider
from tests.integration.test_ledger_postgres import race
from tests.volunteer.test_identity import provider_redirect, start
from volunteer.models import IdentityEvent, VerifiedIdentity

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_same_answer_twice_at_once_links_once(
    client_for: object, identity_provider: IdentityProvider
) -> None:
    person = UserFactory()
    callback = provider_redirect(start(client_for(person)))  # type: ignore[operator]
    parts = urlsplit(callback)

    answers = race(2, lambda: Client().get(parts.path, parse_qs(parts.query))["Location"])

    outcomes = sorted(urlsplit(answer).query for answer in answers)  # type: ignore[arg-type]
    assert outcomes == ["error=state_replayed", "result=linked"]
    assert VerifiedIdentity.objects.filter(person=person).count() == 1
    assert sorted(IdentityEvent.objects.values_list("action", "code")) == [
        ("linked", ""),
        ("refused", "state_replayed"),
    ]
