"""Factories for the models of the plan registry: valid, saved rows by default."""

from decimal import Decimal

import factory
from django.utils import timezone

from plan_registry.models import (
    Area,
    BasicPolicy,
    FeedRun,
    FiscalYearEvent,
    Indicator,
    IndicatorValue,
    IndicatorValueChange,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    kind = Area.Kind.CITY
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"地域{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    parent = None

    class Params:
        ward = factory.Trait(kind=Area.Kind.WARD, parent=factory.LazyFunction(lambda: city_area()))
        daily_life_area = factory.Trait(
            kind=Area.Kind.DAILY_LIFE_AREA,
            parent=factory.SubFactory("tests.factories.AreaFactory", ward=True),
        )
        school_district = factory.Trait(
            kind=Area.Kind.SCHOOL_DISTRICT,
            parent=factory.SubFactory("tests.factories.AreaFactory", daily_life_area=True),
        )


def city_area() -> Area:
    return AreaFactory(code="kumamoto", name="熊本市", kind=Area.Kind.CITY, parent=None)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"計画{n}")
    start_fiscal_year = 2025
    end_fiscal_year = 2031


class BasicPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BasicPolicy

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    title = factory.Sequence(lambda n: f"基本方針{n}")
    position = factory.Sequence(int)


class ViewpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Viewpoint

    policy = factory.SubFactory(BasicPolicyFactory)
    code = factory.Sequence(lambda n: f"V-{n}")
    title = factory.Sequence(lambda n: f"視点{n}")
    position = factory.Sequence(int)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    viewpoint = factory.SubFactory(ViewpointFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"取組{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"事業{n}")
    position = factory.Sequence(int)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"kpi-{n}")
    label = factory.Sequence(lambda n: f"K-{n}")
    name = factory.Sequence(lambda n: f"指標{n}")
    unit = "人"
    direction = Indicator.Direction.INCREASE
    source = Indicator.Source.FEED
    baseline_fiscal_year = 2023
    baseline_value = Decimal("100")
    target_fiscal_year = 2031
    target_value = Decimal("200")
    position = factory.Sequence(int)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2025
    value = Decimal("120")
    source = IndicatorValue.Source.FEED
    recorded_at = factory.LazyFunction(timezone.now)


class IndicatorValueChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValueChange

    indicator = factory.SubFactory(IndicatorFactory, source="manual")
    fiscal_year = 2025
    new_value = Decimal("36.5")
    source_document = "市民アンケート"
    changed_by = factory.SubFactory("tests.factories.volunteer.UserFactory")
    changed_at = factory.LazyFunction(timezone.now)


class FeedRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedRun

    feed = "events.training_participants"
    feed_version = 1
    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2025
    rows_counted = 10
    values_written = 5
    computed_at = factory.LazyFunction(timezone.now)


class FiscalYearEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYearEvent

    fiscal_year = 2025
    action = FiscalYearEvent.Action.CLOSE
    decided_by = factory.SubFactory("tests.factories.volunteer.UserFactory")
    decided_at = factory.LazyFunction(timezone.now)
