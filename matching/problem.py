"""Builds the engine's Problem from the database: the only place that turns rows into engine
inputs. What a run may touch is decided here: confirmed and scheduled matches are fixed (they
use up headcount and make the volunteer busy); open proposals are movable only in a full run.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from events import selectors as event_selectors
from matching import slots
from matching.engine.types import NeedInput, OfferInput, Problem, Reach
from matching.models import Match, Need, Offer
from plan_registry.models import Area
from volunteer.ages import age_on
from volunteer.models import Qualification, Skill, User
from volunteer.selectors import people_who_may_be_matched

REACH = {
    "same_district": Reach.SAME_DISTRICT,
    "neighbours": Reach.NEIGHBOURS,
    "ward": Reach.WARD,
    "city": Reach.CITY,
}
FAIRNESS_DAYS = 90
FIXED = (Match.Status.CONFIRMED, Match.Status.SCHEDULED)


@dataclass(frozen=True)
class Scope:
    """Which posts a run looks at. Full runs re-optimise every open post."""

    need_ids: frozenset[int] | None = None  # None: every open need
    person_ids: frozenset[int] | None = None  # None: every person with an open offer
    movable_proposals: bool = False  # full runs may replace unconfirmed proposals


def problem_build(*, scope: Scope, now: dt.datetime | None = None) -> Problem:
    now = now or timezone.now()
    first_day = timezone.localdate(now)
    geography = _geography()
    needs = _needs(scope=scope, now=now, first_day=first_day, geography=geography)
    districts = _reachable_districts(needs, geography) if scope.need_ids is not None else None
    offers = _offers(scope=scope, now=now, first_day=first_day, geography=geography, districts=districts)
    return Problem(
        offers=tuple(offers),
        needs=tuple(needs),
        neighbours=geography.neighbours,
        first_weekday=first_day.weekday(),
        skill_names=tuple(Skill.objects.values_list("pk", "name")),
        excluded_pairs=_excluded_pairs(need_ids=[need.need_id for need in needs]),
    )


def _excluded_pairs(*, need_ids: list[int]) -> tuple[tuple[int, int], ...]:
    """Pairs staff rejected or the volunteer declined are never proposed again."""
    rows = Match.objects.filter(
        need_id__in=need_ids, status__in=(Match.Status.REJECTED, Match.Status.DECLINED)
    ).values_list("volunteer_id", "need_id")
    return tuple(sorted(set(rows)))


@dataclass(frozen=True)
class _Geography:
    ward_of: dict[int, int]
    neighbours: tuple[tuple[int, int], ...]


def _reachable_districts(needs: list[NeedInput], geography: _Geography) -> set[int] | None:
    """Districts a helper may come from for these needs (None: anywhere). A need-scoped run
    then reads only those offers, not every open offer in the city."""
    districts: set[int] = set()
    for need in needs:
        if need.reach == Reach.CITY:
            return None
        districts.add(need.school_district)
        if need.reach >= Reach.NEIGHBOURS:
            districts |= {b for a, b in geography.neighbours if a == need.school_district}
            districts |= {a for a, b in geography.neighbours if b == need.school_district}
        if need.reach >= Reach.WARD:
            districts |= {d for d, ward in geography.ward_of.items() if ward == need.ward}
    return districts


def _geography() -> _Geography:
    districts = Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).values_list("pk", "parent__parent_id")
    pairs = Area.neighbours.through.objects.values_list("from_area_id", "to_area_id")
    return _Geography(
        ward_of={pk: ward or 0 for pk, ward in districts},
        neighbours=tuple(sorted((a, b) for a, b in pairs if a < b)),
    )


def _needs(*, scope: Scope, now: dt.datetime, first_day: dt.date, geography: _Geography) -> list[NeedInput]:
    taken_statuses = list(Match.ACTIVE) if not scope.movable_proposals else list(FIXED)
    needs = Need.objects.filter(
        status=Need.Status.OPEN, valid_until__gte=first_day, requester__in=people_who_may_be_matched()
    ).annotate(taken=Count("matches", filter=Q(matches__status__in=taken_statuses)))
    if scope.need_ids is not None:
        needs = needs.filter(pk__in=scope.need_ids)
    result = []
    for need in needs.prefetch_related(
        "windows", "required_skills", "preferred_skills", "required_qualifications"
    ):
        windows = [(w.starts_at, w.ends_at) for w in need.windows.all()]
        mask = slots.slots_of_windows(windows=windows, first_day=first_day)
        open_places = need.headcount - need.taken
        # A need starting before now, or beyond the horizon, waits for a later run.
        if not mask or open_places < 1 or min(start for start, _ in windows) <= now:
            continue
        result.append(
            NeedInput(
                need_id=need.pk,
                school_district=need.school_district_id,
                ward=geography.ward_of.get(need.school_district_id, 0),
                category=need.category_id,
                slots=mask,
                headcount=open_places,
                reach=REACH[need.reach],
                requester_id=need.requester_id,
                required_skills=frozenset(s.pk for s in need.required_skills.all()),
                preferred_skills=frozenset(s.pk for s in need.preferred_skills.all()),
                required_qualifications=frozenset(q.pk for q in need.required_qualifications.all()),
                required_languages=frozenset(need.required_languages),
                min_age=need.min_age,
                max_age=need.max_age,
                urgency=need.urgency,
            )
        )
    return result


def _offers(
    *, scope: Scope, now: dt.datetime, first_day: dt.date, geography: _Geography, districts: set[int] | None
) -> list[OfferInput]:
    offers = Offer.objects.filter(
        status=Offer.Status.OPEN, valid_until__gte=first_day, person__in=people_who_may_be_matched()
    ).select_related("person")
    if districts is not None:
        offers = offers.filter(school_district_id__in=districts)
    if scope.person_ids is not None:
        offers = offers.filter(person_id__in=scope.person_ids)
    if not scope.movable_proposals:
        # A volunteer holds one open proposal at a time.
        offers = offers.exclude(person__matches__status=Match.Status.PROPOSED)
    offers_list = list(offers.prefetch_related("categories", "skills"))
    person_ids = sorted({offer.person_id for offer in offers_list})
    facts = _person_facts(person_ids=person_ids, now=now, first_day=first_day)
    future = slots.slots_from(moment=now, first_day=first_day)
    result = []
    for offer in offers_list:
        person = offer.person
        free = (
            (
                slots.weekly_slots(availability=offer.weekly_availability, first_day=first_day)
                | slots.dated_slots(dates=offer.specific_dates, first_day=first_day)
            )
            & future
            & ~facts.busy[person.pk]
        )
        capacity = offer.max_per_week - facts.this_week[person.pk]
        if offer.max_per_month is not None:
            capacity = min(capacity, offer.max_per_month - facts.this_month[person.pk])
        if not free or capacity < 1:
            continue
        result.append(
            OfferInput(
                offer_id=offer.pk,
                person_id=person.pk,
                school_district=offer.school_district_id,
                ward=geography.ward_of.get(offer.school_district_id, 0),
                reach=REACH[offer.reach],
                categories=frozenset(c.pk for c in offer.categories.all()),
                skills=frozenset(s.pk for s in offer.skills.all()),
                qualifications=facts.qualifications[person.pk],
                languages=frozenset(person.languages or ["ja"]),
                age=_age(person, first_day),
                slots=free,
                capacity=capacity,
                recent_load=facts.recent[person.pk],
                is_newcomer=facts.ever[person.pk] == 0,
            )
        )
    return result


@dataclass(frozen=True)
class _PersonFacts:
    busy: dict[int, int]
    this_week: dict[int, int]
    this_month: dict[int, int]
    recent: dict[int, int]
    ever: dict[int, int]
    qualifications: dict[int, frozenset[int]]


def _person_facts(*, person_ids: list[int], now: dt.datetime, first_day: dt.date) -> _PersonFacts:
    horizon_end = now + dt.timedelta(days=slots.HORIZON_DAYS)
    busy: dict[int, int] = defaultdict(int)
    for person_id, windows in event_selectors.registered_windows(
        person_ids=person_ids, start=now, end=horizon_end
    ).items():
        busy[person_id] |= slots.slots_of_windows(windows=_clip(windows, first_day), first_day=first_day) or 0
    fixed = Match.objects.filter(volunteer_id__in=person_ids, status__in=FIXED).prefetch_related(
        "need__windows"
    )
    for match in fixed:
        windows = [(w.starts_at, w.ends_at) for w in match.need.windows.all()]
        busy[match.volunteer_id] |= (
            slots.slots_of_windows(windows=_clip(windows, first_day), first_day=first_day) or 0
        )
    this_week = _commitments(person_ids, now, now + dt.timedelta(days=7))
    this_month = _commitments(person_ids, now, now + dt.timedelta(days=30))
    since = now - dt.timedelta(days=FAIRNESS_DAYS)
    recent = event_selectors.participation_counts(person_ids=person_ids, since=since)
    ever = event_selectors.participation_counts(person_ids=person_ids)
    qualifications: dict[int, set[int]] = defaultdict(set)
    # Valid today; a qualification lapsing before a later need's date is the coordinator's call.
    valid = Qualification.objects.filter(user_id__in=person_ids).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=first_day)
    )
    for user_id, type_id in valid.values_list("user_id", "qualification_type_id"):
        qualifications[user_id].add(type_id)
    return _PersonFacts(
        busy=busy,
        this_week=defaultdict(int, this_week),
        this_month=defaultdict(int, this_month),
        recent=defaultdict(int, recent),
        ever=defaultdict(int, ever),
        qualifications=defaultdict(frozenset, {k: frozenset(v) for k, v in qualifications.items()}),
    )


def _commitments(person_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """Confirmed or scheduled matches each person has starting in [start, end): their capacity used."""
    rows = (
        Match.objects.filter(
            volunteer_id__in=person_ids,
            status__in=FIXED,
            need__windows__starts_at__gte=start,
            need__windows__starts_at__lt=end,
        )
        .values_list("volunteer_id")
        .annotate(n=Count("need", distinct=True))
        .values_list("volunteer_id", "n")
    )
    return dict(rows)


def _clip(
    windows: list[tuple[dt.datetime, dt.datetime]], first_day: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Busy windows partly outside the horizon still block the part inside it."""
    horizon_start = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=slots.JAPAN)
    horizon_end = horizon_start + dt.timedelta(days=slots.HORIZON_DAYS)
    return [
        (max(start, horizon_start), min(end, horizon_end))
        for start, end in windows
        if start < horizon_end and end > horizon_start
    ]


def _age(person: User, on: dt.date) -> int | None:
    return None if person.birth_date is None else age_on(person.birth_date, on)
