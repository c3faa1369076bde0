import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from events.models import Participation
from points import services
from points.models import Scheme
from tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    ParticipationFactory,
    VerifiedIdentityFactory,
)
from volunteer.models import Organisation, User

Verified = Callable[..., Participation]


@pytest.fixture(autouse=True)
def _schemes(city_schemes_configured: None) -> None:
    pass


@pytest.fixture
def kumamoto() -> Scheme:
    return Scheme.objects.get(code="kumamoto")


@pytest.fixture
def care_support() -> Scheme:
    return Scheme.objects.get(code="care-support")


@pytest.fixture
def care_host() -> Organisation:
    return OrganisationFactory(care_facility=True, is_care_host=True, name="特養ひまわり")


@pytest.fixture
def resident(resident: User) -> User:
    """Here the resident has verified their identity (rewards are handed over to that name)."""
    VerifiedIdentityFactory(person=resident)
    return resident


@pytest.fixture
def senior() -> User:
    """Born 10 April 1950, as the My Number card verified."""
    from tests.factories import UserFactory

    person = UserFactory(
        email="senior@example.com", display_name="熊本 花子", birth_date=dt.date(1950, 4, 10)
    )
    VerifiedIdentityFactory(person=person)
    return person


@pytest.fixture
def verified(coordinator: User) -> Verified:
    """A verified participation, awarded, for `person` at `organisation` on `day` for `minutes`."""

    def make(person: User, minutes: int = 150, organisation: Organisation | None = None,
             starts_at: dt.datetime | None = None, award: bool = True) -> Participation:  # fmt: skip
        starts_at = starts_at or timezone.now() - dt.timedelta(days=3)
        activity = ActivityFactory(organisation=organisation, starts_at=starts_at,
                                   ends_at=starts_at + dt.timedelta(minutes=max(minutes, 60)))  # fmt: skip
        participation = ParticipationFactory(
            activity=activity,
            person=person,
            minutes=minutes,
            verified_at=timezone.now(),
            verified_by=coordinator,
        )
        if award:
            services.participation_award(participation_id=participation.pk)
        return participation

    return make


@pytest.fixture
def ledger_unguarded() -> None:
    """The ledger's database guards switched off, as whoever owns its tables could (on PostgreSQL;
    SQLite has none), to show what the reconciliation finds then. Undone with the test's
    transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what is pending is checked first
            for table in ("points_entry", "points_ledgertransaction", "points_ledgerseal"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
