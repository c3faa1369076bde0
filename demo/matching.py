"""Demo offers, needs and matches on top of the demo city.

Older residents offer more often (the plan's ageing helpers); needs come from residents and from
organisations' staff. The history: needs of the past that the engine matched with a helper, the
ward's coordinator confirmed, the helper accepted, and whose activity took place with the helper's
attendance verified, so the funnel's feeds (proposed, confirmed, completed, days to confirmation)
have values in every year; a few helpers carry most of it (the plan's 担い手の固定化). Then open
needs for the coming weeks and a full run of the engine fill the coordinators' queue.

Offers, needs and the history are written in bulk, in the states the services leave behind (a
service per post would run the engine once for each); the proposals come from the engine itself.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.city import DEMO_LABEL, coordinators_by_district, demo_residents, organisation_staff
from demo.participation import attended, checkins_of
from events.models import Activity, CheckIn, Participation
from matching.engine.reasons import DISTANCE, NEWCOMER
from matching.engine.types import PERIODS, WEEKDAYS
from matching.models import Match, MatchDecision, MatchingRequest, Need, NeedWindow, Offer
from matching.services.decisions import MATCHING_PROGRAMME
from matching.services.runs import matching_request_enqueue, matching_request_process
from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory, Organisation, Skill, User

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
HELPERS = 60  # residents with a history of matches; the first twelve do half of it


@dataclass(frozen=True)
class MatchingPlan:
    first_day: dt.date  # of the history
    offers: int
    needs: int
    past_matches: int


def matching_loaded() -> bool:
    return Offer.objects.filter(note=DEMO_LABEL).exists()


def matching_load(*, rng: random.Random, plan: MatchingPlan) -> None:
    """Offers, the history and open needs (call inside a transaction), without the engine's run."""
    residents = list(
        demo_residents()
        .filter(school_district__isnull=False)
        .select_related("school_district")
        .order_by("pk")
    )
    helpers = rng.sample(residents, min(HELPERS, len(residents)))
    offers = _offers(rng, residents, helpers, count=plan.offers, first_day=plan.first_day)
    _history(
        rng, residents, [offers[h.pk] for h in helpers], count=plan.past_matches, first_day=plan.first_day
    )
    _needs(rng, residents, count=plan.needs)


def matching_run(*, rng: random.Random) -> None:
    """A full run of the engine, as beat would start it; then the proposals' ages are spread."""
    # The proposals' notifications land in the demo residents' in-app inboxes only: a first run
    # should not write a hundred e-mails to people who do not exist.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with transaction.atomic():
            request = matching_request_enqueue(kind=MatchingRequest.Kind.FULL)
        # The eager task ran it after the commit; inside an outer transaction (the tests) it runs here.
        matching_request_process(request_id=request.pk)
    _age_proposals(rng)


