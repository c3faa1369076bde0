"""The demo's matching: a queue of proposals that keep the engine's rules, on top of a history of
needs matched, confirmed, accepted and attended."""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from events.models import Participation
from events.selectors import activity_staff_may_act
from matching.models import Match, MatchDecision, Need, Offer
from matching.selectors import match_queue_for_staff
from volunteer.models import User
from volunteer.selectors import staff_area_ids

pytestmark = pytest.mark.django_db


def test_the_queue_has_proposals_that_keep_the_rules(small_demo: str) -> None:
    proposals = Match.objects.filter(status="proposed")
    assert proposals.count() > 10
    assert all(match.reason for match in proposals)
    assert len({match.proposed_at.date() for match in proposals}) > 1  # the queue's age filter has work
    assert not proposals.filter(proposed_at__lt=F("need__created_at")).exists()
    assert not proposals.filter(proposed_at__gt=timezone.now()).exists()
    # Nobody holds two open proposals and no need is overfilled.
    assert not proposals.values("volunteer").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for need in Need.objects.filter(matches__status="proposed").distinct():
        assert need.matches.filter(status="proposed").count() <= need.headcount
    coordinator = User.objects.get(email="coordinator@example.com")
    assert match_queue_for_staff(staff=coordinator).filter(status="proposed").exists()


def test_past_matches_went_the_whole_way_through_people_who_may_decide(small_demo: str) -> None:
    past = Match.objects.filter(status="scheduled").select_related("need")
    assert past.count() == 40
    for match in past:
        confirm = match.decisions.get(action=MatchDecision.Action.CONFIRM)
        assert match.proposed_at < confirm.decided_at < match.accepted_at
        assert match.need.school_district_id in staff_area_ids(user=confirm.actor)
        assert match.decisions.get(action=MatchDecision.Action.ACCEPT).actor_id == match.volunteer_id
        attended = Participation.objects.get(source_key=f"match:{match.pk}")
        assert attended.person_id == match.volunteer_id
        assert attended.verified_at is not None
        assert attended.activity.starts_at > match.accepted_at
        assert activity_staff_may_act(activity=attended.activity, staff=attended.verified_by)
    assert Need.objects.filter(matches__in=past, status="filled").count() == 40


def test_a_few_helpers_carry_most_of_the_history(small_demo: str) -> None:
    """The plan's 担い手の固定化: a dozen helpers did half the matched work."""
    counts = sorted(
        Participation.objects.filter(source_key__startswith="match:")
        .values("person")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True),
        reverse=True,
    )
    assert sum(counts[:12]) >= 0.5 * sum(counts)
    assert len(counts) > 24


def test_the_helpers_offered_before_their_history_and_the_over_65s_offer_more(small_demo: str) -> None:
    for match in Match.objects.filter(status="scheduled").select_related("offer", "need"):
        assert match.offer is not None
        assert match.offer.created_at < match.need.created_at
        assert match.need.category in match.offer.categories.all()
    today = timezone.localdate()

    def over_65(people: list[User]) -> float:
        return sum((today - p.birth_date).days >= 65 * 365 for p in people if p.birth_date) / len(people)

    residents = list(User.objects.filter(email__startswith="demo-resident-"))
    offering = [offer.person for offer in Offer.objects.select_related("person")]
    assert over_65(offering) > over_65(residents) + 0.02
