"""Redemptions and conversions: points are held first and settled or released by staff, exactly
once (the request row is locked and its status checked before anything is posted)."""

import datetime as dt

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from core.duties import refuse_own_case
from core.errors import required_reason
from plan_registry.fiscal_year import FiscalYear
from points import errors, rules
from points.models import Account, ConversionRequest, Entry, LedgerTransaction, Redemption, Reward, Scheme
from points.services.ledger import Line, accounts_lock, resident_account, system_account, transaction_post
from volunteer import selectors as volunteer_selectors
from volunteer.ages import day_of_age
from volunteer.models import User
from volunteer.services import identity as identity_services


@transaction.atomic
def redemption_hold(*, person: User, reward: Reward) -> Redemption:
    """Holds the reward's cost; refused beyond the balance (the account is locked first, so of many
    concurrent requests for the whole balance exactly one succeeds)."""
    if not reward.is_active or not reward.scheme.is_active:
        raise errors.RewardUnavailable()
    # A reward is handed over to the verified name; a donation to a group needs no identity.
    identity = None
    if reward.requires_verified_identity:
        identity = volunteer_selectors.identity_verified(person=person)
        if identity is None or not identity.name:
            raise errors.IdentityVerificationRequired()
    account = resident_account(scheme=reward.scheme, person=person)
    if accounts_lock([account])[account.pk].balance < reward.cost:
        raise errors.InsufficientBalance()
    redemption = Redemption.objects.create(
        person=person,
        reward=reward,
        amount=reward.cost,
        recipient_name=identity.name if identity else "",
        created_at=timezone.now(),
    )
    if identity is not None:
        identity_services.identity_use_record(person=person, identity=identity, purpose="redemption")
    hold = system_account(scheme=reward.scheme, kind=Account.Kind.HOLD)
    _move(
        f"redemption:{redemption.pk}:hold",
        LedgerTransaction.Kind.HOLD,
        reward.scheme,
        account,
        hold,
        reward.cost,
        reward.name,
        person,
    )
    return redemption


def redemption_approve(*, redemption: Redemption, staff: User) -> Redemption:
    return _redemption_decide(redemption, staff, Redemption.Status.APPROVED, reason="")


def redemption_void(*, redemption: Redemption, staff: User, reason: str) -> Redemption:
    reason = required_reason(reason)
    return _redemption_decide(redemption, staff, Redemption.Status.VOIDED, reason=reason.strip())


def _redemption_decide(redemption: Redemption, staff: User, status: str, reason: str) -> Redemption:
    refuse_own_case(staff=staff, party_ids=[redemption.person_id], subject=redemption)
    with transaction.atomic():
        return _redemption_settle(redemption, staff, status, reason)


def _redemption_settle(redemption: Redemption, staff: User, status: str, reason: str) -> Redemption:
    locked = Redemption.objects.select_for_update().select_related("reward__scheme").get(pk=redemption.pk)
    if locked.status != Redemption.Status.HELD:
        raise errors.AlreadyDecided()
    scheme = locked.reward.scheme
    hold = system_account(scheme=scheme, kind=Account.Kind.HOLD)
    if status == Redemption.Status.APPROVED:
        target, kind = (
            system_account(scheme=scheme, kind=Account.Kind.REDEMPTION),
            LedgerTransaction.Kind.SETTLE,
        )
    else:
        target, kind = resident_account(scheme=scheme, person=locked.person), LedgerTransaction.Kind.RELEASE
    _move(
        f"redemption:{locked.pk}:{status}",
        kind,
        scheme,
        hold,
        target,
        locked.amount,
        reason or locked.reward.name,
        staff,
    )
    locked.status, locked.decided_at, locked.decided_by, locked.reason = status, timezone.now(), staff, reason
    locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    return locked


def _move(
    key: str, kind: str, scheme: Scheme, source: Account, target: Account, amount: int, memo: str, by: User
) -> None:
    transaction_post(
        kind=kind,
        business_key=key,
        scheme=scheme,
        lines=[Line(source, -amount), Line(target, amount)],
        memo=memo,
        created_by=by,
    )


def conversion_window(*, scheme: Scheme, fiscal_year: int) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of the application window: from `conversion_opens` (in the calendar
    year the fiscal year ends in, for February) to the fiscal year's last day."""
    if not scheme.convertible or not scheme.conversion_opens:
        return None
    month, day = (int(part) for part in scheme.conversion_opens.split("-"))
    year = fiscal_year + 1 if month < 4 else fiscal_year
    return dt.date(year, month, day), FiscalYear(fiscal_year).last_day


