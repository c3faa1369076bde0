from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.city import city_load
from plan_registry.models import Area
from volunteer.models import Organisation, StaffRole, User

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_the_plans_shape(demo_city: None) -> None:
    kinds = Counter(Area.objects.values_list("kind", flat=True))
    assert kinds == {"city": 1, "ward": 5, "daily_life_area": 27, "school_district": 95}
    districts = Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT)
    assert all(d.is_demo and d.name.endswith("（デモ）") for d in districts)
    assert all(d.parent.kind == Area.Kind.DAILY_LIFE_AREA for d in districts)


def test_neighbours_are_symmetric_and_everyone_has_some(demo_city: None) -> None:
    for district in Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).prefetch_related("neighbours"):
        neighbours = list(district.neighbours.all())
        assert len(neighbours) >= 3
        assert all(district in n.neighbours.all() for n in neighbours)


def test_residents_have_a_realistic_age_mix(demo_city: None) -> None:
    today = timezone.localdate()
    ages = [
        (today - u.birth_date).days // 365 for u in User.objects.filter(email__startswith="demo-resident-")
    ]
    assert len(ages) == 500
    over_65 = sum(age >= 65 for age in ages) / len(ages)
    assert 0.30 < over_65 < 0.48
    assert min(ages) >= 15
    assert max(ages) <= 93


def test_organisations_and_staff_accounts(demo_city: None) -> None:
    organisations = Organisation.objects.filter(is_demo=True)
    assert organisations.filter(kind="school_district_council").count() == 95
    assert organisations.filter(kind="care_facility", is_care_host=True).count() == 10
    assert organisations.filter(status="applied").count() == 3
    coordinator = User.objects.get(email="coordinator@example.com")
    assert coordinator.check_password("demo-password-123")
    role = StaffRole.objects.get(user=coordinator)
    assert sorted(role.areas.values_list("name", flat=True)) == ["中央区", "東区"]
    assert StaffRole.objects.get(user__email="planner@example.com").role == "plan_office"
    assert User.objects.get(email="organiser@example.com").memberships.get().organisation.status == "approved"


def test_a_second_run_only_resets_the_password(demo_city: None) -> None:
    before = (User.objects.count(), Area.objects.count(), Organisation.objects.count())
    city_load(password="another-password-456", residents=500)
    assert (User.objects.count(), Area.objects.count(), Organisation.objects.count()) == before
    assert User.objects.get(email="planner@example.com").check_password("another-password-456")


def test_demo_data_is_never_generated_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_load")
    with pytest.raises(RuntimeError):
        city_load(password="x")
    assert not User.objects.exists()
