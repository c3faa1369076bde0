"""Indicator values as open data: aggregates only, with stable column names, and statistical
disclosure control so that no person can be singled out.

Primary suppression: a value resting on fewer than OPEN_DATA_MIN_COUNT people (or organisations:
what its feed counted, `FeedRow.counted`, kept in the provenance) shows no value, the city's and
the parts of a breakdown included. Complementary suppression: a year's published values hang
together — each area is the sum of the areas inside it, a total the sum of its breakdown's parts
where those partition it, and some cells of one indicator the sums of another's — so more values
are hidden until none of the small ones can be worked out exactly from the published ones
(`disclosure.protect`). People with no district on record count for the city only: the city is
then the sum of its wards and of an unpublished remainder, itself protected when small. Which
values add up, and how, each feed declares (`feeds.Feed`); a rate over another indicator's
published count is hidden wherever that count is. Values entered by hand (surveys, the
population) count nobody and are shown as entered.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F

from plan_registry.disclosure import Cell, Equation, protect
from plan_registry.feeds import Feed, registered
from plan_registry.models import Area, IndicatorValue

COLUMNS = (
    "indicator_code",
    "indicator_name",
    "unit",
    "fiscal_year",
    "area_code",
    "area_kind",
    "area_name",
    "value",
    "suppressed",
    "source",
    "breakdown",
    "breakdown_label",
)


@dataclass(frozen=True)
class OpenValue:
    indicator_code: str
    indicator_name: str
    unit: str
    fiscal_year: int
    area_code: str | None
    area_kind: str
    area_name: str
    value: Decimal | None
    suppressed: bool
    source: str
    breakdown: str
    breakdown_label: str


def open_values(*, fiscal_year: int | None = None) -> list[OpenValue]:
    rows = IndicatorValue.objects.select_related("indicator", "area").order_by(
        "indicator__plan__code",
        "indicator__position",
        "fiscal_year",
        F("area__code").asc(nulls_first=True),  # the city first on every database
        "breakdown",
    )
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    values = list(rows)
    hidden = suppressed(values)
    return [_open(row, row.pk in hidden) for row in values]


def suppressed_in_years(fiscal_years: Iterable[int]) -> set[int]:
    """The ids of the values open data hides in these fiscal years."""
    return suppressed(
        list(IndicatorValue.objects.select_related("indicator").filter(fiscal_year__in=fiscal_years))
    )


def suppressed(values: list[IndicatorValue]) -> set[int]:
    """The ids of the values to hide, among every value of their fiscal years (a year's table hangs
    together; the years do not add up to anything)."""
    feeds = {feed.indicator_code: feed for feed in registered()}
    tree = _AreaTree.load()
    years: dict[int, list[IndicatorValue]] = {}
    for value in values:
        years.setdefault(value.fiscal_year, []).append(value)
    return {pk for year in years.values() for pk in _suppressed_in_year(year, tree, feeds)}


CellKey = tuple[str, int | None, str]  # indicator code, area (None: the city), breakdown key


@dataclass(frozen=True)
class Unplaced:
    """What an area's value holds beyond the areas inside it: the people with no district on
    record, counted for the city only. Never published, and known to nobody when there are such
    people; a cell of the table all the same (hidden from the start, and small or not by its own
    count). Where there are none, the remainder is zero, which anyone may guess: it hides nothing."""

    indicator: str
    area: int | None
    breakdown: str


Key = CellKey | Unplaced


def _suppressed_in_year(
    values: list[IndicatorValue], tree: "_AreaTree", feeds: Mapping[str, Feed]
) -> set[int]:
    rows = {(value.indicator.code, value.area_id, value.breakdown): value for value in values}
    cells: dict[Key, Cell] = {
        key: Cell(_counted(value, feeds.get(key[0])), value.value) for key, value in rows.items()
    }
    equations, unplaced = _equations(cells, tree, feeds)
    cells |= unplaced
    hidden = protect(cells, equations, min_count=settings.OPEN_DATA_MIN_COUNT, unpublished=unplaced.keys())
    for code, area, breakdown in rows:
        feed = feeds.get(code)
        if feed is not None and feed.suppressed_with and (feed.suppressed_with, area, breakdown) in hidden:
            hidden.add((code, area, breakdown))
    return {rows[key].pk for key in hidden if isinstance(key, tuple)}


def _counted(value: IndicatorValue, feed: Feed | None) -> int | None:
    """How many people the value rests on. A value an earlier version of its feed stored counted
    by that version's rule (rows, not people, before disclosure control): it counts as nobody, so
    it stays hidden until the feeds run again for its year."""
    provenance = value.provenance if isinstance(value.provenance, dict) else {}
    counted = provenance.get("rows_counted")
    stored_by = provenance.get("feed"), provenance.get("version")
    if (
        feed is not None
        and stored_by[0] == feed.name
        and isinstance(stored_by[1], int)
        and stored_by[1] < feed.version
    ):
        return 0
    return int(counted) if counted is not None else None


def _equations(
    cells: Mapping[Key, Cell], tree: "_AreaTree", feeds: Mapping[str, Feed]
) -> tuple[list[Equation[Key]], dict[Key, Cell]]:
    """Every sum the year's table holds, and the remainders of people with no district on record
    they take in: each area the sum of the areas inside it, for every indicator and breakdown key
    at the levels it is counted at; and the sums each feed declares, in every area where both
    sides are counted. An indicator no feed declares (any more) is taken to add up, which can
    only hide more."""
    kinds: dict[tuple[str, str], set[str]] = {}  # the area kinds each (indicator, key) has cells at
    for code, area, breakdown in (key for key in cells if isinstance(key, tuple)):
        kinds.setdefault((code, breakdown), set()).add(tree.kinds[area])
    adding = {code for code, _key in kinds if feeds.get(code) is None or feeds[code].adds_up}
    equations: list[Equation[Key]] = []
    unplaced: dict[Key, Cell] = {}
    for (code, breakdown), at in kinds.items():
        for parent, children in tree.children.items() if code in adding else ():
            if tree.kinds[parent] in at and all(tree.kinds[child] in at for child in children):
                parts: tuple[Key, ...] = tuple((code, child, breakdown) for child in children)
                remainder = _remainder(cells, (code, parent, breakdown), parts, feeds.get(code))
                if remainder is not None:
                    unplaced[Unplaced(code, parent, breakdown)] = remainder
                    parts += (Unplaced(code, parent, breakdown),)
                equations.append(Equation((code, parent, breakdown), parts))
    for code in sorted(adding & feeds.keys()):
        for total in feeds[code].sums({key for of, key in kinds if of == code}):
            of = total.indicator or code
            part_kinds = {kind for part in total.parts for kind in kinds.get((of, part), ())}
            at = kinds.get((code, total.whole), set()) & part_kinds
            equations += [
                Equation((code, area, total.whole), tuple((of, area, part) for part in total.parts))
                for area, kind in tree.kinds.items()
                if kind in at
            ]
    return equations, unplaced


def _remainder(cells: Mapping[Key, Cell], whole: Key, parts: Iterable[Key], feed: Feed | None) -> Cell | None:
    """The people behind `whole` that none of `parts` holds, when the feed counts people where
    they live (so its counts add up, and people with no district count for the city only)."""
    if feed is None or not feed.unplaced or whole not in cells:
        return None
    present = [cells[part] for part in parts if part in cells]
    counted, counted_in_parts = cells[whole].counted, [cell.counted for cell in present]
    if counted is None or None in counted_in_parts:
        return None  # a value entered by hand: nothing to tell, so assume the remainder is known
    people = counted - sum(count for count in counted_in_parts if count is not None)
    value = cells[whole].value - sum((cell.value for cell in present), Decimal(0))
    return Cell(people, value) if people > 0 else None


@dataclass(frozen=True)
class _AreaTree:
    kinds: dict[int | None, str]  # None: the city, as values name it
    children: dict[int | None, list[int]]

    @classmethod
    def load(cls) -> "_AreaTree":
        kinds: dict[int | None, str] = {None: Area.Kind.CITY}
        children: dict[int | None, list[int]] = {}
        for pk, kind, parent, parent_kind in Area.objects.values_list("pk", "kind", "parent", "parent__kind"):
            if kind != Area.Kind.CITY:
                kinds[pk] = kind
                children.setdefault(None if parent_kind == Area.Kind.CITY else parent, []).append(pk)
        return cls(kinds, children)


def _open(row: IndicatorValue, hidden: bool) -> OpenValue:
    return OpenValue(
        indicator_code=row.indicator.code,
        indicator_name=row.indicator.name,
        unit=row.indicator.unit,
        fiscal_year=row.fiscal_year,
        area_code=row.area.code if row.area else None,
        area_kind=row.area.kind if row.area else "city",
        area_name=row.area.name if row.area else "熊本市",
        value=None if hidden else row.value,
        suppressed=hidden,
        source=row.source,
        breakdown=row.breakdown,
        breakdown_label=row.breakdown_label,
    )


def open_values_csv(values: list[OpenValue]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for value in values:
        writer.writerow([_cell(getattr(value, column)) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12.500 → 12.5, 40.000 → 40
    return str(value)
