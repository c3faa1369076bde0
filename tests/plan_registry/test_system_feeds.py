"""The system's own indicators against hand-counted fixtures."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.models import Area, IndicatorValue
from plan_registry.services import feeds_run
from points import services as points_services
from points.models import LedgerTransaction
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    OfferFactory,
    ParticipationFactory,
    UserFactory,
)
from volunteer.models import User

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def _indicators(city_schemes_configured: None) -> None:
    for code in ("SYS-01", "SYS-02", "SYS-03", "SYS-04", "SYS-05", "SYS-06"):
        IndicatorFactory(code=code, source="feed")


def values(code: str, fiscal_year: int) -> dict[str | None, Decimal]:
    rows = IndicatorValue.objects.filter(indicator__code=code, fiscal_year=fiscal_year).select_related("area")
    return {(row.area.code if row.area else None): row.value for row in rows}


def activity(district: Area, at: dt.datetime, hours: int = 2) -> Activity:
    return ActivityFactory(school_district=district, starts_at=at, ends_at=at + dt.timedelta(hours=hours))


def verified(event: Activity, person: User, minutes: int, coordinator: User) -> Participation:
    participation = ParticipationFactory(
        activity=event, person=person, minutes=minutes, verified_at=event.ends_at, verified_by=coordinator
    )
    points_services.participation_award(participation_id=participation.pk)
    return participation


def test_active_and_first_time_volunteers_and_hours(
    school_district: Area, other_school_district: Area, coordinator: User
) -> None:
    here = activity(school_district, dt.datetime(2025, 6, 1, 10, tzinfo=JST))
    there = activity(other_school_district, dt.datetime(2025, 7, 1, 10, tzinfo=JST))
    last_year = activity(school_district, dt.datetime(2025, 3, 31, 10, tzinfo=JST))
    veteran = UserFactory(school_district=school_district)  # first came in FY2024
    newcomer = UserFactory(school_district=school_district)
    from_afar = UserFactory(school_district=other_school_district)
    verified(last_year, veteran, 60, coordinator)
    verified(here, veteran, 90, coordinator)
    verified(there, veteran, 120, coordinator)
    verified(here, newcomer, 45, coordinator)
    verified(here, from_afar, 120, coordinator)
    ParticipationFactory(
        activity=there, person=UserFactory(school_district=other_school_district)
    )  # unverified

    feeds_run(fiscal_year=2025)

    # active: veteran and newcomer live in chuo-01, from_afar in kita-01 — each counted once.
    assert values("SYS-02", 2025) == {
        None: 3,
        "chuo": 2,
        "chuo-dla-1": 2,
        "chuo-01": 2,
        "kita": 1,
        "kita-dla-1": 1,
        "kita-01": 1,
    }
    assert values("SYS-03", 2025) == {
        None: 2,
        "chuo": 1,
        "chuo-dla-1": 1,
        "chuo-01": 1,
        "kita": 1,
        "kita-dla-1": 1,
        "kita-01": 1,
    }
    # hours where the activity was: chuo-01 90 + 45 + 120 = 255 min, kita-01 120 min.
    assert values("SYS-04", 2025)[None] == Decimal("6.3")
    assert (values("SYS-04", 2025)["chuo-01"], values("SYS-04", 2025)["kita-01"]) == (
        Decimal("4.3"),
        Decimal("2.0"),
    )


def test_registered_volunteers_with_an_offer_valid_in_the_year(school_district: Area) -> None:
    person = UserFactory()
    OfferFactory(
        person=person,
        school_district=school_district,
        valid_until=dt.date(2025, 12, 31),
        created_at=dt.datetime(2025, 5, 1, tzinfo=JST),
    )
    OfferFactory(
        person=person,
        school_district=school_district,
        valid_until=dt.date(2026, 1, 31),
        created_at=dt.datetime(2025, 5, 2, tzinfo=JST),
    )
    OfferFactory(
        school_district=school_district,
        valid_until=dt.date(2025, 3, 31),
        created_at=dt.datetime(2025, 1, 1, tzinfo=JST),
    )  # expired before FY2025

    feeds_run(fiscal_year=2025)

    assert values("SYS-01", 2025)[None] == 1  # one person, two offers


def test_points_issued_and_certificates(school_district: Area, coordinator: User) -> None:
    person = UserFactory(school_district=school_district)
    event = activity(school_district, dt.datetime(2025, 6, 1, 10, tzinfo=JST))
    first = verified(event, person, 60, coordinator)
    verified(activity(school_district, dt.datetime(2025, 6, 2, 10, tzinfo=JST)), person, 60, coordinator)
    points_services.transaction_reverse(
        posted=LedgerTransaction.objects.get(participation=first), staff=coordinator, reason="誤登録"
    )
    points_services.certificate_issue(person=person, participation=first)

    now_year = fiscal_year_of(timezone.now()).year
    feeds_run(fiscal_year=now_year)  # the awards and the certificate were made now

    assert values("SYS-05", now_year)[None] == 100  # two awards of 100, one reversed
    assert values("SYS-06", now_year) == {None: 1, "chuo": 1, "chuo-dla-1": 1, "chuo-01": 1}
