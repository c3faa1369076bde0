"""The feed registry: the indicators domain apps can count by themselves.

Each domain app declares its feeds in `<app>/indicator_feeds.py` with `@indicator_feed`; the plan
registry finds those modules at start-up (`apps.PlanRegistryConfig.ready`) without importing any
domain app by name, so the arrows still point one way, and a system check (`checks.py`) refuses
to start when a feed names an indicator the plan does not have, or an indicator the plan says
the system counts has no feed. A feed is a function from a fiscal year to rows, one per area
(city-wide as area None, ward, daily-life area, school district) and, for some, one per part of
a breakdown (an age band, a programme). Rows come from SQL aggregates, never from looping over
records in Python: either one aggregate per area level (`counts_by_area`), or one aggregate by
school district that `roll_up` adds up the area tree, which is exact for anything additive
(counts of rows, sums, and people counted where they live, since each lives in one district).

Feeds of one app often read the same rows (every participation of the year); such a pass is
computed once per run through `shared` inside `shared_passes()`.
"""

import contextvars
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Count, F, QuerySet

from plan_registry.fiscal_year import FiscalYear
from plan_registry.models import Area

T = TypeVar("T")


@dataclass(frozen=True)
class FeedRow:
    area_id: int | None  # None: the whole city
    value: Decimal
    counted: int  # rows the aggregate saw (for provenance, and open data's suppression)
    breakdown: str = ""  # empty for the total; else a stable key such as "age:65-74"
    breakdown_label: str = ""


@dataclass(frozen=True)
class Feed:
    name: str  # stable, e.g. "events.training_participants"
    version: int  # bump when the definition changes, so provenance tells old values from new
    indicator_code: str
    description: str
    compute: Callable[[FiscalYear], list[FeedRow]]


_REGISTRY: dict[str, Feed] = {}
Compute = TypeVar("Compute", bound=Callable[[FiscalYear], list[FeedRow]])


def indicator_feed(indicator_code: str, *, version: int, description: str) -> Callable[[Compute], Compute]:
    """Declares the function below as the feed of one indicator, named `<app>.<function>` (the name
    provenance keeps, so renaming the function starts a new feed); bump `version` whenever what it
    counts changes. `checks.feeds_match_the_plan` holds the declarations against the plan."""

    def declare(compute: Compute) -> Compute:
        name = f"{compute.__module__.partition('.')[0]}.{compute.__name__}"
        register(Feed(name, version, indicator_code, description, compute))
        return compute

    return declare


def register(feed: Feed) -> Feed:
    """A second feed for the same indicator is a programming error."""
    clash = next(
        (f for f in _REGISTRY.values() if f.indicator_code == feed.indicator_code and f.name != feed.name),
        None,
    )
    if clash is not None:
        raise ValueError(f"{feed.name} and {clash.name} both feed {feed.indicator_code}")
    _REGISTRY[feed.name] = feed
    return feed


def registered() -> list[Feed]:
    return sorted(_REGISTRY.values(), key=lambda feed: feed.name)


def counts_by_area(
    rows: QuerySet[Any], district: str, measure: Any = None, counted: Any = None
) -> list[FeedRow]:
    """One aggregate query over `rows` grouped by the school district reached by the lookup
    `district` (e.g. "activity__school_district"), added up the area tree; `measure` defaults to
    counting rows; `counted` (what provenance and open data's suppression read) defaults to the
    rows too. The measure must add up across districts: a count of rows, a sum, or a count
    of distinct people grouped by where they live (each lives in one district).
    """
    measure = measure if measure is not None else Count("pk")
    counted = counted if counted is not None else Count("pk")
    grouped = rows.values(district=F(district)).annotate(value=measure, counted=counted).order_by()
    return rows_of(
        roll_up(DistrictCount(row["district"], Decimal(row["value"] or 0), row["counted"]) for row in grouped)
    )


@dataclass(frozen=True)
class DistrictCount:
    """One aggregate row by school district (None: people or places with no district on record,
    who count for the city only)."""

    district_id: int | None
    value: Decimal
    counted: int


