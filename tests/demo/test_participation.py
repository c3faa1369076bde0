"""The demo's events: a history of verified attendance since the first day of the fiscal year two
years back, in the states the events services leave behind, and registrations to come."""

import datetime as dt

import pytest
from django.db.models import Count, F
from django.utils import timezone

from events.models import Activity, CheckIn, Participation
from events.selectors import activity_staff_may_act
from plan_registry.fiscal_year import FiscalYear, fiscal_year_of
from points.rules import age_on
from volunteer.models import Qualification

pytestmark = pytest.mark.django_db


def test_the_history_starts_with_the_fiscal_year_two_years_back(small_demo: str) -> None:
    events = Activity.objects.filter(source_key__startswith="demo-event:")
    since = FiscalYear(fiscal_year_of(timezone.now()).year - 2)
    first = events.order_by("starts_at").first()
    assert first is not None
    assert since.start <= first.starts_at < since.start + dt.timedelta(days=14)
    assert events.filter(starts_at__gt=timezone.now()).exists()
    assert events.count() > 100
    assert "since 令和" in small_demo


def test_attendance_is_checked_in_out_and_verified_by_the_organisations_staff(small_demo: str) -> None:
    verified = Participation.objects.filter(verified_at__isnull=False).select_related(
        "activity", "verified_by"
    )
    assert verified.count() > 500
    assert not verified.filter(verified_by=F("person")).exists()
    assert not verified.filter(verified_at__gt=timezone.now()).exists()
    assert not verified.filter(verified_at__lt=F("activity__ends_at")).exists()
    assert not verified.filter(minutes__gt=120).exists()
    assert CheckIn.objects.filter(participation__in=verified).count() == 2 * verified.count()
    allowed: dict[tuple[int, int], bool] = {}
    for participation in verified:
        key = (participation.activity_id, participation.verified_by_id or 0)
        if key not in allowed:
            allowed[key] = activity_staff_may_act(
                activity=participation.activity, staff=participation.verified_by
            )
        assert allowed[key], participation
    # A few never came: registered, never checked in, left unverified.
    no_shows = Participation.objects.filter(activity__ends_at__lt=timezone.now(), verified_at__isnull=True)
    assert no_shows.exists()
    assert not no_shows.filter(checked_in_at__isnull=False).exists()


def test_a_few_people_come_every_week_most_now_and_then(small_demo: str) -> None:
    counts = sorted(
        Participation.objects.filter(verified_at__isnull=False, source_key__startswith="demo-event:")
        .values("person")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert counts[-1] >= 5 * counts[len(counts) // 2]


def test_minors_took_part_with_a_guardians_consent_on_record(small_demo: str) -> None:
    took_part = Participation.objects.exclude(status="cancelled").select_related("activity", "person")
    minors = [
        p.person
        for p in took_part
        if p.person.birth_date
        and age_on(p.person.birth_date, timezone.localtime(p.activity.starts_at).date()) < 18
    ]
    assert minors
    assert all(person.consents.filter(document="guardian").exists() for person in minors)


def test_trainings_granted_their_qualification_to_who_attended(small_demo: str) -> None:
    trained = Participation.objects.filter(
        verified_at__isnull=False, activity__grants_qualification__isnull=False
    )
    assert trained.exists()
    for participation in trained.select_related("activity"):
        assert Qualification.objects.filter(
            user_id=participation.person_id,
            qualification_type_id=participation.activity.grants_qualification_id,
        ).exists()


def test_the_coming_weeks_have_registrations(small_demo: str) -> None:
    coming = Participation.objects.filter(activity__starts_at__gt=timezone.now())
    assert coming.filter(status="registered").count() > 10
    assert not coming.filter(verified_at__isnull=False).exists()
