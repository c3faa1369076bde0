"""The demo's points and the plan's feeds: a ledger that reconciles, the demo resident's points,
stamps and certificate, and feed values for the last three fiscal years."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.fiscal_year import FiscalYear, fiscal_year_of
from plan_registry.models import IndicatorValue
from points import services
from points.models import Account, Certificate, LedgerTransaction, Redemption
from volunteer.models import User

pytestmark = pytest.mark.django_db


def test_the_ledger_reconciles_and_every_verified_participation_went_through_the_rules(
    small_demo: str,
) -> None:
    out = StringIO()
    call_command("points_reconcile", stdout=out)

    assert out.getvalue().startswith("no difference")
    report = services.points_reconcile()
    assert report.ok
    assert report.participations == Participation.objects.filter(verified_at__isnull=False).count() > 500
    # Each award is dated when its participation was verified, as if its task had run then.
    for award in LedgerTransaction.objects.filter(kind="award").select_related("participation")[:200]:
        assert award.participation is not None
        assert award.created_at == award.participation.verified_at


def test_points_past_their_end_date_have_expired(small_demo: str) -> None:
    expired = LedgerTransaction.objects.filter(kind="expiry")
    assert expired.exists()
    assert not Account.objects.filter(kind="resident", balance__lt=0).exists()


def test_the_demo_resident_has_points_stamps_a_certificate_and_a_salon_to_come(small_demo: str) -> None:
    tanaka = User.objects.get(email="resident@example.com")

    assert Account.objects.get(owner=tanaka, scheme__code="kumamoto").balance > 0
    assert Account.objects.get(owner=tanaka, scheme__code="care-support").balance > 0  # 72, at a care host
    assert Certificate.objects.filter(person=tanaka).exists()
    assert Participation.objects.filter(
        person=tanaka,
        status="registered",
        activity__starts_at__gt=timezone.now(),
        activity__title__contains="サロン",
    ).exists()


def test_residents_redeemed_points_and_staff_approved_most(small_demo: str) -> None:
    assert Redemption.objects.filter(status="approved").exists()
    assert Certificate.objects.filter(person__email__startswith="demo-resident-").exists()


FEEDS = ("SYS-02", "SYS-04", "SYS-05", "SYS-08", "SYS-10", "SYS-11", "KPI4-02", "SYS-14", "SYS-15")


def city_value(code: str, fiscal_year: int) -> float:
    found = IndicatorValue.objects.filter(
        indicator__code=code, fiscal_year=fiscal_year, area=None, breakdown="", source="feed"
    ).first()
    return float(found.value) if found else 0.0


def test_the_feeds_have_values_for_the_last_three_fiscal_years(small_demo: str) -> None:
    current = fiscal_year_of(timezone.now()).year
    for fiscal_year in (current - 2, current - 1):  # whole years of history
        assert {code: city_value(code, fiscal_year) > 0 for code in FEEDS} == dict.fromkeys(FEEDS, True)
    for fiscal_year in (current - 2, current - 1, current):  # this year: what has happened so far
        year = FiscalYear(fiscal_year)
        held = Q(activity__starts_at__gte=year.start, activity__starts_at__lt=year.end)
        verified = Participation.objects.filter(held, verified_at__isnull=False)
        assert city_value("SYS-08", fiscal_year) == verified.count()
        assert city_value("SYS-02", fiscal_year) == verified.values("person").distinct().count()
    assert Activity.objects.filter(starts_at__lt=FiscalYear(current - 2).start).count() == 0
