"""Factories with valid defaults; traits for the common variants."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from plan_registry.models import (
    Area,
    BasicPolicy,
    Indicator,
    IndicatorValue,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)
from volunteer.models import (
    ActivityCategory,
    Consent,
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    Qualification,
    QualificationType,
    Skill,
    StaffRole,
    User,
)

PASSWORD = "a-long-test-password-123"


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


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"技能{n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")


class ActivityCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"分野{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"住民{n}")
    birth_date = dt.date(1980, 5, 1)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"団体{n}")
    kind = Organisation.Kind.NPO
    status = Organisation.Status.APPROVED
    area = factory.SubFactory(AreaFactory, school_district=True)
    applied_at = factory.LazyFunction(timezone.now)

    class Params:
        applied = factory.Trait(status=Organisation.Status.APPLIED)
        care_facility = factory.Trait(kind=Organisation.Kind.CARE_FACILITY)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMembership.Role.STAFF


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = StaffRole.Role.COORDINATOR

    @factory.post_generation
    def areas(obj: StaffRole, create: bool, extracted: list[Area] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.areas.set(extracted)


class QualificationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"qualification-{n}")
    name = factory.Sequence(lambda n: f"資格{n}")
    name_en = factory.Sequence(lambda n: f"Qualification {n}")
    kind = QualificationType.Kind.TRAINING


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    user = factory.SubFactory(UserFactory)
    qualification_type = factory.SubFactory(QualificationTypeFactory)
    obtained_on = dt.date(2025, 6, 1)


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


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    document = Consent.Document.TERMS
    version = "2025-04"
    consented_at = factory.LazyFunction(timezone.now)


class OrganisationDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDecision

    organisation = factory.SubFactory(OrganisationFactory)
    action = OrganisationDecision.Action.APPROVE
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)