def _age_proposals(rng: random.Random) -> None:
    """Spread the proposals over the last three days (after their posts), so the queue's
    oldest-first order and its age filter have something to show: a real queue is never all new."""
    now = timezone.now()
    proposals = (
        Match.objects.filter(status=Match.Status.PROPOSED).select_related("need", "offer").order_by("pk")
    )
    for match in proposals:
        posted = max(match.need.created_at, match.offer.created_at if match.offer else match.need.created_at)
        proposed_at = max(
            now - dt.timedelta(minutes=rng.randint(5, 72 * 60)), posted + dt.timedelta(minutes=5)
        )
        if proposed_at < now:
            Match.objects.filter(pk=match.pk).update(proposed_at=proposed_at)
            match.decisions.filter(action=MatchDecision.Action.PROPOSE).update(decided_at=proposed_at)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _offers(
    rng: random.Random, residents: list[User], helpers: list[User], *, count: int, first_day: dt.date
) -> dict[int, Offer]:
    """One offer per person: the helpers' since before the history began, the others' recent."""
    categories = list(ActivityCategory.objects.all())
    needed = [c for c in categories if c.code in NEED_TITLES]
    skills = list(Skill.objects.all())
    today, now = timezone.localdate(), timezone.now()
    # The over-65s are twice as likely to offer: the plan's ageing, always-the-same helpers.
    weights = [2.0 if (today - (r.birth_date or today)).days > 65 * 365 else 1.0 for r in residents]
    people = {p.pk: p for p in helpers + rng.choices(residents, weights=weights, k=count)}
    since = {h.pk: _at(first_day, 9) - dt.timedelta(days=rng.randint(1, 60)) for h in helpers}
    offers = {
        person.pk: Offer(
            person=person,
            school_district=person.school_district,
            reach=rng.choice(["same_district", "neighbours", "neighbours", "ward", "city"]),
            weekly_availability=person.weekly_availability,
            max_per_week=rng.choice([1, 1, 2, 3]),
            valid_until=today + dt.timedelta(days=rng.randint(30, 180)),
            note=DEMO_LABEL,
            created_at=since.get(person.pk)
            or now - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(1, 20)),
            updated_at=now,
        )
        for person in people.values()
    }
    Offer.objects.bulk_create(offers.values(), batch_size=1000)
    Offer.categories.through.objects.bulk_create(
        [
            Offer.categories.through(offer_id=offer.pk, activitycategory_id=category.pk)
            for offer in offers.values()
            for category in rng.sample(needed if offer.person_id in since else categories, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    Offer.skills.through.objects.bulk_create(
        [
            Offer.skills.through(offer_id=offer.pk, skill_id=skill.pk)
            for offer in offers.values()
            for skill in rng.sample(skills, rng.randint(0, 2))
        ],
        batch_size=2000,
    )
    return offers


def _needs(rng: random.Random, residents: list[User], *, count: int) -> None:
    """Open needs for the coming weeks, from residents and from organisations' staff."""
    categories = {c.code: c for c in ActivityCategory.objects.filter(code__in=NEED_TITLES)}
    organisations = list(Organisation.objects.filter(is_demo=True, status=Organisation.Status.APPROVED))
    staff = organisation_staff()
    districts = list(Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT))
    now, needs, windows = timezone.now(), [], []
    for number in range(count):
        code = rng.choice(sorted(categories))
        organisation = rng.choice(organisations) if rng.random() < 0.4 else None
        district = (
            organisation.area
            if organisation and organisation.area.kind == Area.Kind.SCHOOL_DISTRICT
            else rng.choice(districts)
        )
        start = _at(
            timezone.localdate() + dt.timedelta(days=rng.randint(1, 20)), rng.choice([9, 10, 13, 14, 18])
        )
        need = Need(
            requester=staff[organisation.pk] if organisation else rng.choice(residents),
            organisation=organisation,
            title=f"{NEED_TITLES[code]}{DEMO_LABEL}",
            category=categories[code],
            school_district=district,
            address=f"{district.name}（デモ住所 {number + 1}）",
            reach=rng.choice(["neighbours", "neighbours", "ward", "city"]),
            headcount=rng.choice([1, 1, 1, 2, 3, 5]) if organisation else 1,
            urgency=rng.choice([0, 0, 0, 1, 2]),
            valid_until=start.date(),
            note=DEMO_LABEL,
            created_at=now - dt.timedelta(hours=rng.randint(1, 120)),
            updated_at=now,
        )
        needs.append(need)
        windows.append(
            NeedWindow(need=need, starts_at=start, ends_at=start + dt.timedelta(hours=rng.choice([1, 2, 3])))
        )
    Need.objects.bulk_create(needs)
    NeedWindow.objects.bulk_create(windows)


@dataclass(frozen=True)
class _Past:
    """One past need with its window, its match and the decisions on it."""

    need: Need
    window: NeedWindow
    match: Match
    decisions: list[MatchDecision]


def _history(
    rng: random.Random, residents: list[User], helper_offers: list[Offer], *, count: int, first_day: dt.date
) -> None:
    """Past needs, each matched by the engine with a helper, confirmed by the ward's coordinator,
    accepted, scheduled and attended: the states `match_confirm`, `match_accept` and
    `participation_verify` leave behind, on the dates they would have happened."""
    if not helper_offers or count == 0:
        return
    days = (timezone.localdate() - first_day).days
    chosen = [
        rng.choice(helper_offers[:12]) if rng.random() < 0.5 else helper_offers[number % len(helper_offers)]
        for number in range(count)
    ]
    starts = sorted(
        _at(first_day + dt.timedelta(days=rng.randint(0, days - 1)), rng.choice([9, 10, 13, 14]))
        for _ in chosen
    )
    context = _HistoryContext.build(residents)
    helped: set[int] = set()
    history = []
    for offer, start in zip(chosen, starts, strict=True):
        history.append(context.past(rng, offer, start, first_time=offer.person_id not in helped))
        helped.add(offer.person_id)
    _history_store(history, context)


@dataclass(frozen=True)
class _HistoryContext:
    councils: dict[int, Organisation]  # the 校区社協 of each school district
    staff: dict[int, User]
    coordinators: dict[int, User]
    neighbours: dict[int, list[User]]  # residents by school district
    residents: list[User]
    categories: dict[int, ActivityCategory]
    offer_categories: dict[int, list[int]]
    programme: Programme | None

    @classmethod
    def build(cls, residents: list[User]) -> "_HistoryContext":
        neighbours: dict[int, list[User]] = {}
        for person in residents:
            neighbours.setdefault(person.school_district_id or 0, []).append(person)
        offer_categories: dict[int, list[int]] = {}
        for offer_id, category_id in Offer.categories.through.objects.filter(
            activitycategory__code__in=NEED_TITLES
        ).values_list("offer_id", "activitycategory_id"):
            offer_categories.setdefault(offer_id, []).append(category_id)
        return cls(
            councils={
                o.area_id: o
                for o in Organisation.objects.filter(
                    is_demo=True, kind=Organisation.Kind.SCHOOL_DISTRICT_COUNCIL
                )
            },
            staff=organisation_staff(),
            coordinators=coordinators_by_district(),
            neighbours=neighbours,
            residents=residents,
            categories={c.pk: c for c in ActivityCategory.objects.filter(code__in=NEED_TITLES)},
            offer_categories=offer_categories,
            programme=Programme.objects.filter(name=MATCHING_PROGRAMME).first(),
        )

    def past(self, rng: random.Random, offer: Offer, start: dt.datetime, *, first_time: bool) -> _Past:
        district_id = offer.school_district_id or 0
        category = self.categories[rng.choice(self.offer_categories[offer.pk])]
        council = self.councils.get(district_id) if rng.random() < 0.4 else None
        neighbours = self.neighbours.get(district_id, []) + rng.sample(self.residents, 2)
        posted, proposed, confirmed, accepted = _steps(rng, start)
        need = Need(
            requester=self.staff[council.pk]
            if council
            else rng.choice([p for p in neighbours if p.pk != offer.person_id]),
            organisation=council,
            status=Need.Status.FILLED,
            title=f"{NEED_TITLES[category.code]}{DEMO_LABEL}",
            category=category,
            school_district_id=district_id,
            address=f"（デモ住所 {start:%y年%m月%d日%H時} 協力者{offer.pk}）",
            reach=offer.reach,
            valid_until=timezone.localtime(start).date(),
            note=DEMO_LABEL,
            created_at=posted,
            updated_at=accepted,
        )
        reasons = _reasons(start, first_time=first_time)
        match = Match(
            need=need,
            offer=offer,
            volunteer_id=offer.person_id,
            status=Match.Status.SCHEDULED,
            source=Match.Source.ENGINE,
            reasons=reasons,
            reason="・".join(reasons),
            proposed_at=proposed,
            decided_at=confirmed,
            accepted_at=accepted,
        )
        decided = MatchDecision.Action
        decisions = [
            MatchDecision(match=match, action=decided.PROPOSE, decided_at=proposed, reason=match.reason),
            MatchDecision(
                match=match,
                action=decided.CONFIRM,
                actor=self.coordinators[district_id],
                decided_at=confirmed,
            ),
            MatchDecision(match=match, action=decided.ACCEPT, actor_id=offer.person_id, decided_at=accepted),
        ]
        window = NeedWindow(need=need, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        return _Past(need=need, window=window, match=match, decisions=decisions)


def _steps(
    rng: random.Random, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime, dt.datetime, dt.datetime]:
    """When the need was posted, proposed (minutes later: the engine runs after the commit),
    confirmed by staff and accepted by the helper, all before the activity."""
    posted = start - dt.timedelta(days=rng.randint(3, 21), hours=rng.randint(0, 10))
    proposed = posted + dt.timedelta(minutes=rng.randint(2, 30))
    confirmed = proposed + (start - proposed) * rng.uniform(0.05, 0.4)
    accepted = confirmed + (start - confirmed) * rng.uniform(0.05, 0.3)
    return posted, proposed, confirmed, accepted


def _reasons(start: dt.datetime, *, first_time: bool) -> list[str]:
    """As the engine words them: same district, the free slot, and a first activity."""
    local = timezone.localtime(start)
    reasons = [DISTANCE[0], f"{WEEKDAYS[local.weekday()]}{PERIODS[0 if local.hour < 12 else 1]}が空いている"]
    return [*reasons, NEWCOMER] if first_time else reasons


def _history_store(history: list[_Past], context: "_HistoryContext") -> None:
    Need.objects.bulk_create([p.need for p in history], batch_size=1000)
    for past in history:
        past.window.need = past.match.need = past.need
    NeedWindow.objects.bulk_create([p.window for p in history], batch_size=1000)
    Match.objects.bulk_create([p.match for p in history], batch_size=1000)
    for past in history:
        for decision in past.decisions:
            decision.match = past.match
    MatchDecision.objects.bulk_create([d for p in history for d in p.decisions], batch_size=2000)
    activities = [_scheduled(past, context) for past in history]
    Activity.objects.bulk_create(activities, batch_size=1000)
    participations = [
        _helped(past, activity, context) for past, activity in zip(history, activities, strict=True)
    ]
    Participation.objects.bulk_create(participations, batch_size=2000)
    CheckIn.objects.bulk_create([c for p in participations for c in checkins_of(p)], batch_size=4000)


def _scheduled(past: _Past, context: "_HistoryContext") -> Activity:
    """The activity `match_schedule` makes of the need's window when the helper accepts."""
    need, window = past.need, past.window
    return Activity(
        kind=Activity.Kind.EVENT if need.organisation_id else Activity.Kind.ONE_OFF,
        title=need.title,
        category=need.category,
        organisation=need.organisation,
        programme=context.programme,
        school_district_id=need.school_district_id,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        capacity=need.headcount,
        source_key=f"need-window:{window.pk}",
        created_at=past.match.accepted_at or window.starts_at,
    )


def _helped(past: _Past, activity: Activity, context: "_HistoryContext") -> Participation:
    """The helper came; the organisation's staff, or for a resident's need the ward's
    coordinator, verified it."""
    organisation_id = past.need.organisation_id
    verifier = (
        context.staff[organisation_id]
        if organisation_id
        else context.coordinators[past.need.school_district_id]
    )
    registered = Participation(
        activity=activity,
        person_id=past.match.volunteer_id,
        registered_at=activity.created_at,
        source_key=f"match:{past.match.pk}",
    )
    return attended(
        registered,
        arrived=activity.starts_at - dt.timedelta(minutes=5),
        left=activity.ends_at,
        verifier=verifier,
    )
