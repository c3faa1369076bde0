import pytest

from events import services
from events.models import Activity, Participation
from plan_registry.models import Area
from tests.factories import (
    ActivityCategoryFactory,
    OrganisationFactory,
    ParticipationFactory,
)
from volunteer.models import ActivityCategory, Organisation, User


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
