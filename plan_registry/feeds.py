"""The feed registry: the indicators domain apps can count by themselves.

Each domain app declares its feeds in `<app>/indicator_feeds.py`; the plan registry finds those
modules at start-up (`apps.PlanRegistryConfig.ready`) without importing any domain app by name,
so the arrows still point one way. A feed is a function from a fiscal year to rows, one per area
level (city-wide as area None, ward, daily-life area, school district), computed with SQL
aggregates (`counts_by_area`), never by looping over rows in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from plan_registry.fiscal_year import FiscalYear


@dataclass(frozen=True)
class FeedRow:
    area_id: int | None  # None: the whole city
    value: Decimal
    counted: int  # rows the aggregate saw (for provenance)


@dataclass(frozen=True)
class Feed:
    name: str  # stable, e.g. "events.training_participants"
    version: int  # bump when the definition changes, so provenance tells old values from new
    indicator_code: str
    description: str
    compute: Callable[[FiscalYear], list[FeedRow]]


_REGISTRY: dict[str, Feed] = {}


def register(feed: Feed) -> Feed:
    """Declares a feed; a second feed for the same indicator is a programming error."""
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


def counts_by_area(rows: QuerySet[Any], district: str, measure: Any = None) -> list[FeedRow]:
    """One aggregate query per area level over `rows`, whose school district is reached by the
    lookup `district` (e.g. "activity__school_district"); `measure` defaults to counting rows.

    Distinct counts (people) do not add up from districts to wards, so each level is grouped by
    its own area in the database rather than summed here.
    """
    measure = measure if measure is not None else Count("pk")
    result = []
    total = rows.aggregate(value=measure, counted=Count("pk"))
    result.append(FeedRow(None, Decimal(total["value"] or 0), int(total["counted"] or 0)))
    for level in (f"{district}__parent__parent", f"{district}__parent", district):
        grouped = rows.values(level).annotate(value=measure, counted=Count("pk")).order_by(level)
        result.extend(
            FeedRow(int(row[level]), Decimal(row["value"] or 0), int(row["counted"]))
            for row in grouped
            if row[level] is not None
        )
    return result
