"""Staff pages: schemes, rules, the conversion table and rewards are configured here; the ledger
itself is read-only (corrections are reversals, made through the service)."""

from django.contrib import admin

from core.access import RoleAdmin
from core.admin import number
from points.models import (
    Account,
    AwardRule,
    Certificate,
    ConversionRequest,
    ConversionStep,
    Entry,
    LedgerSeal,
    LedgerTransaction,
    Redemption,
    Reward,
    Scheme,
)
from volunteer.admin import CITY_STAFF, SETTINGS, PeopleScoped, ReadOnlyAdminMixin


class Settings(RoleAdmin):
    """The schemes' configuration: every city role reads it, administrators keep it."""

    view_roles = CITY_STAFF
    change_roles = SETTINGS


class ConversionStepInline(Settings, admin.TabularInline[ConversionStep, Scheme]):
    model = ConversionStep
    extra = 0


class AwardRuleInline(Settings, admin.TabularInline[AwardRule, Scheme]):
    model = AwardRule
    extra = 0
    fields = [
        "code",
        "name",
        "kind",
        "amount",
        "daily_cap",
        "min_age",
        "care_hosts_only",
        "category",
        "valid_from",
        "valid_until",
        "is_active",
    ]


@admin.register(Scheme)
class SchemeAdmin(Settings, admin.ModelAdmin[Scheme]):
    list_display = ["name", "code", "unit", "expiry", "convertible", "yearly_cap_yen", "is_active"]
    inlines = [AwardRuleInline, ConversionStepInline]


@admin.register(AwardRule)
class AwardRuleAdmin(Settings, admin.ModelAdmin[AwardRule]):
    """Campaign bonuses are rules with dates: add one here, it applies to activities in its dates."""

    list_display = [
        "name",
        "scheme",
        "kind",
        "amount",
        "daily_cap",
        "min_minutes",
        "valid_from",
        "valid_until",
        "is_active",
    ]
    list_filter = ["scheme", "kind", "is_active"]


@admin.register(Reward)
class RewardAdmin(Settings, admin.ModelAdmin[Reward]):
    list_display = ["name", "scheme", "kind", "cost", "organisation", "is_active"]
    list_filter = ["scheme", "kind", "is_active"]


class EntryInline(RoleAdmin, admin.TabularInline[Entry, LedgerTransaction]):
    model = Entry
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("account", "amount", "expires_on")
    readonly_fields = ("account", "amount", "expires_on")


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdminMixin, RoleAdmin, admin.ModelAdmin[LedgerTransaction]):
    """The whole ledger, every resident's entries in it: a superuser's page (staff read a person's
    balance from their accounts, scoped to their areas)."""

    list_display = ["business_key", "kind", "scheme", "created_at", "created_by", "memo"]
    list_filter = ["kind", "scheme"]
    search_fields = ["business_key", "memo"]
    inlines = [EntryInline]


@admin.register(LedgerSeal)
class LedgerSealAdmin(ReadOnlyAdminMixin, RoleAdmin, admin.ModelAdmin[LedgerSeal]):
    """The ledger's hash chain, a day per scheme: a superuser's page, with the ledger's."""

    list_display = ["scheme", "day", "transactions", "chain_hash", "sealed_at"]
    list_filter = ["scheme"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[Account]):
    list_display = ["__str__", "scheme", "kind", "owner", "balance"]
    list_filter = ["scheme", "kind"]
    search_fields = ["owner__email", "owner__display_name"]
    person_path = "owner__"


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[Redemption]):
    list_display = [number, "person", "reward", "amount", "status", "created_at", "decided_by"]
    list_filter = ["status"]


@admin.register(ConversionRequest)
class ConversionRequestAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[ConversionRequest]):
    list_display = [number, "person", "fiscal_year", "stamps", "yen", "status", "decided_by"]
    list_filter = ["status", "fiscal_year"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[Certificate]):
    list_display = ["serial", "person", "kind", "title", "total_minutes", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["serial"]
