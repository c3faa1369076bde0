"""Factories for the models of points: valid, saved rows by default."""

import datetime as dt

import factory
from django.utils import timezone

from points.models import (
    Account,
    AwardRule,
    Certificate,
    CertificateKey,
    CertificateKeyPublication,
    ConversionRequest,
    ConversionStep,
    Entry,
    LedgerSeal,
    LedgerTransaction,
    ParticipationAwarded,
    Redemption,
    Reward,
    Scheme,
)
from tests.factories.events import ParticipationFactory
from tests.factories.volunteer import UserFactory


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
    """With a balanced pair of entries (PostgreSQL wants at least two, checked at commit);
    `entries=False` leaves them to the caller."""

    class Meta:
        model = LedgerTransaction
        skip_postgeneration_save = True

    kind = LedgerTransaction.Kind.AWARD
    business_key = factory.Sequence(lambda n: f"test:{n}")
    scheme = factory.SubFactory(SchemeFactory)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def entries(obj: LedgerTransaction, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            credit = AccountFactory(scheme=obj.scheme)
            issuance = AccountFactory(scheme=obj.scheme, kind=Account.Kind.ISSUANCE, owner=None)
            Entry.objects.create(transaction=obj, account=credit, amount=100)
            Entry.objects.create(transaction=obj, account=issuance, amount=-100)


class EntryFactory(factory.django.DjangoModelFactory):
    """A credit, with its counterpart; real postings go through the ledger service."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    transaction = factory.SubFactory(LedgerTransactionFactory, entries=False)
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


class LedgerSealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerSeal

    scheme = factory.SubFactory(SchemeFactory)
    day = factory.Sequence(lambda n: dt.date(2025, 4, 1) + dt.timedelta(days=n))
    transactions = 0
    previous_hash = "0" * 64
    chain_hash = "0" * 64
    sealed_at = factory.LazyFunction(timezone.now)
