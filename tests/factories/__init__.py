"""Factories with valid defaults; traits for the common variants."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from events.models import Activity, CheckIn, EventSeries, Participation
from matching.models import Match, MatchDecision, MatchingRequest, MatchingRun, Need, NeedWindow, Offer, Reach
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
from points.models import (
    Account,
    AwardRule,
    Certificate,
    CertificateKey,
    CertificateKeyPublication,
    ConversionRequest,
    ConversionStep,
    Entry,
    IdempotencyKey,
    LedgerTransaction,
    ParticipationAwarded,
    Redemption,
    Reward,
    Scheme,
)
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
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
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


class IndicatorValueChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValueChange

    indicator = factory.SubFactory(IndicatorFactory, source="manual")
    fiscal_year = 2025
    new_value = Decimal("36.5")
    source_document = "市民アンケート"
    changed_by = factory.SubFactory(UserFactory)
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
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


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


# --- notifications -------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "test"
    title = "お知らせ"
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


# --- events ----------------------------------------------------------------------------------


def _next_week(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.ONE_OFF
    title = factory.Sequence(lambda n: f"活動{n}")
    category = factory.SubFactory(ActivityCategoryFactory)
    school_district = factory.SubFactory(AreaFactory, school_district=True)
    starts_at = factory.LazyFunction(lambda: _next_week(10))
    ends_at = factory.LazyFunction(lambda: _next_week(12))
    created_at = factory.LazyFunction(timezone.now)


class EventSeriesFactory(factory.django.DjangoModelFactory):
    """The series row only; `event_series_create` makes its occurrences."""

    class Meta:
        model = EventSeries

    organisation = factory.SubFactory(OrganisationFactory)
    rule = "FREQ=WEEKLY;COUNT=4"
    first_starts_at = factory.LazyFunction(lambda: _next_week(10))
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


# --- points ----------------------------------------------------------------------------------


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"scheme-{n}")
    name = factory.Sequence(lambda n: f"ポイント{n}")
    unit = "ポイント"
    expiry = "end_of_next_fiscal_year"


class AwardRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRule

    scheme = factory.SubFactory(SchemeFactory)
    code = factory.Sequence(lambda n: f"rule-{n}")
    name = factory.Sequence(lambda n: f"規則{n}")
    kind = "per_activity"
    amount = 100


class ConversionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversionStep

    scheme = factory.SubFactory(SchemeFactory, convertible=True)
    min_units = factory.Sequence(lambda n: 10 * (n + 1))
    yen = factory.LazyAttribute(lambda o: o.min_units * 100)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    scheme = factory.SubFactory(SchemeFactory)
    kind = Account.Kind.RESIDENT
    owner = factory.SubFactory(UserFactory)


class LedgerTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerTransaction

    kind = LedgerTransaction.Kind.AWARD
    business_key = factory.Sequence(lambda n: f"test:{n}")
    scheme = factory.SubFactory(SchemeFactory)
    created_at = factory.LazyFunction(timezone.now)


class EntryFactory(factory.django.DjangoModelFactory):
    """A credit, with its counterpart; real postings go through the ledger service."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    transaction = factory.SubFactory(LedgerTransactionFactory)
    account = factory.SubFactory(AccountFactory, scheme=factory.SelfAttribute("..transaction.scheme"))
    amount = 100

    @factory.post_generation
    def counterpart(obj: Entry, create: bool, extracted: object, **kwargs: object) -> None:
        """The issuance side, so the transaction balances (PostgreSQL checks at commit)."""
        if create:
            issuance = AccountFactory(scheme=obj.transaction.scheme, kind=Account.Kind.ISSUANCE, owner=None)
            Entry.objects.create(transaction=obj.transaction, account=issuance, amount=-obj.amount)


class ParticipationAwardedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationAwarded

    participation = factory.SubFactory(ParticipationFactory)
    at = factory.LazyFunction(timezone.now)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"特典{n}")
    cost = 300


class RedemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Redemption

    person = factory.SubFactory(UserFactory)
    reward = factory.SubFactory(RewardFactory)
    amount = factory.SelfAttribute("reward.cost")
    created_at = factory.LazyFunction(timezone.now)


class ConversionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversionRequest

    person = factory.SubFactory(UserFactory, birth_date=dt.date(1950, 1, 1))
    scheme = factory.SubFactory(SchemeFactory, convertible=True)
    fiscal_year = 2025
    stamps = 20
    yen = 2000
    created_at = factory.LazyFunction(timezone.now)


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    status_code = 201
    body = factory.LazyFunction(lambda: {"id": 1})
    created_at = factory.LazyFunction(timezone.now)


class CertificateKeyFactory(factory.django.DjangoModelFactory):
    """A record only: real keys are made by `signing_key_rotate` (the private part is encrypted)."""

    class Meta:
        model = CertificateKey

    key_id = factory.Sequence(lambda n: f"key-test-{n}")
    private_pem_encrypted = "not-a-key"
    public_jwk = factory.LazyFunction(lambda: {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"})
    created_at = factory.LazyFunction(timezone.now)


class CertificateKeyPublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateKeyPublication

    key = factory.SubFactory(CertificateKeyFactory)
    issuer_did = "did:web:volunteer.example.jp"
    published_at = factory.LazyFunction(timezone.now)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A stored certificate row; signed ones come from `certificate_issue`."""

    class Meta:
        model = Certificate

    serial = factory.Sequence(lambda n: f"KV2025-TEST-{n:04d}")
    person = factory.SubFactory(UserFactory)
    kind = Certificate.Kind.FISCAL_YEAR
    fiscal_year = 2025
    title = "令和7年度 活動証明書"
    activities = factory.LazyFunction(
        lambda: [
            {"date": "2025-06-01", "place": "中央", "content": "サロン", "minutes": 90, "organiser": "団体"},
        ]
    )
    participation_ids = factory.LazyFunction(lambda: [1])
    total_minutes = 90
    recipient_salt = "salt"
    credential = "unsigned"
    key = factory.SubFactory(CertificateKeyFactory)
    issued_at = factory.LazyFunction(timezone.now)


# --- matching --------------------------------------------------------------------------------

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
            for start, end in extracted if extracted is not None else [(_next_week(9), _next_week(11))]:
                NeedWindow.objects.create(need=obj, starts_at=start, ends_at=end)


class NeedWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedWindow

    need = factory.SubFactory(NeedFactory, windows=[])
    starts_at = factory.LazyFunction(lambda: _next_week(9))
    ends_at = factory.LazyFunction(lambda: _next_week(11))


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
