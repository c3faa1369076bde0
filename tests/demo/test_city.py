"""The demo city: the plan's shape, residents of all ages, organisations and the named accounts."""

from collections import Counter

import pytest
from django.utils import timezone

from demo.city import coordinators_by_district
from plan_registry.models import Area
from tests.demo.conftest import PASSWORD
from volunteer.models import Organisation, OrganisationMembership, StaffRole, User

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_the_plans_shape(small_demo: str) -> None:
    kinds = Counter(Area.objects.values_list("kind", flat=True))
    assert kinds == {"city": 1, "ward": 5, "daily_life_area": 27, "school_district": 95}
    districts = Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT)
    assert all(d.is_demo and d.name.endswith("（デモ）") for d in districts)
    assert all(d.parent.kind == Area.Kind.DAILY_LIFE_AREA for d in districts)


def test_neighbours_are_symmetric_and_everyone_has_some(small_demo: str) -> None:
    for district in Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).prefetch_related("neighbours"):
        neighbours = list(district.neighbours.all())
        assert len(neighbours) >= 3
        assert all(district in n.neighbours.all() for n in neighbours)


def test_residents_have_a_realistic_age_mix(small_demo: str) -> None:
    today = timezone.localdate()
    ages = [
        (today - u.birth_date).days // 365 for u in User.objects.filter(email__startswith="demo-resident-")
    ]
    assert len(ages) == 500
    over_65 = sum(age >= 65 for age in ages) / len(ages)
    assert 0.30 < over_65 < 0.48
    assert min(ages) >= 15
    assert max(ages) <= 93


def test_organisations_and_staff_accounts(small_demo: str) -> None:
    organisations = Organisation.objects.filter(is_demo=True)
    assert organisations.filter(kind="school_district_council").count() == 95
    assert organisations.filter(kind="care_facility", is_care_host=True).count() == 10
    assert organisations.filter(status="applied").count() == 3
    coordinator = User.objects.get(email="coordinator@example.com")
    assert coordinator.check_password(PASSWORD)
    role = StaffRole.objects.get(user=coordinator)
    assert sorted(role.areas.values_list("name", flat=True)) == ["中央区", "東区"]
    assert StaffRole.objects.get(user__email="planner@example.com").role == "plan_office"
    assert User.objects.get(email="organiser@example.com").memberships.get().organisation.status == "approved"
    assert User.objects.get(email="admin@example.com").is_superuser


def test_every_organisation_and_district_has_someone_who_may_act_for_it(small_demo: str) -> None:
    approved = Organisation.objects.filter(is_demo=True, status="approved")
    staffed = OrganisationMembership.objects.filter(is_active=True, organisation__in=approved)
    assert set(staffed.values_list("organisation_id", flat=True)) == set(
        approved.values_list("pk", flat=True)
    )
    assert not Organisation.objects.filter(status="applied", memberships__isnull=False).exists()
    covered = coordinators_by_district()
    assert set(Area.objects.filter(kind="school_district").values_list("pk", flat=True)) <= set(covered)
    generated = User.objects.filter(email__startswith="demo-coordinator-")
    assert generated.count() == 3
    assert not any(user.has_usable_password() for user in generated)
