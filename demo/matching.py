"""Demo offers, needs and a matching history on top of the demo city (embedded mode only).

Older residents offer more often (the plan's ageing helpers); needs come from residents and from
organisations; past matches were scheduled as activities, so fairness and "first activity" have
something to weigh. A full engine run then fills the coordinators' queue with proposals.
"""

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from events import services as event_services
from events.models import Activity
from matching.models import Match, MatchingRequest, Need, NeedWindow, Offer
from matching.services.runs import matching_request_enqueue, matching_request_process
from plan_registry.models import Area
from volunteer.models import ActivityCategory, Organisation, Skill, User

DEMO_NOTE = "（デモ）"
NEED_TITLES = {
    "listening": "ふれあいサロンの話し相手",
    "watching-over": "一人暮らし高齢者の見守り訪問",
    "salon": "いきいきサロンの運営補助",
    "childcare-support": "放課後クラブへの付き添い",
    "kodomo-shokudo": "こども食堂の配膳",
    "transport": "通院の付き添い",
    "housework": "買い物の手伝い",
    "environment": "公園の清掃",
    "event-help": "校区夏祭りの運営",
    "learning-support": "学習支援の見守り",
}


def matching_load(*, seed: int = 2025, offers: int = 900, needs: int = 220) -> tuple[int, int, int]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    if Offer.objects.filter(note=DEMO_NOTE).exists():
        return Offer.objects.count(), Need.objects.count(), Match.objects.count()
    rng = random.Random(seed)
    with transaction.atomic():
        residents = list(
            User.objects.filter(
                is_demo=True, email__startswith="demo-resident-", school_district__isnull=False
            ).select_related("school_district")
        )
        _history(rng, residents)
        _offers(rng, residents, count=offers)
        _needs(rng, residents, count=needs)
    # The proposals' notifications land in the demo residents' in-app inboxes, not in the
    # console: a first run should not print hundreds of e-mails.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with transaction.atomic():
            request = matching_request_enqueue(kind=MatchingRequest.Kind.FULL)
        matching_request_process(request_id=request.pk)
    _age_proposals(rng)
    return Offer.objects.count(), Need.objects.count(), Match.objects.count()


def _age_proposals(rng: random.Random) -> None:
    """Spread the proposals over the last three days, so the queue's oldest-first order and its
    age filter have something to show (a real queue is never all brand new)."""
    now = timezone.now()
    for match in Match.objects.filter(status=Match.Status.PROPOSED).order_by("pk"):
        Match.objects.filter(pk=match.pk).update(
            proposed_at=now - dt.timedelta(minutes=rng.randint(5, 72 * 60))
        )


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _offers(rng: random.Random, residents: list[User], *, count: int) -> None:
    categories = list(ActivityCategory.objects.all())
    skills = list(Skill.objects.all())
    today = timezone.localdate()
    # The over-65s are twice as likely to offer: the plan's ageing, always-the-same helpers.
    weights = [2.0 if (today - (r.birth_date or today)).days > 65 * 365 else 1.0 for r in residents]
    people = {r.pk: r for r in rng.choices(residents, weights=weights, k=count)}.values()
    for person in people:
        assert person.school_district is not None  # noqa: S101 (residents were selected with one)
        offer = Offer.objects.create(
            person=person,
            school_district=person.school_district,
            reach=rng.choice(["same_district", "neighbours", "neighbours", "ward", "city"]),
            weekly_availability=person.weekly_availability,
            max_per_week=rng.choice([1, 1, 2, 3]),
            valid_until=today + dt.timedelta(days=rng.randint(30, 180)),
            note=DEMO_NOTE,
            created_at=timezone.now() - dt.timedelta(days=rng.randint(0, 60)),
            updated_at=timezone.now(),
        )
        offer.categories.set(rng.sample(categories, rng.randint(1, 3)))
        offer.skills.set(rng.sample(skills, rng.randint(0, 2)))


def _needs(rng: random.Random, residents: list[User], *, count: int) -> None:
    categories = {c.code: c for c in ActivityCategory.objects.filter(code__in=NEED_TITLES)}
    organisations = list(Organisation.objects.filter(is_demo=True, status=Organisation.Status.APPROVED))
    districts = list(Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT))
    for number in range(count):
        code = rng.choice(sorted(categories))
        organisation = rng.choice(organisations) if rng.random() < 0.4 else None
        district = (
            organisation.area
            if organisation and organisation.area.kind == Area.Kind.SCHOOL_DISTRICT
            else rng.choice(districts)
        )
        # Organisation staff post for their organisation; a demo organisation without staff
        # stands for a resident's own request.
        membership = organisation.memberships.first() if organisation else None
        requester = membership.user if membership else rng.choice(residents)
        start = _at(rng.randint(1, 20), rng.choice([9, 10, 13, 14, 18]))
        need = Need.objects.create(
            requester=requester,
            organisation=organisation if membership else None,
            title=f"{NEED_TITLES[code]}{DEMO_NOTE}",
            category=categories[code],
            school_district=district,
            address=f"{district.name}（デモ住所 {number + 1}）",
            reach=rng.choice(["neighbours", "neighbours", "ward", "city"]),
            headcount=rng.choice([1, 1, 1, 2, 3, 5]) if organisation else 1,
            urgency=rng.choice([0, 0, 0, 1, 2]),
            valid_until=start.date(),
            note=DEMO_NOTE,
            created_at=timezone.now() - dt.timedelta(hours=rng.randint(1, 120)),
            updated_at=timezone.now(),
        )
        NeedWindow.objects.create(
            need=need, starts_at=start, ends_at=start + dt.timedelta(hours=rng.choice([1, 2, 3]))
        )


def _history(rng: random.Random, residents: list[User]) -> None:
    """Past activities that demo helpers took part in, so fairness and "first activity" weigh something."""
    listening = ActivityCategory.objects.filter(code="listening").first()
    if listening is None:
        return
    helpers = rng.sample(residents, 60)
    districts = list(Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT)[:1])
    for number in range(240):
        # A few people do most of the work: the plan's 担い手の固定化.
        volunteer = rng.choice(helpers[:12]) if rng.random() < 0.5 else helpers[number % len(helpers)]
        start = _at(-rng.randint(2, 700), rng.choice([9, 10, 13, 14]))
        activity = event_services.activity_schedule(
            source_key=f"demo-history:{number}",
            kind=Activity.Kind.ONE_OFF,
            title=f"{NEED_TITLES['listening']}{DEMO_NOTE}",
            category=listening,
            school_district=volunteer.school_district or districts[0],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=1,
        )
        event_services.participation_register(activity=activity, person=volunteer, source_key="demo-history")
