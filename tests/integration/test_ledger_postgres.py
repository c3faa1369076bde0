"""What PostgreSQL itself guarantees for check-ins, the ledger and a calendar feed, under real concurrency:
threads, each with its own connection, racing on the same rows."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError, IntegrityError
from django.utils import timezone

from core.api.errors import DomainError
from events import services as event_services
from events.models import Activity, CalendarFeed, CheckIn, Participation
from points import services
from points.models import Account, Entry, LedgerTransaction, Redemption, Scheme
from points.services.ledger import Line, resident_account, system_account, transaction_post
from tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    ParticipationFactory,
    RewardFactory,
    UserFactory,
    VerifiedIdentityFactory,
)
from volunteer.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def race(count: int, work: Callable[[], Any]) -> list[Any]:
    """`work` in `count` threads released together; each result or raised exception."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work()
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def scene(city_schemes_configured: None) -> tuple[Activity, Participation, User]:
    organiser = UserFactory()
    organisation = OrganisationFactory()
    organisation.memberships.create(user=organiser)
    starts = timezone.now() - dt.timedelta(minutes=30)
    activity = ActivityFactory(
        organisation=organisation, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    return activity, ParticipationFactory(activity=activity), organiser


def _enter_by_hand(activity: Activity, participation: Participation, organiser: User) -> None:
    """Verification needs a check-in: the organiser enters the person at the door."""
    event_services.checkin_manual(
        activity=activity, person=participation.person, staff=organiser, direction="in", reason="出席簿"
    )


def test_twenty_concurrent_duplicate_check_ins_give_one_check_in_and_one_award(
    scene: tuple[Activity, Participation, User],
) -> None:
    activity, participation, organiser = scene
    code = event_services.checkin_venue_token(activity=activity, staff=organiser)

    results = race(20, lambda: event_services.checkin_by_venue_token(
        token=code, activity_id=activity.pk, person=participation.person, direction="in"))  # fmt: skip

    assert all(isinstance(result, tuple) for result in results), results
    assert sum(created for _, created in results) == 1
    assert len({checkin.pk for checkin, _ in results}) == 1
    assert CheckIn.objects.count() == 1
    event_services.participation_verify(
        participation=participation, staff=organiser, minutes=60, reason="出席簿"
    )
    race(20, lambda: services.participation_award(participation_id=participation.pk))
    assert LedgerTransaction.objects.filter(participation=participation).count() == 1
    assert Account.objects.get(owner=participation.person).balance == 100


def test_fifty_concurrent_redemptions_of_the_whole_balance_give_one(
    scene: tuple[Activity, Participation, User],
) -> None:
    activity, participation, organiser = scene
    _enter_by_hand(activity, participation, organiser)
    event_services.participation_verify(
        participation=participation, staff=organiser, minutes=60, reason="出席簿"
    )
    services.participation_award(participation_id=participation.pk)
    reward = RewardFactory(scheme=Scheme.objects.get(code="kumamoto"), cost=100)
    VerifiedIdentityFactory(person=participation.person)  # a reward goes to a verified name

    results = race(50, lambda: services.redemption_hold(person=participation.person, reward=reward))

    assert sum(isinstance(result, Redemption) for result in results) == 1
    assert all(isinstance(result, (Redemption, DomainError)) for result in results), results
    assert Account.objects.get(owner=participation.person).balance == 0
    assert services.points_reconcile().ok


def test_the_database_refuses_to_change_or_delete_an_entry(
    scene: tuple[Activity, Participation, User],
) -> None:
    activity, participation, organiser = scene
    _enter_by_hand(activity, participation, organiser)
    event_services.participation_verify(
        participation=participation, staff=organiser, minutes=60, reason="出席簿"
    )
    services.participation_award(participation_id=participation.pk)
    entry = Entry.objects.filter(account__owner=participation.person).get()

    for statement in (
        ("UPDATE points_entry SET amount = 1000 WHERE id = %s", entry.pk),
        ("DELETE FROM points_entry WHERE id = %s", entry.pk),
        ("UPDATE points_ledgertransaction SET memo = 'x' WHERE id = %s", entry.transaction_id),
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement[0], [statement[1]])
    assert Entry.objects.get(pk=entry.pk).amount == 100


def test_the_database_refuses_an_unbalanced_transaction(scene: tuple[Activity, Participation, User]) -> None:
    person = scene[1].person
    scheme = Scheme.objects.get(code="kumamoto")
    account, issuance = (
        resident_account(scheme=scheme, person=person),
        system_account(scheme=scheme, kind="issuance"),
    )

    def post_with_a_stray_entry() -> None:
        with transaction.atomic():
            posted, _ = transaction_post(
                kind="award",
                business_key="t",
                scheme=scheme,
                lines=[Line(account, 100), Line(issuance, -100)],
            )
            Entry.objects.create(
                transaction=posted, account=account, amount=5
            )  # a bug writing past the service

    with pytest.raises(DatabaseError, match="does not balance"):
        post_with_a_stray_entry()

    assert not LedgerTransaction.objects.exists()


def test_the_database_refuses_a_transaction_without_entries_or_across_schemes(
    scene: tuple[Activity, Participation, User],
) -> None:
    person = scene[1].person
    kumamoto, care = Scheme.objects.get(code="kumamoto"), Scheme.objects.get(code="care-support")
    mine, care_issuance = (
        resident_account(scheme=kumamoto, person=person),
        system_account(scheme=care, kind="issuance"),
    )

    def post_nothing() -> None:
        with transaction.atomic():
            LedgerTransaction.objects.create(
                kind="award", business_key="empty", scheme=kumamoto, created_at=timezone.now()
            )

    def post_across_schemes() -> None:
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(
                kind="award", business_key="across", scheme=kumamoto, created_at=timezone.now()
            )
            Entry.objects.create(transaction=posted, account=mine, amount=100)
            Entry.objects.create(transaction=posted, account=care_issuance, amount=-100)

    with pytest.raises(DatabaseError, match="has 0 entries"):
        post_nothing()
    with pytest.raises(DatabaseError, match="mixes schemes"):
        post_across_schemes()

    assert not LedgerTransaction.objects.exists()
    assert services.points_reconcile().ok


def test_a_double_tap_on_making_a_calendar_feed_leaves_one_feed_and_no_error() -> None:
    person = UserFactory()

    made = race(4, lambda: event_services.calendar_feed_create(person=person))

    assert [type(result) for result in made] == [tuple] * 4  # no IntegrityError from a second insert
    (kept,) = CalendarFeed.objects.filter(person=person)
    assert kept.token_hash in {event_services.calendar_token_hash(token) for _feed, token in made}
