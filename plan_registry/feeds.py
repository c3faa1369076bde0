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

Each row also says how many people (or organisations) it rests on, `counted`, which open data's
suppression reads (`open_data.py`): never ledger rows or visits, but the distinct people behind the
cell. People counted where they live add up the tree like any count; people counted where they
take part do not (one person active in two districts is one person in their ward), so those are
counted level by level (`counted_by_area`). A feed also tells open data how its cells add up:
whether its values add up the area tree at all (`adds_up`), which of its cells are sums of other
cells (`sums`: a total and the parts of a breakdown, or another indicator's parts), whose
suppression it must copy (`suppressed_with`: a share of another indicator's published count), and
whether the city also holds people with no district on record (`unplaced`).

Feeds of one app often read the same rows (every participation of the year); such a pass is
computed once per run through `shared` inside `shared_passes()`.
"""

import contextvars
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    counted: int  # distinct people (or organisations) behind the value: open data's suppression reads it
    breakdown: str = ""  # empty for the total; else a stable key such as "age:65-74"
    breakdown_label: str = ""


@dataclass(frozen=True)
class SumOfParts:
    """Wherever the parts are counted (the city and the wards, for breakdowns), the cell `whole` of
    a feed is the sum of the cells `parts`: breakdown keys of the same indicator or, when
    `indicator` names another, of that one's (the same participations counted in two
    indicators). Open data must know every such sum, or a hidden cell could be worked out from
    published ones; a sum that does not hold exactly must not be declared."""

    whole: str
    parts: tuple[str, ...]
    indicator: str = ""


Sums = Callable[[Collection[str]], Iterable[SumOfParts]]  # from the breakdown keys a year's values have


def no_sums(keys: Collection[str]) -> Iterable[SumOfParts]:
    return ()


def partition(prefix: str) -> Sums:
    """The parts whose keys start with `prefix` (e.g. "age:") add up to the total: each person is
    in exactly one of them."""

    def sums(keys: Collection[str]) -> Iterable[SumOfParts]:
        return (SumOfParts("", tuple(sorted(key for key in keys if key.startswith(prefix)))),)

    return sums


@dataclass(frozen=True)
class Feed:
    name: str  # stable, e.g. "events.training_participants"
    version: int  # bump when the definition changes, so provenance tells old values from new
    indicator_code: str
    description: str
    compute: Callable[[FiscalYear], list[FeedRow]]
    # Counts and sums add up the area tree; a median does not. A rate declares it too when the
    # count it is a share of is published (SYS-07 × SYS-02 gives the repeaters back, which add up).
    adds_up: bool = True
    sums: Sums = no_sums
    suppressed_with: str = ""  # an indicator whose cell hidden in open data hides this one's too
    # Counted where people live: the city's value also holds people with no district on record,
    # whom no ward holds (an unpublished remainder); `counted` must then add up the tree.
    unplaced: bool = False


_REGISTRY: dict[str, Feed] = {}
Compute = TypeVar("Compute", bound=Callable[[FiscalYear], list[FeedRow]])


def indicator_feed(
    indicator_code: str,
    *,
    version: int,
    description: str,
    adds_up: bool = True,
    sums: Sums = no_sums,
    suppressed_with: str = "",
    unplaced: bool = False,
) -> Callable[[Compute], Compute]:
    """Declares the function below as the feed of one indicator, named `<app>.<function>` (the name
    provenance keeps, so renaming the function starts a new feed); bump `version` whenever what it
    counts changes, `counted` included. `checks.feeds_match_the_plan` holds the declarations
    against the plan; `adds_up`, `sums`, `suppressed_with` and `unplaced` tell open data how the
    cells hang together (see `Feed`)."""

    def declare(compute: Compute) -> Compute:
        name = f"{compute.__module__.partition('.')[0]}.{compute.__name__}"
        declared = Feed(name, version, indicator_code, description, compute)
        register(
            replace(declared, adds_up=adds_up, sums=sums, suppressed_with=suppressed_with, unplaced=unplaced)
        )
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
    rows too. Both must add up across districts: a count of rows, a sum, or a count of distinct
    people grouped by where they live (each lives in one district). People grouped where they
    take part are counted with `counted_by_area` instead, and put in with `recounted`.
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


# A school district sits three levels below the city (Area.PARENT_KIND): these suffixes of a
# district lookup reach its ward, its daily-life area and the district itself.
_WARD, _DAILY_LIFE_AREA, _DISTRICT = "__parent__parent", "__parent", ""


def counted_by_area(rows: QuerySet[Any], district: str, counted: Any) -> dict[int | None, int]:
    """The aggregate `counted` (e.g. `Count("person", distinct=True)`) over `rows` for the city (key
    None) and each ward, daily-life area and school district reached by the lookup `district`:
    one query per level, since distinct people counted where they take part do not add up (one
    person active in two districts is one person in their ward)."""
    result: dict[int | None, int] = {None: rows.aggregate(counted=counted)["counted"] or 0}
    for level in (_WARD, _DAILY_LIFE_AREA, _DISTRICT):
        for key, count in _grouped(rows, counted, area=f"{district}{level}").items():
            # min: an area met at two levels (a tree less deep than the plan's) is never over-counted
            result[key[0]] = min(count, result.get(key[0], count))
    return result


def counted_by_ward_and_part(
    rows: QuerySet[Any], district: str, counted: Any, part: str
) -> dict[tuple[Any, int | None], int]:
    """The same for the parts of a breakdown, grouped by the lookup `part` (e.g. the programme), in
    the city (None) and each ward, as `breakdown_rows` gives them: keyed (part, area)."""
    result: dict[tuple[Any, int | None], int] = {
        (key[1], None): count for key, count in _grouped(rows, counted, part=part).items()
    }
    for (area, value), count in _grouped(rows, counted, area=f"{district}{_WARD}", part=part).items():
        result[value, area] = count
    return result


def _grouped(rows: QuerySet[Any], counted: Any, **lookups: str) -> dict[tuple[Any, Any], int]:
    fields = {name: F(lookup) for name, lookup in lookups.items()}
    grouped = rows.values(**fields).annotate(counted=counted).order_by()
    return {
        (row.get("area"), row.get("part")): row["counted"]
        for row in grouped
        if "area" not in lookups or row["area"] is not None
    }


def recounted(rows: Iterable[FeedRow], counted: Mapping[tuple[int | None, str], int]) -> list[FeedRow]:
    """The rows with `counted` from a count by (area, breakdown key); none found counts 0 (so the
    value is suppressed rather than published on a guess)."""
    return [replace(row, counted=counted.get((row.area_id, row.breakdown), 0)) for row in rows]


def by_total(counted: Mapping[int | None, int]) -> dict[tuple[int | None, str], int]:
    """A count by area (`counted_by_area`) as the counts of the areas' totals, for `recounted`."""
    return {(area, ""): count for area, count in counted.items()}


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


def feed_title(name: str, indicator_code: str = "") -> str:
    """A feed as people read it (職員が確定したマッチングの件数…, its description), never its internal
    name: found by that name or, for a name that provenance kept from before a rename, by the
    indicator it feeds; a name of neither is said to be the system's count and nothing more."""
    feed = _REGISTRY.get(name) or next(
        (f for f in _REGISTRY.values() if indicator_code and f.indicator_code == indicator_code), None
    )
    return feed.description if feed is not None else "システムによる集計"
