"""Reads of the ledger for residents and staff."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from plan_registry.fiscal_year import fiscal_year_of_date
from points.models import Account, Certificate, ConversionRequest, Entry, Redemption, Reward, Scheme
from points.rules import Expiry
from volunteer.models import User, VerifiedIdentity
from volunteer.selectors import people_of_staff_areas


@dataclass(frozen=True)
class Balance:
    scheme: Scheme
    balance: int
    expiring: int  # of the balance, what expires by `expiring_on` unless spent first
    expiring_on: dt.date


def balances_for_person(*, person: User, today: dt.date | None = None) -> list[Balance]:
    """Every active scheme, with what expires at the end of this fiscal year (oldest points are
    spent first, as `points_expire` assumes)."""
    today = today or timezone.localdate()
    year_end = fiscal_year_of_date(today).last_day
    accounts = {a.scheme_id: a for a in Account.objects.filter(owner=person, kind=Account.Kind.RESIDENT)}
    result = []
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        account = accounts.get(scheme.pk)
        if account is not None and scheme.expiry == Expiry.NONE.value:
            result.append(Balance(scheme, account.balance, 0, year_end))
            continue
        if account is None:
            result.append(Balance(scheme, 0, 0, year_end))
            continue
        totals = account.entries.aggregate(
            credited=Coalesce(Sum("amount", filter=Q(expires_on__lte=year_end)), 0),
            spent=Coalesce(Sum("amount", filter=Q(expires_on__isnull=True)), 0),
        )
        expiring = max(0, min(account.balance, totals["credited"] + totals["spent"]))
        result.append(Balance(scheme, account.balance, expiring, year_end))
    return result


def entries_for_person(*, person: User) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(account__owner=person, account__kind=Account.Kind.RESIDENT)
        .select_related("account__scheme", "transaction__participation__activity")
        .order_by("-transaction__created_at", "-pk")
    )


def rewards_available() -> QuerySet[Reward]:
    return Reward.objects.filter(is_active=True, scheme__is_active=True).select_related(
        "scheme", "organisation"
    )


def redemptions_for_person(*, person: User) -> QuerySet[Redemption]:
    return Redemption.objects.filter(person=person).select_related("reward__scheme")


def conversions_for_person(*, person: User) -> QuerySet[ConversionRequest]:
    return ConversionRequest.objects.filter(person=person).select_related("scheme")


def redemptions_for_staff(*, staff: User) -> QuerySet[Redemption]:
    """Redemptions of the residents of the staff member's areas (their home district decides)."""
    rows = Redemption.objects.filter(people_of_staff_areas(staff=staff, path="person__"))
    return rows.select_related("reward__scheme", "person")


def conversions_for_staff(*, staff: User) -> QuerySet[ConversionRequest]:
    rows = ConversionRequest.objects.filter(people_of_staff_areas(staff=staff, path="person__"))
    return rows.select_related("scheme", "person")


# The one place that scopes what a coordinator may decide on: the API, the staff pages and the
# admin all ask here, so a coordinator of 北区 never acts on a 中央区 resident's points.
def redemption_get_for_staff(*, redemption_id: int, staff: User) -> Redemption | None:
    return redemptions_for_staff(staff=staff).filter(pk=redemption_id).first()


def conversion_get_for_staff(*, conversion_id: int, staff: User) -> ConversionRequest | None:
    return conversions_for_staff(staff=staff).filter(pk=conversion_id).first()


def certificate_get_for_staff(*, certificate_id: int, staff: User) -> Certificate | None:
    certificates = Certificate.objects.filter(people_of_staff_areas(staff=staff, path="person__"))
    return certificates.filter(pk=certificate_id).first()


def certificate_list_for_person(*, person: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person=person)


def certificate_get_for_person(*, certificate_id: int, person: User) -> Certificate | None:
    return certificate_list_for_person(person=person).filter(pk=certificate_id).first()


def certificate_get_by_serial(*, serial: str) -> Certificate | None:
    """For the public verification page: anyone holding the printed certificate."""
    return Certificate.objects.filter(serial=serial).first()


def verified_names_of_people(*, person_ids: Iterable[int], now: dt.datetime | None = None) -> dict[int, str]:
    """The names the My Number card verified, by person, for those whose identity is verified and
    not expired (as `volunteer.selectors.identity_verified` decides for one person), in one query
    for a whole page or export of the staff pages. `person_ids` may be a list or a query of ids
    (then a subquery, so a long export meets no limit on a query's parameters)."""
    now = now or timezone.now()
    identities = VerifiedIdentity.objects.filter(person_id__in=person_ids).exclude(name="")
    current = identities.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return dict(current.values_list("person_id", "name"))
