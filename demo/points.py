"""Demo points and certificates, all through the points services: every verified participation
of the history goes through the award rules (in bulk, `awards_backfill`), points past their end
date expire as the nightly job would have expired them, the reward catalogue gets a few entries,
some residents redeem points or give them to a group, and a few hold certificates (the demo
resident among them)."""

import random

from django.utils import timezone

from demo.city import DEMO_LABEL
from events.models import Participation
from plan_registry.fiscal_year import fiscal_year_of
from points import errors, services
from points.models import Certificate, Redemption, Reward, Scheme
from volunteer.models import Organisation, User, VerifiedIdentity

REWARDS = (
    (f"熊本城 特別見学券{DEMO_LABEL}", 500),
    (f"市電・市バス 1日乗車券{DEMO_LABEL}", 300),
    (f"地域のお店で使える商品券 1,000円分{DEMO_LABEL}", 1000),
)


def points_loaded() -> bool:
    return Reward.objects.filter(name=REWARDS[0][0]).exists()


def points_load(*, rng: random.Random, redemptions: int, certificates: int) -> None:
    verified = list(Participation.objects.filter(verified_at__isnull=False).values_list("pk", flat=True))
    services.awards_backfill(participation_ids=verified)
    services.points_expire()
    rewards = _rewards()
    _redemptions(rng, rewards, count=redemptions)
    _certificates(rng, count=certificates)


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


def _redemptions(rng: random.Random, rewards: list[Reward], *, count: int) -> None:
    if not rewards or Redemption.objects.exists():
        return
    staff = User.objects.filter(email="coordinator@example.com").first()
    people = list(
        User.objects.filter(is_demo=True, point_accounts__balance__gte=300).distinct().order_by("pk")[:count]
    )
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
        if staff is not None and rng.random() < 0.7:
            services.redemption_approve(redemption=redemption, staff=staff)


def _certificates(rng: random.Random, *, count: int) -> None:
    if Certificate.objects.exists():
        return
    year = fiscal_year_of(timezone.now()).year - 1
    people = list(
        User.objects.filter(is_demo=True, participations__verified_at__isnull=False)
        .distinct()
        .order_by("pk")[:200]
    )
    chosen = rng.sample(people, min(count, len(people)))
    tanaka = User.objects.filter(email="resident@example.com").first()
    if tanaka is not None:
        chosen.append(tanaka)
    for person in chosen:
        for fiscal_year in (year, year + 1):  # last year's summary, or this year's so far
            try:
                services.certificate_issue(person=person, fiscal_year=fiscal_year)
            except errors.NoActivitiesInYear:
                continue
            break
