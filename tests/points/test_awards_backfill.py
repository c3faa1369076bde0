"""Awards for a history loaded in bulk: exactly what the one-by-one awards would post."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from events.models import Participation
from points import services
from points.models import Account, Entry, LedgerTransaction, ParticipationAwarded, Scheme
from tests.points.conftest import Verified
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db

Posted = list[tuple[str, int | None, int, dt.date | None]]


def posted() -> Posted:
    rows = Entry.objects.values_list("transaction__business_key", "account__owner_id", "amount", "expires_on")
    return sorted(rows, key=lambda row: (row[0], row[2]))


@pytest.fixture
def history(senior: User, resident: User, care_host: Organisation, verified: Verified) -> list[Participation]:
    """A senior's three visits to a care host over two days (three hours on the first day: the
    daily cap bites), and the resident's activity of a year ago; nothing awarded yet."""
    morning = timezone.now().replace(hour=1, minute=0) - dt.timedelta(days=3)  # 10:00 in Japan
    hour = dt.timedelta(hours=1)
    return [
        verified(senior, minutes=90, organisation=care_host, starts_at=morning, award=False),
        verified(senior, minutes=150, organisation=care_host, starts_at=morning + 3 * hour, award=False),
        verified(senior, minutes=120, organisation=care_host, starts_at=morning + 24 * hour, award=False),
        verified(resident, minutes=120, starts_at=morning - 365 * 24 * hour, award=False),
    ]


def test_a_backfill_posts_what_the_awards_one_by_one_would(history: list[Participation]) -> None:
    ids = [p.pk for p in history]
    with transaction.atomic():
        for participation in sorted(history, key=lambda p: (p.verified_at, p.pk)):
            services.participation_award(participation_id=participation.pk)
        one_by_one = posted()
        transaction.set_rollback(True)
    assert not Entry.objects.exists()

    assert services.awards_backfill(participation_ids=ids) == 4

    assert posted() == one_by_one
    assert len(one_by_one) == 2 * (4 + 3)  # four くまもとポイント awards, three of stamps
    assert services.points_reconcile().ok


def test_the_backfill_keeps_the_daily_cap_and_dates_each_award_at_its_verification(
    history: list[Participation], senior: User, care_support: Scheme, kumamoto: Scheme
) -> None:
    services.awards_backfill(participation_ids=[p.pk for p in history])

    assert Account.objects.get(owner=senior, scheme=care_support).balance == 2 + 2
    assert Account.objects.get(owner=senior, scheme=kumamoto).balance == 300
    for participation in history:
        participation.refresh_from_db()
        awards = LedgerTransaction.objects.filter(participation=participation)
        assert {award.created_at for award in awards} == {participation.verified_at}
        assert ParticipationAwarded.objects.get(participation=participation).at == participation.verified_at


def test_a_second_backfill_and_awards_already_posted_change_nothing(
    history: list[Participation], resident: User, kumamoto: Scheme
) -> None:
    services.participation_award(participation_id=history[3].pk)
    before = posted()

    assert services.awards_backfill(participation_ids=[p.pk for p in history]) == 3
    after = posted()
    assert services.awards_backfill(participation_ids=[p.pk for p in history]) == 0

    assert posted() == after
    assert set(before) <= set(after)
    assert Account.objects.get(owner=resident, scheme=kumamoto).balance == 100
    assert services.points_reconcile().ok


def test_an_unverified_participation_is_not_backfilled(history: list[Participation]) -> None:
    Participation.objects.filter(pk=history[0].pk).update(verified_at=None, verified_by=None, minutes=None)

    assert services.awards_backfill(participation_ids=[history[0].pk]) == 0
    assert not Entry.objects.exists()
    assert not ParticipationAwarded.objects.exists()
