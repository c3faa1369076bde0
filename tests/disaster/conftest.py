"""Personas of disaster mode: the headquarters, shelter staff here and elsewhere, an active
disaster for the `ward` fixture's ward, an open shelter in its school district, a household."""

import pytest

from disaster.models import AgeGroup, Disaster, Household, Shelter, VolunteerCentre
from plan_registry.models import Area
from tests.factories import (
    DisasterFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    QualificationTypeFactory,
    ShelterFactory,
    StaffRoleFactory,
    UserFactory,
    VolunteerCentreFactory,
)
from volunteer.models import QualificationType, StaffRole, User


@pytest.fixture
def disaster_office(ward: Area) -> User:
    user = UserFactory(email="hq@example.com", display_name="危機管理 太郎", is_staff=True)
    StaffRoleFactory(user=user, role=StaffRole.Role.DISASTER_OFFICE, areas=[ward])
    return user


@pytest.fixture
def shelter_staff(ward: Area) -> User:
    user = UserFactory(email="shelter@example.com", display_name="避難所 花子")
    StaffRoleFactory(user=user, role=StaffRole.Role.SHELTER_STAFF, areas=[ward])
    return user


@pytest.fixture
def shelter_staff_elsewhere(other_ward: Area) -> User:
    user = UserFactory(email="shelter-kita@example.com")
    StaffRoleFactory(user=user, role=StaffRole.Role.SHELTER_STAFF, areas=[other_ward])
    return user


@pytest.fixture
def disaster(ward: Area, disaster_office: User) -> Disaster:
    return DisasterFactory(wards=[ward], declared_by=disaster_office)


@pytest.fixture
def shelter(school_district: Area, disaster: Disaster) -> Shelter:
    return ShelterFactory(
        name="桜台小学校体育館",
        school_district=school_district,
        status=Shelter.Status.OPEN,
        disaster=disaster,
    )


@pytest.fixture
def other_shelter(school_district: Area, disaster: Disaster) -> Shelter:
    return ShelterFactory(
        name="桜台中学校", school_district=school_district, status=Shelter.Status.OPEN, disaster=disaster
    )


@pytest.fixture
def household(resident: User) -> Household:
    household = HouseholdFactory(head=resident)
    HouseholdMemberFactory(household=household, name="田中 陽子", age_group=AgeGroup.ADULT)
    HouseholdMemberFactory(household=household, name="田中 翔", age_group=AgeGroup.INFANT)
    return household


@pytest.fixture
def centre_staff(ward: Area) -> User:
    user = UserFactory(email="centre@example.com", display_name="災害VC 次郎")
    StaffRoleFactory(user=user, role=StaffRole.Role.CENTRE_STAFF, areas=[ward])
    return user


@pytest.fixture
def centre(school_district: Area, disaster: Disaster) -> VolunteerCentre:
    return VolunteerCentreFactory(
        disaster=disaster,
        name="中央区災害ボランティアセンター",
        school_district=school_district,
        daily_quota=3,
    )


@pytest.fixture
def disaster_insurance() -> QualificationType:
    return QualificationTypeFactory(
        code="volunteer-insurance-disaster", name="ボランティア活動保険（天災・地震プラン）", kind="insurance"
    )


@pytest.fixture
def chainsaw() -> QualificationType:
    return QualificationTypeFactory(code="chainsaw", name="チェーンソー特別教育修了", kind="licence")


@pytest.fixture
def commissioner(ward: Area) -> User:
    """A 民生委員 of the ward: reads the register of people who need help to evacuate."""
    user = UserFactory(email="minsei@example.com", display_name="民生 委員")
    StaffRoleFactory(user=user, role=StaffRole.Role.WELFARE_COMMISSIONER, areas=[ward])
    return user
