"""The points ledger: schemes and their rules (configured by staff), accounts, and double-entry
transactions that are never changed (corrections are reversing transactions).

Balances are kept on the account row, changed only by `services.ledger` under a row lock in the
same transaction as the entries; the reconciliation job proves each equals the sum of its
entries. On PostgreSQL the database itself refuses an unbalanced transaction (a deferred
constraint trigger) and any UPDATE or DELETE of an entry or transaction (see migration 0002).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel
from events.models import Participation
from points.rules import Expiry, RuleKind
from volunteer.models import ActivityCategory, Organisation

# How the staff site names the pure core's values (points.rules speaks no Django).
EXPIRY_LABELS = {
    Expiry.NONE: _("No expiry"),
    Expiry.END_OF_FISCAL_YEAR: _("At the end of the fiscal year"),
    Expiry.END_OF_NEXT_FISCAL_YEAR: _("At the end of the next fiscal year"),
}
RULE_KIND_LABELS = {
    RuleKind.PER_ACTIVITY: _("A fixed amount per activity"),
    RuleKind.PER_HOUR: _("Per full hour of activity"),
    RuleKind.CAMPAIGN_BONUS: _("Campaign bonus"),
}


class Scheme(GuardedModel):
    """A point scheme: くまもとポイント, or 介護保険サポーターポイント (stamps, convertible to yen)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(
        _("unit"), max_length=16, help_text=_("As shown after an amount, e.g. ポイント or スタンプ.")
    )
    expiry = models.CharField(
        _("expiry"),
        max_length=32,
        choices=[(e.value, EXPIRY_LABELS[e]) for e in Expiry],
        default=Expiry.NONE.value,
    )
    convertible = models.BooleanField(
        _("convertible"), default=False, help_text=_("Stamps can be converted to yen.")
    )
    yearly_cap_yen = models.PositiveIntegerField(_("yearly cap yen"), null=True, blank=True)
    conversion_opens = models.CharField(
        _("conversion opens"),
        max_length=5,
        blank=True,
        help_text=_("MM-DD: conversion requests for a fiscal year open then (02-01)."),
    )
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("point scheme")
        verbose_name_plural = _("point schemes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class AwardRule(GuardedModel):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="rules", verbose_name=_("point scheme")
    )
    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=[(k.value, RULE_KIND_LABELS[k]) for k in RuleKind]
    )
    amount = models.PositiveIntegerField(_("amount"))
    daily_cap = models.PositiveIntegerField(_("daily cap"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("min age"), null=True, blank=True)
    min_minutes = models.PositiveSmallIntegerField(
        _("min minutes"),
        default=1,
        help_text=_(
            "Verified minutes an activity needs to earn under this rule (at least 1: nothing for 0)."
        ),
    )
    care_hosts_only = models.BooleanField(_("care hosts only"), default=False)
    category = models.ForeignKey(
        ActivityCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("category")
    )
    valid_from = models.DateField(_("applies from"), null=True, blank=True)
    valid_until = models.DateField(_("applies until"), null=True, blank=True)
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["scheme", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_rule_amount_positive"),
            models.CheckConstraint(condition=Q(min_minutes__gte=1), name="award_rule_min_minutes_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="award_rule_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConversionStep(GuardedModel):
    """One row of a scheme's yearly conversion table: from `min_units` stamps, `yen`."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="conversion_steps", verbose_name=_("point scheme")
    )
    min_units = models.PositiveIntegerField(_("min units"))
    yen = models.PositiveIntegerField(_("yen"))

    class Meta:
        verbose_name = _("conversion step")
        verbose_name_plural = _("conversion steps")
        ordering = ["scheme", "min_units"]
        constraints = [models.UniqueConstraint(fields=["scheme", "min_units"], name="conversion_step_unique")]

    def __str__(self) -> str:
        return f"{self.min_units}+ → ¥{self.yen}"


class Account(GuardedModel):
    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        ISSUANCE = "issuance", _("Issuance")
        HOLD = "hold", _("Held for approval")
        REDEMPTION = "redemption", _("Redemption")
        EXPIRY = "expiry", _("Expiry")
        CONVERSION = "conversion", _("Conversion")

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("point scheme")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_accounts",
        verbose_name=_("owner"),
    )
    balance = models.BigIntegerField(_("balance"), default=0)

    class Meta:
        verbose_name = _("point account")
        verbose_name_plural = _("point accounts")
        ordering = ["scheme", "kind", "owner"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "owner"],
                condition=Q(kind="resident"),
                name="account_one_per_resident_scheme",
            ),
            models.UniqueConstraint(
                fields=["scheme", "kind"], condition=~Q(kind="resident"), name="account_one_system_per_kind"
            ),
            models.CheckConstraint(
                condition=(Q(kind="resident") & Q(owner__isnull=False))
                | (~Q(kind="resident") & Q(owner__isnull=True)),
                name="account_owner_iff_resident",
            ),
            # Residents and holds can never go below zero: a redemption beyond the balance fails
            # in the database even if a service forgot to check.
            models.CheckConstraint(
                condition=Q(kind__in=["issuance", "redemption", "expiry", "conversion"]) | Q(balance__gte=0),
                name="account_resident_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}:{self.kind}:{self.owner_id or '-'}"


class LedgerTransaction(GuardedModel):
    # Never changed or removed once written: the application's role may only read and append it
    # (core.roles), and triggers refuse the rest (points/migrations 0002, 0009, 0011).
    append_only: ClassVar[bool] = True
    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"business_key"})

    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        REVERSAL = "reversal", _("Reversal")
        HOLD = "hold", _("Hold")
        RELEASE = "release", _("Hold released")
        SETTLE = "settle", _("Hold settled")
        EXPIRY = "expiry", _("Expiry")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # What this transaction is, once: "award:p42:r1", "redemption:7:hold". A retry finds it.
    business_key = models.CharField(_("business key"), max_length=100, unique=True)
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="transactions", verbose_name=_("point scheme")
    )
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_transactions",
        verbose_name=_("participation"),
    )
    rule = models.ForeignKey(
        AwardRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("award rule"),
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.business_key


class Entry(GuardedModel):
    append_only: ClassVar[bool] = True
    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("ledger transaction"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("point account")
    )
    amount = models.BigIntegerField(_("amount"))
    # On a resident's credit: the last day these points can be used (FIFO: the oldest go first).
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+d}"


class LedgerSeal(GuardedModel):
    """A scheme's day of the ledger, sealed: the hash folded over that day's transactions (and their
    entries) in order, starting from the previous day's seal, so the seals form one chain per
    scheme. `points_reconcile` folds each sealed day again: a transaction or an entry changed,
    added or removed afterwards, even with the balances adjusted to match, no longer gives the
    seal's hash (points.services.seals)."""

    append_only: ClassVar[bool] = True
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"chain_hash", "previous_hash"})

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="seals", verbose_name=_("point scheme")
    )
    day = models.DateField(_("day"), help_text=_("The day in Japan time whose transactions the seal covers."))
    transactions = models.PositiveIntegerField(_("transactions"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    chain_hash = models.CharField(_("chain hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))

    class Meta:
        verbose_name = _("ledger seal")
        verbose_name_plural = _("ledger seals")
        ordering = ["scheme", "day"]
        constraints = [models.UniqueConstraint(fields=["scheme", "day"], name="ledger_seal_once_a_day")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.day} {self.chain_hash[:12]}"


class ParticipationAwarded(GuardedModel):
    """Marks that a verified participation went through the rules (even when it earned nothing),
    written in the same transaction as its awards; the sweep re-drives participations without one."""

    participation = models.OneToOneField(
        Participation, on_delete=models.PROTECT, related_name="+", verbose_name=_("participation")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("participation awarded")
        verbose_name_plural = _("participations awarded")

    def __str__(self) -> str:
        return f"{self.participation_id} at {self.at:%Y-%m-%d %H:%M}"


class Reward(GuardedModel):
    """Something points can be spent on: a reward from the catalogue, or a donation to a group."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("Reward")
        DONATION = "donation", _("Donation")

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="rewards", verbose_name=_("point scheme")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REWARD)
    name = models.CharField(_("name"), max_length=200)
    cost = models.PositiveIntegerField(_("cost"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For a donation: the group."),
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["scheme", "cost", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="reward_cost_positive"),
            models.CheckConstraint(
                condition=Q(kind="reward") | Q(organisation__isnull=False), name="reward_donation_has_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def requires_verified_identity(self) -> bool:
        """A reward is handed over to a verified name; a donation goes to a group."""
        return self.kind == self.Kind.REWARD


class _HeldForStaff(GuardedModel):
    """A request whose points are held until staff decide it, once: when, who and why."""

    created_at = models.DateTimeField(_("created at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True


class Redemption(_HeldForStaff):
    """Points held for a reward until staff approve (spent) or void (returned), exactly once."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        APPROVED = "approved", _("Approved")
        VOIDED = "voided", _("Voided")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("person"),
    )
    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward")
    )
    amount = models.PositiveIntegerField(_("amount"))
    recipient_name = models.CharField(
        _("recipient name"),
        max_length=200,
        blank=True,
        help_text=_("The verified name a reward is handed over to."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.HELD)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reward} ({self.status})"


class ConversionRequest(_HeldForStaff):
    """A year's stamps converted to yen: requested in the window, approved by staff, once a year."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversions",
        verbose_name=_("person"),
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="conversions", verbose_name=_("point scheme")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    stamps = models.PositiveIntegerField(_("stamps"))
    yen = models.PositiveIntegerField(_("yen"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)

    class Meta:
        verbose_name = _("conversion request")
        verbose_name_plural = _("conversion requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme", "fiscal_year"],
                condition=~Q(status="rejected"),
                name="conversion_once_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} FY{self.fiscal_year} {self.stamps} → ¥{self.yen}"


class CertificateKey(GuardedModel):
    """An Ed25519 key the city signs certificates with. The newest unretired one signs; every key,
    retired or not, stays published in the DID document under the identifiers it was published
    under (CertificateKeyPublication), so old certificates keep verifying."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset(
        {"key_id", "private_pem_encrypted", "public_jwk"}
    )

    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    # The private key, encrypted with a key derived from DJANGO_SECRET_KEY (see services.certificates).
    private_pem_encrypted = models.TextField(_("private key (encrypted)"))
    public_jwk = models.JSONField(_("public key (JWK)"))
    created_at = models.DateTimeField(_("created at"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate signing key")
        verbose_name_plural = _("certificate signing keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.key_id


class CertificateKeyPublication(GuardedModel):
    """A key as published under one issuer identifier (did:web of PUBLIC_BASE_URL's host), from
    the key's creation or the first certificate it signed there. Never deleted: after a move of
    PUBLIC_BASE_URL the earlier identifiers stay here, so the certificates they name still verify,
    and a key is accepted only under the identifiers it was published under."""

    key = models.ForeignKey(
        CertificateKey, on_delete=models.PROTECT, related_name="publications", verbose_name=_("signing key")
    )
    issuer_did = models.CharField(_("issuer DID"), max_length=255)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("certificate key publication")
        verbose_name_plural = _("certificate key publications")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "issuer_did"], name="certificate_key_published_once_per_issuer"
            ),
            models.CheckConstraint(
                condition=Q(issuer_did__startswith="did:web:"), name="certificate_key_publication_is_did_web"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_did}#{self.key.key_id}"


class Certificate(GuardedModel):
    """An activity certificate (活動証明書): a snapshot of verified participation, signed once."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"credential", "recipient_salt", "serial"})

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("One activity")
        FISCAL_YEAR = "fiscal_year", _("A fiscal year's activities")

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("participation"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    activities = models.JSONField(
        _("activities"), help_text=_("The activities as certified: date, place, content, minutes, organiser.")
    )
    participation_ids = models.JSONField(_("participation ids"), default=list)
    total_minutes = models.PositiveIntegerField(_("total minutes"))
    recipient_salt = models.CharField(_("recipient salt"), max_length=64)
    credential = models.TextField(
        _("credential"), help_text=_("The signed credential (compact JWS, VC-JOSE-COSE).")
    )
    key = models.ForeignKey(
        CertificateKey,
        null=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("signing key"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.TextField(_("revoked reason"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="participation") & Q(participation__isnull=False))
                | (Q(kind="fiscal_year") & Q(fiscal_year__isnull=False)),
                name="certificate_kind_has_its_target",
            )
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def status_index(self) -> int:
        """Its bit in the revocation list: the row id, unique and never reused."""
        return self.pk
