"""Factories for the models of events: valid, saved rows by default."""

import datetime as dt

import factory
from django.utils import timezone

from events.models import Activity, CalendarFeed, CheckIn, EventSeries, Participation
from events.services import calendar_token_hash
from tests.factories.plan_registry import AreaFactory
from tests.factories.volunteer import ActivityCategoryFactory, OrganisationFactory, UserFactory


def next_week(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.ONE_OFF
    title = factory.Sequence(lambda n: f"活動{n}")
    category = factory.SubFactory(ActivityCategoryFactory)
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    starts_at = factory.LazyFunction(lambda: next_week(10))
    ends_at = factory.LazyFunction(lambda: next_week(12))
    created_at = factory.LazyFunction(timezone.now)


class EventSeriesFactory(factory.django.DjangoModelFactory):
    """The series row only; `event_series_create` makes its occurrences."""

    class Meta:
        model = EventSeries

    organisation = factory.SubFactory(OrganisationFactory)
    rule = "FREQ=WEEKLY;COUNT=4"
    first_starts_at = factory.LazyFunction(lambda: next_week(10))
    duration_minutes = 120
    created_at = factory.LazyFunction(timezone.now)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(UserFactory)
    registered_at = factory.LazyFunction(timezone.now)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    participation = factory.SubFactory(ParticipationFactory)
    activity = factory.SelfAttribute("participation.activity")
    person = factory.SelfAttribute("participation.person")
    direction = CheckIn.Direction.IN
    method = CheckIn.Method.VENUE_QR
    at = factory.LazyAttribute(lambda o: o.participation.activity.starts_at)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A feed whose secret is `token` (hashed as the service keeps it)."""

    class Meta:
        model = CalendarFeed
        exclude = ("token",)

    person = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"calendar-token-{n:040d}")
    token_hash = factory.LazyAttribute(lambda o: calendar_token_hash(o.token))
    created_at = factory.LazyFunction(timezone.now)