def stamps_earned(*, account: Account, fiscal_year: int, from_day: dt.date | None = None) -> int:
    """Net stamps (awards less reversals) for activities in the fiscal year (from `from_day` on,
    in Japan time, when given)."""
    year = FiscalYear(fiscal_year)
    start = year.start
    if from_day is not None:
        start = max(start, dt.datetime.combine(from_day, dt.time(), tzinfo=year.start.tzinfo))
    total = Entry.objects.filter(
        account=account,
        transaction__kind__in=[LedgerTransaction.Kind.AWARD, LedgerTransaction.Kind.REVERSAL],
        transaction__participation__activity__starts_at__gte=start,
        transaction__participation__activity__starts_at__lt=year.end,
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


@transaction.atomic
def conversion_request(
    *, person: User, scheme: Scheme, fiscal_year: int, today: dt.date | None = None
) -> ConversionRequest:
    today = today or timezone.localdate()
    window = conversion_window(scheme=scheme, fiscal_year=fiscal_year)
    if window is None:
        raise errors.NotConvertible()
    if not window[0] <= today <= window[1]:
        raise errors.ConversionOutsideWindow()
    # The scheme pays cash, so the age is the one the My Number card verified, on each
    # activity's date: stamps from before the age the scheme's rules ask for are not converted.
    identity = volunteer_selectors.identity_verified(person=person)
    if identity is None or identity.birth_date is None:
        raise errors.IdentityVerificationRequired()
    min_age = scheme.rules.filter(min_age__isnull=False).aggregate(age=Min("min_age"))["age"]
    counted_from = None if min_age is None else day_of_age(identity.birth_date, min_age)
    if counted_from is not None and counted_from > today:
        raise errors.ConversionNotEligible()
    account = resident_account(scheme=scheme, person=person)
    accounts_lock([account])
    if (
        ConversionRequest.objects.filter(person=person, scheme=scheme, fiscal_year=fiscal_year)
        .exclude(status=ConversionRequest.Status.REJECTED)
        .exists()
    ):
        raise errors.ConversionAlreadyRequested()
    stamps = min(
        stamps_earned(account=account, fiscal_year=fiscal_year, from_day=counted_from), account.balance
    )
    steps = tuple(rules.ConversionStep(s.min_units, s.yen) for s in scheme.conversion_steps.all())
    yen = rules.conversion_yen(steps, stamps, scheme.yearly_cap_yen)
    if yen == 0:
        raise errors.NothingToConvert()
    identity_services.identity_use_record(person=person, identity=identity, purpose="care_conversion")
    request = ConversionRequest.objects.create(
        person=person,
        scheme=scheme,
        fiscal_year=fiscal_year,
        stamps=stamps,
        yen=yen,
        created_at=timezone.now(),
    )
    hold = system_account(scheme=scheme, kind=Account.Kind.HOLD)
    _move(
        f"conversion:{request.pk}:hold",
        LedgerTransaction.Kind.HOLD,
        scheme,
        account,
        hold,
        stamps,
        f"FY{fiscal_year} ¥{yen}",
        person,
    )
    return request


def conversion_decide(
    *, request: ConversionRequest, staff: User, approve: bool, reason: str = ""
) -> ConversionRequest:
    refuse_own_case(staff=staff, party_ids=[request.person_id], subject=request)
    if not approve:
        reason = required_reason(reason)
    with transaction.atomic():
        return _conversion_settle(request, staff=staff, approve=approve, reason=reason)


def _conversion_settle(
    request: ConversionRequest, *, staff: User, approve: bool, reason: str
) -> ConversionRequest:
    locked = ConversionRequest.objects.select_for_update().select_related("scheme").get(pk=request.pk)
    if locked.status != ConversionRequest.Status.REQUESTED:
        raise errors.AlreadyDecided()
    hold = system_account(scheme=locked.scheme, kind=Account.Kind.HOLD)
    if approve:
        status, kind = ConversionRequest.Status.APPROVED, LedgerTransaction.Kind.SETTLE
        target = system_account(scheme=locked.scheme, kind=Account.Kind.CONVERSION)
    else:
        status, kind = ConversionRequest.Status.REJECTED, LedgerTransaction.Kind.RELEASE
        target = resident_account(scheme=locked.scheme, person=locked.person)
    _move(
        f"conversion:{locked.pk}:{status}",
        kind,
        locked.scheme,
        hold,
        target,
        locked.stamps,
        reason or f"¥{locked.yen}",
        staff,
    )
    locked.status, locked.decided_at, locked.decided_by, locked.reason = (
        status,
        timezone.now(),
        staff,
        reason.strip(),
    )
    locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    return locked
