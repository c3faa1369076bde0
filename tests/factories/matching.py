"""Factories for the models of matching: valid, saved rows by default."""

import datetime as dt

import factory
from django.utils import timezone

from matching.models import (
    AddressRelease,
    Match,
    MatchDecision,
    MatchingRequest,
    MatchingRun,
    Need,
    NeedWindow,
    Offer,
    Reach,
)
from tests.factories.events import next_week
from tests.factories.plan_registry import AreaFactory
from tests.factories.volunteer import ActivityCategoryFactory, UserFactory
from volunteer.models import (
    ActivityCategory,
)

EVERY_MORNING = [{"weekday": day, "start": "09:00", "end": "12:00"} for day in range(7)]


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    reach = Reach.NEIGHBOURS
    weekly_availability = factory.LazyFunction(lambda: list(EVERY_MORNING))
    max_per_week = 2
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(
        obj: Offer, create: bool, extracted: list[ActivityCategory] | None, **kwargs: object
    ) -> None:
        if create:
            obj.categories.set(
                extracted if extracted is not None else [ActivityCategoryFactory(code="listening")]
            )


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    requester = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"手伝ってほしいこと{n}")
    category = factory.SubFactory(ActivityCategoryFactory, code="listening")
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    address = "熊本市中央区手取本町1-1"
    headcount = 1
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def windows(
        obj: Need, create: bool, extracted: list[tuple[dt.datetime, dt.datetime]] | None, **kwargs: object
    ) -> None:
        if create:
            for start, end in extracted if extracted is not None else [(next_week(9), next_week(11))]:
                NeedWindow.objects.create(need=obj, starts_at=start, ends_at=end)


class NeedWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedWindow

    need = factory.SubFactory(NeedFactory, windows=[])
    starts_at = factory.LazyFunction(lambda: next_week(9))
    ends_at = factory.LazyFunction(lambda: next_week(11))


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    need = factory.SubFactory(NeedFactory)
    offer = factory.SubFactory(OfferFactory)
    volunteer = factory.SelfAttribute("offer.person")
    source = Match.Source.ENGINE
    reason = "同じ校区"
    proposed_at = factory.LazyFunction(timezone.now)


class MatchDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchDecision

    match = factory.SubFactory(MatchFactory)
    action = MatchDecision.Action.PROPOSE
    decided_at = factory.LazyFunction(timezone.now)


class AddressReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AddressRelease

    match = factory.SubFactory(MatchFactory, status=Match.Status.SCHEDULED)
    need = factory.SelfAttribute("match.need")
    person = factory.SelfAttribute("match.volunteer")
    released_at = factory.LazyFunction(timezone.now)


class MatchingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingRequest

    kind = MatchingRequest.Kind.FULL
    created_at = factory.LazyFunction(timezone.now)


class MatchingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingRun

    kind = MatchingRequest.Kind.FULL
    started_at = factory.LazyFunction(timezone.now)
