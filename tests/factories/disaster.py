"""Factories for the models of disaster: valid, saved rows by default (an active disaster, an open
shelter in one of its wards)."""

import datetime as dt
import uuid

import factory
from django.utils import timezone

from disaster.models import (
    AgeGroup,
    AvailableDay,
    CallUp,
    CentreDay,
    CentreReception,
    CentreRegistration,
    CompletionReport,
    Disaster,
    DisasterDecision,
    DisasterNeed,
    EvacuationSupport,
    Evacuee,
    Household,
    HouseholdMember,
    ReceptionMethod,
    Shelter,
    ShelterStay,
    SupportNeed,
    SupportRegisterRead,
    Team,
    TeamMember,
    VolunteerCentre,
    WorkType,
)
from plan_registry.models import Area
from tests.factories.events import ActivityFactory
from tests.factories.plan_registry import AreaFactory
from tests.factories.volunteer import UserFactory


class DisasterFactory(factory.django.DjangoModelFactory):
    """Active, declared an hour ago for one ward (`wards=[...]` names others)."""

    class Meta:
        model = Disaster
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"令和8年 豪雨災害{n}")
    declared_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    declared_by = factory.SubFactory(UserFactory)
    lapses_at = factory.LazyAttribute(lambda o: o.declared_at + dt.timedelta(hours=72))

    @factory.post_generation
    def wards(obj: Disaster, create: bool, extracted: list[Area] | None, **kwargs: object) -> None:
        if create:
            obj.wards.set(extracted if extracted is not None else [AreaFactory(ward=True)])


class DisasterDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisasterDecision

    disaster = factory.SubFactory(DisasterFactory)
    action = DisasterDecision.Action.DECLARED
    decided_by = factory.SelfAttribute("disaster.declared_by")
    decided_at = factory.SelfAttribute("disaster.declared_at")
    reason = "気象警報による"
    lapses_at = factory.SelfAttribute("disaster.lapses_at")


class ShelterFactory(factory.django.DjangoModelFactory):
    """Closed by default; `status=OPEN, disaster=...` opens it."""

    class Meta:
        model = Shelter

    name = factory.Sequence(lambda n: f"第{n}小学校体育館")
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    address = "熊本市中央区"
    capacity = 300
    status = Shelter.Status.CLOSED


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    head = factory.SubFactory(UserFactory)
    updated_at = factory.LazyFunction(timezone.now)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"家族{n}")
    age_group = AgeGroup.CHILD


class ShelterStayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShelterStay

    reception_id = factory.LazyFunction(uuid.uuid4)
    disaster = factory.SubFactory(DisasterFactory)
    shelter = factory.SubFactory(
        ShelterFactory, status=Shelter.Status.OPEN, disaster=factory.SelfAttribute("..disaster")
    )
    method = ReceptionMethod.STAFF_ENTRY
    stay_type = ShelterStay.StayType.SHELTER
    scanned_at = factory.LazyFunction(timezone.now)
    recorded_at = factory.LazyFunction(timezone.now)
    received_by = factory.SubFactory(UserFactory)


class EvacueeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evacuee

    stay = factory.SubFactory(ShelterStayFactory)
    name = factory.Sequence(lambda n: f"避難者{n}")
    age_group = AgeGroup.ADULT


class VolunteerCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerCentre

    disaster = factory.SubFactory(DisasterFactory)
    name = factory.Sequence(lambda n: f"災害ボランティアセンター{n}")
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    daily_quota = 50
    opened_at = factory.LazyFunction(timezone.now)


class CentreDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreDay

    centre = factory.SubFactory(VolunteerCentreFactory)
    day = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))
    quota = 30


class CentreRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreRegistration

    centre = factory.SubFactory(VolunteerCentreFactory)
    person = factory.SubFactory(UserFactory)
    home_prefecture = 43
    registered_at = factory.LazyFunction(timezone.now)


class AvailableDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailableDay

    registration = factory.SubFactory(CentreRegistrationFactory)
    day = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))


class CallUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallUp

    registration = factory.SubFactory(CentreRegistrationFactory)
    day = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))
    called_at = factory.LazyFunction(timezone.now)


class CentreReceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreReception

    reception_id = factory.LazyFunction(uuid.uuid4)
    centre = factory.SubFactory(VolunteerCentreFactory)
    day = factory.LazyFunction(timezone.localdate)
    person = factory.SubFactory(UserFactory)
    method = ReceptionMethod.APP_CODE
    scanned_at = factory.LazyFunction(timezone.now)
    recorded_at = factory.LazyFunction(timezone.now)
    received_by = factory.SubFactory(UserFactory)


class DisasterNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisasterNeed

    centre = factory.SubFactory(VolunteerCentreFactory)
    source = DisasterNeed.Source.RESIDENT
    requester = factory.SubFactory(UserFactory)
    work_type = WorkType.MUD_REMOVAL
    school_district = factory.SelfAttribute("centre.school_district")
    address = "熊本市中央区"
    helpers_needed = 4
    created_at = factory.LazyFunction(timezone.now)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    centre = factory.SubFactory(VolunteerCentreFactory)
    day = factory.LazyFunction(timezone.localdate)
    need = factory.SubFactory(DisasterNeedFactory, centre=factory.SelfAttribute("..centre"))
    number = factory.Sequence(lambda n: n + 1)
    leader = factory.SubFactory(UserFactory)
    sub_leader = factory.SubFactory(UserFactory)
    formed_at = factory.LazyFunction(timezone.now)
    formed_by = factory.SubFactory(UserFactory)
    activity = factory.SubFactory(ActivityFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    reception = factory.SubFactory(CentreReceptionFactory, centre=factory.SelfAttribute("..team.centre"))


class CompletionReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompletionReport

    team = factory.SubFactory(TeamFactory)
    outcome = CompletionReport.Outcome.DONE
    reported_by = factory.SubFactory(UserFactory)
    reported_at = factory.LazyFunction(timezone.now)


class EvacuationSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvacuationSupport

    person = factory.SubFactory(UserFactory)
    needs = factory.LazyFunction(lambda: [SupportNeed.WHEELCHAIR])
    updated_at = factory.LazyFunction(timezone.now)


class SupportRegisterReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRegisterRead

    reader = factory.SubFactory(UserFactory)
    person = factory.SubFactory(UserFactory)
    read_at = factory.LazyFunction(timezone.now)
    reason = "安否確認"
