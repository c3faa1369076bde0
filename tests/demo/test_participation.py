"""The demo history: events with verified attendance, points from the rules, certificates."""

import pytest
from django.core.management import call_command

from events.models import Activity, Participation
from points import services
from points.models import Account, Certificate
from volunteer.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_history_that_reconciles(demo_city: None, city_schemes_configured: None) -> None:
    call_command("demo_load", small=True, verbosity=0)
    events = Activity.objects.count()
    call_command("demo_load", small=True, verbosity=0)  # a second run adds nothing

    tanaka = User.objects.get(email="resident@example.com")
    assert Activity.objects.count() == events
    assert Activity.objects.filter(source_key__startswith="demo-event:").count() > 100
    verified = Participation.objects.filter(verified_at__isnull=False, activity__title__endswith="（デモ）")
    assert verified.count() > 200
    assert Account.objects.get(owner=tanaka, scheme__code="kumamoto").balance > 0
    assert Account.objects.get(owner=tanaka, scheme__code="care-support").balance > 0  # 72, at a care host
    assert Certificate.objects.filter(person=tanaka).exists()
    assert services.points_reconcile().ok


def test_the_demo_is_refused_outside_demo_mode(settings: object) -> None:
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError):
        call_command("demo_load", small=True, verbosity=0)
    assert not Activity.objects.exists()


def test_the_demo_feeds_the_plan(demo_city: None, city_schemes_configured: None) -> None:
    from django.utils import timezone

    from plan_registry.fiscal_year import fiscal_year_of
    from plan_registry.models import IndicatorValue

    call_command("demo_load", small=True, verbosity=0)

    current = fiscal_year_of(timezone.now()).year
    fed = IndicatorValue.objects.filter(fiscal_year=current, area=None, breakdown="", source="feed")
    assert fed.get(indicator__code="SYS-02").value > 0  # active volunteers this year
    assert fed.filter(indicator__code="KPI5-I-2").exists()
