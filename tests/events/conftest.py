import datetime as dt

import pytest
from django.utils import timezone

from events import services
from events.models import Activity, Participation
from plan_registry.models import Area
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    OrganisationFactory,
    ParticipationFactory,
)
from volunteer.models import ActivityCategory, Organisation, OrganisationMembership, User


@pytest.fixture
def organisation(organiser: User) -> Organisation:
    return OrganisationMembership.objects.get(user=organiser).organisation


@pytest.fixture
def running_activity(organisation: Organisation, school_district: Area) -> Activity:
    """An activity of the organiser's organisation that started 30 minutes ago and runs 2 hours."""
    starts_at = timezone.now() - dt.timedelta(minutes=30)
    return ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        school_district=school_district,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )


@pytest.fixture(autouse=True)
def _schemes(city_schemes_configured: None) -> None:
    """Verification awards points: the city's schemes are there."""


@pytest.fixture
def registered(running_activity: Activity, resident: User) -> Participation:
    return ParticipationFactory(activity=running_activity, person=resident)


@pytest.fixture
def entered(registered: Participation, organiser: User) -> Participation:
    """The registered resident, entered at the door by the organiser by hand (no phone)."""
    services.checkin_manual(
        activity=registered.activity,
        person=registered.person,
        staff=organiser,
        direction="in",
        reason="紙の出席簿",
    )
    registered.refresh_from_db()
    return registered


@pytest.fixture
def care_host(school_district: Area) -> Organisation:
    return OrganisationFactory(
        care_facility=True, is_care_host=True, area=school_district, name="特養ひまわり"
    )


@pytest.fixture
def category() -> ActivityCategory:
    return ActivityCategoryFactory(code="salon", name="サロン")
