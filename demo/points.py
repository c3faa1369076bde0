"""Demo points and certificates (demo mode only): every verified demo participation goes through
the award rules, the reward catalogue gets a few entries, some residents redeem points, and a
few hold certificates (the demo resident among them)."""

import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from events.models import Participation
from plan_registry.fiscal_year import fiscal_year_of
from points import errors, services
from points.models import Certificate, ParticipationAwarded, Redemption, Reward, Scheme
from volunteer.models import Organisation, User, VerifiedIdentity

REWARDS = (
    ("熊本城 特別見学券（デモ）", 500),
    ("市電・市バス 1日乗車券（デモ）", 300),
    ("地域のお店で使える商品券 1,000円分（デモ）", 1000),
)


@dataclass(frozen=True)
class PointsDemo:
    awarded: int
    redemptions: int
    certificates: int


def points_load(*, seed: int = 2025) -> PointsDemo:
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    rng = random.Random(seed)
    waiting = Participation.objects.filter(verified_at__isnull=False).exclude(
        pk__in=ParticipationAwarded.objects.values("participation_id")
    )
    awarded = 0
    for participation_id in waiting.values_list("pk", flat=True):
        services.participation_award(participation_id=participation_id)
        awarded += 1
    rewards = _rewards()
    redemptions = _redemptions(rng, rewards)
    certificates = _certificates(rng)
    return PointsDemo(awarded, redemptions, certificates)


def _rewards() -> list[Reward]:
    kumamoto = Scheme.objects.filter(code="kumamoto").first()
    if kumamoto is None:
        return []
    rewards = [
        Reward.objects.get_or_create(scheme=kumamoto, name=name, defaults={"cost": cost})[0]
        for name, cost in REWARDS
    ]
    group = Organisation.objects.filter(is_demo=True, kind=Organisation.Kind.NPO).order_by("pk").first()
    if group is not None:
        donation, _ = Reward.objects.get_or_create(
            scheme=kumamoto,
            kind=Reward.Kind.DONATION,
            organisation=group,
            defaults={"name": f"{group.name}への寄付", "cost": 100},
        )
        rewards.append(donation)
    return rewards


def _redemptions(rng: random.Random, rewards: list[Reward]) -> int:
    if not rewards or Redemption.objects.exists():
        return 0
    staff = User.objects.filter(email="coordinator@example.com").first()
    people = list(User.objects.filter(is_demo=True, point_accounts__balance__gte=300).distinct()[:60])
    made = 0
    donations = [reward for reward in rewards if reward.kind == Reward.Kind.DONATION]
    verified = set(VerifiedIdentity.objects.filter(person__in=people).values_list("person_id", flat=True))
    for person in people:
        # A reward is handed over to a verified name; the others give to a group.
        choices = rewards if person.pk in verified else donations
        if not choices:
            continue
        try:
            redemption = services.redemption_hold(person=person, reward=rng.choice(choices))
        except errors.InsufficientBalance:
            continue
        made += 1
        if staff is not None and rng.random() < 0.7:
            services.redemption_approve(redemption=redemption, staff=staff)
    return made


def _certificates(rng: random.Random) -> int:
    if Certificate.objects.exists():
        return 0
    year = fiscal_year_of(timezone.now()).year - 1
    people = list(
        User.objects.filter(is_demo=True, participations__verified_at__isnull=False).distinct()[:200]
    )
    chosen = rng.sample(people, min(20, len(people)))
    tanaka = User.objects.filter(email="resident@example.com").first()
    if tanaka is not None:
        chosen.append(tanaka)
    made = 0
    for person in chosen:
        for fiscal_year in (year, year + 1):  # last year's summary, or this year's so far
            try:
                services.certificate_issue(person=person, fiscal_year=fiscal_year)
            except errors.NoActivitiesInYear:
                continue
            made += 1
            break
    return made
