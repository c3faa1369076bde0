import pytest
from django.db.models import Count

from demo.matching import matching_load
from events.models import Participation
from matching.models import Match, Need, Offer

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_queue_with_proposals_that_keep_the_rules(demo_city: None) -> None:
    offers, needs, matches = matching_load(offers=300, needs=80)
    assert offers > 200
    assert needs == 80
    proposals = Match.objects.filter(status="proposed")
    assert proposals.count() == matches > 10
    assert all(match.reason for match in proposals)
    ages = {match.proposed_at.date() for match in proposals}
    assert len(ages) > 1  # spread over several days, so the queue's age filter means something
    # Nobody holds two open proposals and no need is overfilled.
    assert not proposals.values("volunteer").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for need in Need.objects.filter(matches__isnull=False).distinct():
        assert need.matches.filter(status="proposed").count() <= need.headcount
    # A few helpers carry most of the history: the plan's 担い手の固定化.
    counts = sorted(
        Participation.objects.values("person").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert counts[-1] >= 5 * counts[0]


def test_a_second_run_adds_nothing(demo_city: None) -> None:
    first = matching_load(offers=100, needs=20)
    assert matching_load(offers=100, needs=20) == first
    assert Offer.objects.count() == first[0]


def test_not_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        matching_load()
    assert not Offer.objects.exists()
