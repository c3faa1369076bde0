"""Awards for verified participation, by the rules in the database.

Each award is a transaction with the business key `award:<participation>:<rule>`, so a
participation earns at most once per rule however often the task runs. The person's account of
the scheme is locked before the day's earnings are read, so two participations of one day
verified at the same moment cannot both take the last stamps under a daily cap.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from core.db import retry_transient
from events.models import Participation
from points import rules
from points.models import Account, AwardRule, Entry, LedgerTransaction, ParticipationAwarded
from points.services.ledger import (
    Line,
    accounts_lock,
    resident_account,
    resident_accounts,
    system_account,
    transaction_post,
)
from volunteer.services import notification_send

logger = logging.getLogger(__name__)


def rule_spec(rule: AwardRule) -> rules.RuleSpec:
    return rules.RuleSpec(
        rule_id=rule.pk,
        scheme_id=rule.scheme_id,
        kind=rules.RuleKind(rule.kind),
        amount=rule.amount,
        daily_cap=rule.daily_cap,
        min_minutes=rule.min_minutes,
        min_age=rule.min_age,
        care_hosts_only=rule.care_hosts_only,
        category_id=rule.category_id,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
    )


def participation_facts(participation: Participation) -> rules.ParticipationFacts:
    activity = participation.activity
    return rules.ParticipationFacts(
        participation_id=participation.pk,
        activity_date=timezone.localtime(activity.starts_at).date(),
        minutes=participation.minutes or 0,
        category_id=activity.category_id,
        care_host=activity.organisation is not None and activity.organisation.is_care_host,
        birth_date=participation.person.birth_date,
    )


def active_rules() -> list[AwardRule]:
    return list(
        AwardRule.objects.filter(is_active=True, scheme__is_active=True)
        .select_related("scheme")
        .order_by("pk")
    )


ANNOUNCE_WITHIN = dt.timedelta(days=2)


@retry_transient()
def participation_award(*, participation_id: int) -> list[LedgerTransaction]:
    """Posts what a verified participation earns (nothing twice); marks it as gone through."""
    participation = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("activity__organisation", "person")
        .filter(pk=participation_id, verified_at__isnull=False)
        .first()
    )
    if participation is None or ParticipationAwarded.objects.filter(participation=participation).exists():
        return []
    facts = participation_facts(participation)
    posted = []
    for rule in active_rules():
        award = _award_one(participation, facts, rule)
        if award is not None:
            posted.append(award)
    ParticipationAwarded.objects.create(participation=participation, at=timezone.now())
    # Awards re-driven long after the verification (a backfill, the demo's history) stay quiet.
    recent = (
        participation.verified_at is not None
        and participation.verified_at >= timezone.now() - ANNOUNCE_WITHIN
    )
    if posted and recent:
        _announce(participation, posted)
    return posted


def _announce(participation: Participation, posted: list[LedgerTransaction]) -> None:
    """Tells the resident what the activity earned (once: the key is the participation)."""
    earned = "、".join(
        f"{transaction.scheme.name} {sum(e.amount for e in transaction.entries.all() if e.amount > 0)}"
        f"{transaction.scheme.unit}"
        for transaction in posted
    )
    notification_send(
        user=participation.person,
        kind="points_awarded",
        title=f"「{participation.activity.title}」の参加が確認されました",
        body=f"{earned}を付与しました。",
        dedupe_key=f"points-awarded:{participation.pk}",
        data={"participation": participation.pk},
    )


def _award_one(
    participation: Participation, facts: rules.ParticipationFacts, rule: AwardRule
) -> LedgerTransaction | None:
    spec = rule_spec(rule)
    if rules.uncapped_amount(spec, facts) == 0:
        return None
    account = resident_account(scheme=rule.scheme, person=participation.person)
    accounts_lock([account])
    amount = rules.award_amount(
        spec, facts, earned_that_day(account=account, rule=rule, day=facts.activity_date)
    )
    if amount == 0:
        return None
    expires_on = rules.expires_on(rules.Expiry(rule.scheme.expiry), facts.activity_date)
    posted, _ = transaction_post(
        kind=LedgerTransaction.Kind.AWARD,
        business_key=f"award:{participation.pk}:{rule.pk}",
        scheme=rule.scheme,
        lines=[
            Line(system_account(scheme=rule.scheme, kind=Account.Kind.ISSUANCE), -amount),
            Line(account, amount, expires_on),
        ],
        participation=participation,
        rule=rule,
        memo=participation.activity.title,
    )
    return posted


def earned_that_day(*, account: Account, rule: AwardRule, day: dt.date) -> int:
    """Net amount (awards less reversals) the account got under the rule for activities that day.

    The person's participations that day are found first (a handful, by index), so the sum reads
    only their transactions, whatever the planner knows of the tables' sizes."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    that_day = Participation.objects.filter(
        person_id=account.owner_id,
        activity__starts_at__gte=start,
        activity__starts_at__lt=start + dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    total = Entry.objects.filter(
        account=account, transaction__rule=rule, transaction__participation_id__in=list(that_day)
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


SWEEP_BATCH = 1000


def awards_sweep(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Verified participations whose award task was lost: awarded now. Returns how many."""
    cutoff = (now or timezone.now()) - older_than
    waiting = (
        Participation.objects.filter(verified_at__isnull=False, verified_at__lte=cutoff)
        .exclude(pk__in=ParticipationAwarded.objects.values("participation_id"))
        .values_list("pk", flat=True)
    )
    count = 0
    # A batch per run keeps one sweep short; whatever is left is the next run's (every 5 minutes).
    for participation_id in list(waiting.order_by("verified_at", "pk")[:SWEEP_BATCH]):
        try:
            participation_award(participation_id=participation_id)
        except Exception:
            # One that always fails (bad rule data, a bug) must not hold back the rest of the batch
            # for ever: it is logged and left waiting, and `points_reconcile` lists it for staff.
            logger.exception("participation %s: its award failed; left for the next sweep", participation_id)
            continue
        count += 1
    return count


@transaction.atomic
def awards_backfill(*, participation_ids: Sequence[int]) -> int:
    """What `participation_award` posts, for a history of verified participations loaded in bulk
    (the demo's, an import), in a few bulk inserts instead of a transaction each: the same rules,
    daily caps, business keys and expiry dates, each award dated at its verification as if its task
    had run then, and nothing announced. Participations already gone through are left alone.
    Every account is locked up front, in id order. Returns how many participations went through."""
    participations = _not_yet_awarded(participation_ids)
    in_force = [(rule, rule_spec(rule)) for rule in active_rules()]
    facts = {p.pk: participation_facts(p) for p, _at in participations}
    accounts = resident_accounts(
        pairs={
            (rule.scheme_id, p.person_id)
            for p, _at in participations
            for rule, spec in in_force
            if rules.uncapped_amount(spec, facts[p.pk]) > 0
        }
    )
    issuance = {
        rule.scheme_id: system_account(scheme=rule.scheme, kind=Account.Kind.ISSUANCE) for rule, _ in in_force
    }
    accounts_lock([*accounts.values(), *issuance.values()])
    earned = _earned_by_day(list(accounts.values()))
    posted: list[tuple[LedgerTransaction, list[Line]]] = []
    for participation, verified_at in participations:
        day = facts[participation.pk].activity_date
        for rule, spec in in_force:
            account = accounts.get((rule.scheme_id, participation.person_id))
            key = (account.pk if account else 0, rule.pk, day)
            amount = rules.award_amount(spec, facts[participation.pk], earned[key])
            if account is not None and amount > 0:
                earned[key] += amount
                lines = _award_lines(rule, account, issuance[rule.scheme_id], amount, day)
                posted.append((_award_row(participation, rule, verified_at), lines))
    _bulk_post(posted)
    ParticipationAwarded.objects.bulk_create(
        [ParticipationAwarded(participation=p, at=at) for p, at in participations], batch_size=2000
    )
    return len(participations)


def _not_yet_awarded(participation_ids: Sequence[int]) -> list[tuple[Participation, dt.datetime]]:
    """Verified and not gone through, with when they were verified, in that order: the daily cap
    is shared in verification order, as the tasks would have met it."""
    found = [
        (participation, participation.verified_at)
        for start in range(0, len(participation_ids), 5000)
        for participation in Participation.objects.filter(
            pk__in=participation_ids[start : start + 5000], verified_at__isnull=False
        )
        .exclude(pk__in=ParticipationAwarded.objects.values("participation_id"))
        .select_related("activity__organisation", "person")
    ]
    verified = [(participation, at) for participation, at in found if at is not None]
    return sorted(verified, key=lambda pair: (pair[1], pair[0].pk))


def _award_row(participation: Participation, rule: AwardRule, at: dt.datetime) -> LedgerTransaction:
    return LedgerTransaction(
        kind=LedgerTransaction.Kind.AWARD,
        business_key=f"award:{participation.pk}:{rule.pk}",
        scheme_id=rule.scheme_id,
        participation=participation,
        rule=rule,
        memo=participation.activity.title[:200],
        created_at=at,
    )


def _award_lines(
    rule: AwardRule, account: Account, issuance: Account, amount: int, day: dt.date
) -> list[Line]:
    expires_on = rules.expires_on(rules.Expiry(rule.scheme.expiry), day)
    return [Line(issuance, -amount), Line(account, amount, expires_on)]


def _earned_by_day(accounts: list[Account]) -> defaultdict[tuple[int, int, dt.date], int]:
    """What each account already holds under each rule, by activity day (awards less reversals)."""
    earned: defaultdict[tuple[int, int, dt.date], int] = defaultdict(int)
    rows = Entry.objects.filter(
        account__in=[account.pk for account in accounts], transaction__rule__isnull=False
    ).values_list(
        "account_id", "transaction__rule_id", "transaction__participation__activity__starts_at", "amount"
    )
    for account_id, rule_id, starts_at, amount in rows.iterator(chunk_size=5000):
        earned[account_id, rule_id, timezone.localtime(starts_at).date()] += amount
    return earned


def _bulk_post(posted: list[tuple[LedgerTransaction, list[Line]]]) -> None:
    """Balanced transactions with their entries, and the cached balances moved by the same amounts
    (one UPDATE per distinct amount, not per account)."""
    LedgerTransaction.objects.bulk_create([row for row, _ in posted], batch_size=1000)
    Entry.objects.bulk_create(
        [
            Entry(transaction=row, account_id=line.account.pk, amount=line.amount, expires_on=line.expires_on)
            for row, lines in posted
            for line in lines
        ],
        batch_size=2000,
    )
    moved: defaultdict[int, int] = defaultdict(int)
    for _row, lines in posted:
        for line in lines:
            moved[line.account.pk] += line.amount
    by_amount: defaultdict[int, list[int]] = defaultdict(list)
    for account_id, amount in moved.items():
        by_amount[amount].append(account_id)
    for amount, account_ids in by_amount.items():
        Account.objects.filter(pk__in=account_ids).update(balance=F("balance") + amount)