def roll_up(rows: Iterable[DistrictCount]) -> dict[int | None, DistrictCount]:
    """Adds district aggregates up to their daily-life area, ward and the city (key None)."""
    chains = _area_chains()
    totals: dict[int | None, list[Any]] = {None: [Decimal(0), 0]}
    for row in rows:
        for key in chains.get(row.district_id, (None,)):
            total = totals.get(key)
            if total is None:
                total = totals[key] = [Decimal(0), 0]
            total[0] += row.value
            total[1] += row.counted
    return {key: DistrictCount(key, value, counted) for key, (value, counted) in totals.items()}


def breakdown_rows(parts: Iterable[tuple[str, str, DistrictCount]]) -> list[FeedRow]:
    """Rows for the parts of a breakdown (key, label, a district aggregate), for the city and
    each ward."""
    chains = _ward_chains()
    totals: dict[tuple[str, str, int | None], list[Any]] = {}
    for key, label, row in parts:
        for area in chains.get(row.district_id, (None,)):
            total = totals.get((key, label, area))
            if total is None:
                total = totals[key, label, area] = [Decimal(0), 0]
            total[0] += row.value
            total[1] += row.counted
    return [
        FeedRow(area, value, counted, key, label)
        for (key, label, area), (value, counted) in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][2] or 0)
        )
    ]


def medians_by_area(rows: Iterable[tuple[int | None, int, int]]) -> dict[int | None, tuple[Decimal, int]]:
    """Medians from a histogram by school district — (district, value, how many) — added up the
    area tree: for each area (the city as None), the median of its values (the mean of the two
    middle ones for an even count) and how many there were. A median does not add up, but a
    histogram does, so one grouped query serves every level."""
    chains = _area_chains()
    histograms: dict[int | None, dict[int, int]] = {}
    for district, value, count in rows:
        for area in chains.get(district, (None,)):
            histogram = histograms.setdefault(area, {})
            histogram[value] = histogram.get(value, 0) + count
    return {area: _median(histogram) for area, histogram in histograms.items()}


def _median(histogram: dict[int, int]) -> tuple[Decimal, int]:
    size = sum(histogram.values())
    wanted = {(size + 1) // 2, (size + 2) // 2}  # 1-based positions of the middle one or two
    middle: list[int] = []
    seen = 0
    for value in sorted(histogram):
        before, seen = seen, seen + histogram[value]
        middle.extend(value for position in wanted if before < position <= seen)
    return Decimal(sum(middle)) / len(middle), size


def rows_of(totals: dict[int | None, DistrictCount], breakdown: str = "", label: str = "") -> list[FeedRow]:
    return [FeedRow(key, total.value, total.counted, breakdown, label) for key, total in totals.items()]


def percentage(part: Decimal, whole: Decimal) -> Decimal:
    """Per cent to one decimal, rounded half up (四捨五入) as the plan prints its rates."""
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else Decimal(0)


def _area_chains() -> dict[int | None, tuple[int | None, ...]]:
    """Each area with the areas above it, up to the city (None)."""

    def chains() -> dict[int | None, tuple[int | None, ...]]:
        parents = dict(Area.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
        result: dict[int | None, tuple[int | None, ...]] = {}
        for area in parents:
            chain: list[int | None] = [None]
            at: int | None = area
            while at in parents:
                chain.append(at)
                at = parents[at]
            result[area] = tuple(chain)
        return result

    return shared(("plan_registry.area_chains",), chains)


def _ward_chains() -> dict[int | None, tuple[int | None, ...]]:
    """Each area with only the city and its ward."""

    def chains() -> dict[int | None, tuple[int | None, ...]]:
        wards = set(Area.objects.filter(kind=Area.Kind.WARD).values_list("pk", flat=True))
        return {area: (None, *(at for at in chain if at in wards)) for area, chain in _area_chains().items()}

    return shared(("plan_registry.ward_chains",), chains)


_PASSES: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("feed_passes", default=None)


@contextmanager
def shared_passes() -> Iterator[None]:
    """Within this block, `shared` computes each pass once; outside, every call computes afresh
    (so nothing read in one run is served stale to the next)."""
    token = _PASSES.set({})
    try:
        yield
    finally:
        _PASSES.reset(token)


def shared(key: Any, compute: Callable[[], T]) -> T:
    passes = _PASSES.get()
    if passes is None:
        return compute()
    if key not in passes:
        passes[key] = compute()
    return passes[key]
