"""Awards for verified participation, under the city's rules as loaded by the migration."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from events.models import Participation
from points import errors, services
from points.models import Account, AwardRule, Entry, LedgerTransaction, ParticipationAwarded, Scheme
from points.services import awards
from points.services.ledger import resident_account, system_account
from tests.factories import ParticipationFactory
from tests.points.conftest import Verified
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


def balance(person: User, scheme: Scheme) -> int:
    account = Account.objects.filter(owner=person, scheme=scheme).first()
    return account.balance if account else 0


def test_a_verified_activity_earns_100_kumamoto_points(
    resident: User, kumamoto: Scheme, verified: Verified
) -> None:
    participation = verified(resident)

    assert balance(resident, kumamoto) == 100
    credit = Entry.objects.get(account__owner=resident)
    day = timezone.localtime(participation.activity.starts_at).date()
    fiscal_year = day.year if day.month >= 4 else day.year - 1
    assert credit.expires_on == dt.date(fiscal_year + 2, 3, 31)


def test_awarding_twice_changes_nothing(resident: User, kumamoto: Scheme, verified: Verified) -> None:
    participation = verified(resident)

    assert services.participation_award(participation_id=participation.pk) == []
    assert balance(resident, kumamoto) == 100
    assert LedgerTransaction.objects.count() == 1


def test_an_unverified_participation_earns_nothing(resident: User) -> None:
    participation = ParticipationFactory(person=resident)

    assert services.participation_award(participation_id=participation.pk) == []
    assert not ParticipationAwarded.objects.exists()


def test_a_senior_at_a_care_host_also_earns_stamps_two_a_day_at_most(
    senior: User, care_host: Organisation, care_support: Scheme, kumamoto: Scheme, verified: Verified
) -> None:
    morning = timezone.now().replace(hour=1, minute=0) - dt.timedelta(days=2)  # 10:00 in Japan
    verified(senior, minutes=90, organisation=care_host, starts_at=morning)
    verified(senior, minutes=150, organisation=care_host, starts_at=morning + dt.timedelta(hours=3))
    verified(senior, minutes=120, organisation=care_host, starts_at=morning + dt.timedelta(days=1))

    assert balance(senior, care_support) == 2 + 2  # 1 + (2 capped to 1) on the first day, 2 on the next
    assert balance(senior, kumamoto) == 300
    assert services.points_reconcile().ok


def test_someone_under_65_earns_no_stamps(
    resident: User, care_host: Organisation, care_support: Scheme, verified: Verified
) -> None:
    verified(resident, minutes=180, organisation=care_host)

    assert balance(resident, care_support) == 0


def test_reconciliation_finds_a_tampered_balance(
    resident: User, kumamoto: Scheme, verified: Verified
) -> None:
    verified(resident)
    Account.objects.filter(owner=resident).update(balance=1000)

    report = services.points_reconcile()

    assert not report.ok
    assert any("balance 1000, entries sum to 100" in line for line in report.differences)


def test_reconciliation_finds_a_missing_award(resident: User, kumamoto: Scheme, verified: Verified) -> None:
    participation = verified(resident, award=False)
    ParticipationAwarded.objects.create(participation=participation, at=timezone.now())

    report = services.points_reconcile()

    assert report.differences == [
        f"person {resident.pk}, rule {kumamoto.rules.get().pk}, "
        f"{timezone.localtime(participation.activity.starts_at).date()}: rules give 100, ledger holds 0"
    ]


def test_the_sweep_awards_what_a_lost_task_left(resident: User, kumamoto: Scheme, verified: Verified) -> None:
    participation = verified(resident, award=False)

    assert services.awards_sweep(older_than=dt.timedelta(seconds=0)) == 1
    assert services.awards_sweep(older_than=dt.timedelta(seconds=0)) == 0
    assert balance(resident, kumamoto) == 100
    assert ParticipationAwarded.objects.filter(participation=participation).exists()


def test_an_award_that_always_fails_holds_back_no_other_and_is_listed_for_staff(
    resident: User,
    other_resident: User,
    kumamoto: Scheme,
    verified: Verified,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poisoned = verified(resident, award=False)
    fine = verified(other_resident, award=False)
    Participation.objects.filter(pk=poisoned.pk).update(verified_at=timezone.now() - dt.timedelta(hours=1))
    award = awards.participation_award

    def failing_for_one(*, participation_id: int) -> list[LedgerTransaction]:
        if participation_id == poisoned.pk:
            raise ValueError("a rule that cannot be read")
        return award(participation_id=participation_id)

    monkeypatch.setattr(awards, "participation_award", failing_for_one)

    assert services.awards_sweep(older_than=dt.timedelta(seconds=0)) == 1
    assert services.awards_sweep(older_than=dt.timedelta(seconds=0)) == 0
    assert balance(other_resident, kumamoto) == 100
    assert ParticipationAwarded.objects.filter(participation=fine).exists()
    assert not ParticipationAwarded.objects.filter(participation=poisoned).exists()
    assert f"participation {poisoned.pk}: verified but its awards were never posted" in (
        services.points_reconcile().differences
    )


def test_a_reversal_corrects_an_award_once(
    resident: User, coordinator: User, kumamoto: Scheme, verified: Verified
) -> None:
    participation = verified(resident)
    award = LedgerTransaction.objects.get(participation=participation)

    services.transaction_reverse(posted=award, staff=coordinator, reason="二重登録")
    with pytest.raises(errors.AlreadyReversed):
        services.transaction_reverse(posted=award, staff=coordinator, reason="二重登録")

    assert balance(resident, kumamoto) == 0
    assert services.points_reconcile().ok


def test_a_campaign_bonus_configured_by_staff_applies_within_its_dates(
    resident: User, kumamoto: Scheme, verified: Verified
) -> None:
    today = timezone.localdate()
    AwardRule.objects.create(
        scheme=kumamoto,
        code="autumn-campaign",
        name="秋のボランティア強化月間 +50",
        kind="campaign_bonus",
        amount=50,
        valid_from=today - dt.timedelta(days=10),
        valid_until=today - dt.timedelta(days=1),
    )

    verified(resident, starts_at=timezone.now() - dt.timedelta(days=3))  # in the campaign
    verified(resident, starts_at=timezone.now() - dt.timedelta(days=30))  # before it

    assert balance(resident, kumamoto) == 100 + 50 + 100
    assert services.points_reconcile().ok


def test_the_resident_is_told_what_the_activity_earned_once(resident: User, verified: Verified) -> None:
    from volunteer.models import Notification

    participation = verified(resident)
    services.participation_award(participation_id=participation.pk)  # a retry tells nothing new

    told = Notification.objects.get(user=resident, kind="points_awarded")
    assert told.body == "くまもとポイント 100ポイントを付与しました。"
    assert participation.activity.title in told.title


def test_the_inbox_gives_the_points_notification_its_participation(
    client_for: Any, resident: User, verified: Verified
) -> None:
    participation = verified(resident)

    (told,) = client_for(resident).get("/api/v1/notifications/").json()["results"]
    assert (told["kind"], told["data"]) == ("points_awarded", {"participation": participation.pk})


def test_an_award_for_an_old_verification_stays_quiet(resident: User, verified: Verified) -> None:
    from volunteer.models import Notification

    participation = verified(resident, award=False)
    Participation.objects.filter(pk=participation.pk).update(
        verified_at=timezone.now() - dt.timedelta(days=30)
    )

    services.participation_award(participation_id=participation.pk)

    assert balance(resident, Scheme.objects.get(code="kumamoto")) == 100
    assert not Notification.objects.filter(user=resident, kind="points_awarded").exists()


def test_reconciliation_finds_points_moved_across_schemes_and_a_transaction_without_entries(
    resident: User, kumamoto: Scheme, care_support: Scheme, ledger_unguarded: None
) -> None:
    """Tampering a row-level check cannot see on SQLite (PostgreSQL refuses both at once: see
    tests/integration/test_ledger_postgres.py): an award whose debit is taken from the other
    scheme, and a transaction with no entries at all."""
    care_issuance = system_account(scheme=care_support, kind=Account.Kind.ISSUANCE)
    mixed = LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.AWARD, business_key="tampered", scheme=kumamoto, created_at=timezone.now()
    )
    mine = resident_account(scheme=kumamoto, person=resident)
    Entry.objects.create(transaction=mixed, account=mine, amount=100)
    Entry.objects.create(transaction=mixed, account=care_issuance, amount=-100)
    Account.objects.filter(pk=mine.pk).update(balance=100)
    Account.objects.filter(pk=care_issuance.pk).update(balance=-100)
    LedgerTransaction.objects.create(
        kind=LedgerTransaction.Kind.AWARD, business_key="empty", scheme=kumamoto, created_at=timezone.now()
    )

    differences = services.points_reconcile().differences

    assert "scheme care-support: entries sum to -100" in differences
    assert "scheme kumamoto: entries sum to 100" in differences
    assert "transaction empty: 0 entries (at least two)" in differences
    assert "transaction tampered: entries in another scheme's accounts" in differences
