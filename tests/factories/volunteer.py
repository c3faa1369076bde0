"""Factories for the models of volunteer: valid, saved rows by default."""

import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone

from plan_registry.models import (
    Area,
)
from tests.factories.plan_registry import AreaFactory
from volunteer.models import (
    ActivityCategory,
    Consent,
    Device,
    IdentityEvent,
    IdentityVerificationAttempt,
    Notification,
    NotificationDelivery,
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    Qualification,
    QualificationType,
    RightsRequest,
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
)

PASSWORD = "a-long-test-password-123"


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

    @factory.post_generation
    def consents(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        """Agreed to the current terms and privacy policy, as everyone who signed up in the app
        did; `UserFactory(consents=False)` for someone who has not (or a paper-only person)."""
        if create and extracted is not False:
            Consent.objects.bulk_create(
                Consent(user=obj, document=document, version=version, consented_at=timezone.now())
                for document, version in settings.CONSENT_CURRENT_VERSIONS.items()
            )


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


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    document = Consent.Document.DATA_SHARING  # (a new user agreed to the terms and privacy policy)
    version = "2025-04"
    consented_at = factory.LazyFunction(timezone.now)


class OrganisationDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDecision

    organisation = factory.SubFactory(OrganisationFactory)
    action = OrganisationDecision.Action.APPROVE
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "match_proposed"  # a kind the apps send, with the data it carries (the API documents both)
    title = "お知らせ"
    data = factory.Sequence(lambda n: {"match_id": n + 1, "need_id": n + 1})
    created_at = factory.LazyFunction(timezone.now)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")


class NotificationDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationDelivery

    notification = factory.SubFactory(NotificationFactory)
    channel = "email"
    outcome = NotificationDelivery.Outcome.SENT
    at = factory.LazyFunction(timezone.now)


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    platform = Device.Platform.ANDROID
    token = factory.Sequence(lambda n: f"device-token-{n}")
    registered_at = factory.LazyFunction(timezone.now)


class VerifiedIdentityFactory(factory.django.DjangoModelFactory):
    """As the identity provider verified it: birth date and name from the person's profile."""

    class Meta:
        model = VerifiedIdentity

    person = factory.SubFactory(UserFactory)
    issuer = "https://auth.example.jp"
    subject = factory.Sequence(lambda n: f"jpki-{n:06d}")
    assurance_level = "http://jpki.go.jp/acr/mynumber-card"
    verified_at = factory.LazyFunction(timezone.now)
    birth_date = factory.SelfAttribute("person.birth_date")
    name = factory.LazyAttribute(lambda identity: identity.person.display_name or "熊本 太郎")


class IdentityVerificationAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityVerificationAttempt

    person = factory.SubFactory(UserFactory)
    state = factory.Sequence(lambda n: f"state-{n:08d}")
    nonce = factory.Sequence(lambda n: f"nonce-{n:08d}")
    code_verifier = factory.Sequence(lambda n: f"verifier-{n:08d}")
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=10))


class IdentityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityEvent

    person = factory.SubFactory(UserFactory)
    action = IdentityEvent.Action.LINKED
    at = factory.LazyFunction(timezone.now)


class RightsRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsRequest

    person = factory.SubFactory(UserFactory)
    kind = RightsRequest.Kind.EXPORT
    requested_at = factory.LazyFunction(timezone.now)
