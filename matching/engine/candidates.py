"""Candidate edges: every (offer, need) pair that passes the hard constraints, with its cost.

Needs are grouped by (school district, ward, category, reach). A group's offers are those holding
the category whose place is close enough both ways (the need accepts that distance and the
volunteer goes that far), gathered cell by cell from the category's offers; the remaining
constraints (slots, required attributes, age, requester) are checked for the whole group at once
as a needs × offers boolean matrix of bitmask tests. City-wide needs are grouped by category only:
their pool is every offer of it, with each need's own distance levels. A Python loop over pairs
would be 50–140× slower. Within a need, edges come in offer order, which later steps rely on for
tie-breaking.

Groups are independent, so a second core takes about half of them (see `parallel`); each group's
edges are computed by the same code on either core, and put together in group order.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt

from matching.engine.encoding import (
    Bits,
    CategoryMembers,
    Flags,
    Indices,
    Ints,
    NeedTable,
    OfferTable,
    table_for,
)
from matching.engine.parallel import split_map
from matching.engine.types import CostWeights, Problem, Reach

Levels = npt.NDArray[np.int8]

COST_BLOCK = 1 << 18  # edges costed at a time
# A second process takes groups only when they hold at least this many need × offer tests (about
# 50 ms of work; a fork costs about 20 ms).
PARALLEL_TESTS = 5_000_000


@dataclass(frozen=True, eq=False)
class Candidates:
    """Edges as parallel arrays; indices point into `offers.offers` and `needs.needs`.

    One edge per (person, need): of several offers of one person, the cheapest stays (ties by
    offer_id). `level` is the distance level (a `Reach` value), which the reasons show.
    """

    offers: OfferTable
    needs: NeedTable
    offer: Indices
    need: Indices
    person: Indices
    cost: Ints
    level: Levels

    def __len__(self) -> int:
        return len(self.offer)


def build_candidates(problem: Problem) -> Candidates:
    offers, needs = table_for(problem)
    return candidates_for(offers, needs, problem.neighbours, problem.weights, problem.excluded_pairs)


def candidates_for(
    offers: OfferTable,
    needs: NeedTable,
    neighbours: tuple[tuple[int, int], ...],
    weights: CostWeights,
    excluded_pairs: tuple[tuple[int, int], ...] = (),
) -> Candidates:
    geography = _Geography(offers, neighbours)
    groups = list(_groups(offers, needs))
    parts = split_map(
        partial(_group_edges, offers, needs, geography),
        groups,
        [_tests(offers, needs, rows) for rows in groups],
        PARALLEL_TESTS,
    )
    need = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
    offer = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    level = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int8)
    allowed = _not_excluded(offers, needs, offer, need, excluded_pairs)
    if allowed is not None:
        offer, need, level = offer[allowed], need[allowed], level[allowed]
    cost = edge_costs(offers, needs, weights, offer, need, level)
    keep = _cheapest_offer_per_person(offers, offer, need, cost)
    if keep is not None:
        offer, need, level, cost = offer[keep], need[keep], level[keep], cost[keep]
    return Candidates(offers, needs, offer, need, offers.person[offer], cost, level)


def _not_excluded(
    offers: OfferTable, needs: NeedTable, offer: Indices, need: Indices, excluded: tuple[tuple[int, int], ...]
) -> Flags | None:
    """Edges whose (person, need) staff rejected or the volunteer declined: never proposed again."""
    if not excluded or offer.size == 0:
        return None
    person_ids = np.fromiter((o.person_id for o in offers.offers), dtype=np.int64, count=len(offers.offers))
    need_ids = np.fromiter((n.need_id for n in needs.needs), dtype=np.int64, count=len(needs.needs))
    # One int64 key per pair: person ids and need ids are database ids, far below 2**31.
    keys = person_ids[offer] * (1 << 31) + need_ids[need]
    banned = np.array([person * (1 << 31) + need_id for person, need_id in excluded], dtype=np.int64)
    return ~np.isin(keys, banned)


class _Geography:
    """Distance levels from one need's place to every (district, ward) cell that offers sit in."""

    def __init__(self, offers: OfferTable, neighbours: tuple[tuple[int, int], ...]) -> None:
        self._offers = offers
        self._near: dict[int, list[int]] = {}
        for a, b in neighbours:
            self._near.setdefault(a, []).append(b)
            self._near.setdefault(b, []).append(a)
        self._levels: dict[tuple[int, int], Levels] = {}

    def cell_levels(self, district: int, ward: int) -> Levels:
        key = (district, ward)
        if key not in self._levels:
            cells_district, cells_ward = self._offers.cell_district, self._offers.cell_ward
            near = np.isin(cells_district, self._near.get(district, []))
            level = np.where(near, 1, np.where(cells_ward == ward, 2, 3))
            self._levels[key] = np.where(cells_district == district, 0, level).astype(np.int8)
        return self._levels[key]


def _groups(offers: OfferTable, needs: NeedTable) -> Iterator[Indices]:
    usable = needs.possible & np.isin(needs.category, list(offers.by_category))
    rows = np.flatnonzero(usable).astype(np.int32)
    if rows.size == 0:
        return
    # City-wide needs of one category share one group: their pool is every offer of it.
    city = needs.reach[rows] == Reach.CITY
    keys = (
        needs.reach[rows],
        needs.category[rows],
        np.where(city, -1, needs.ward[rows]),
        np.where(city, -1, needs.district[rows]),
    )
    order = np.lexsort(keys)
    rows = rows[order]
    changed = np.zeros(rows.size, dtype=np.bool_)
    for key in keys:
        ordered = key[order]
        changed[1:] |= ordered[1:] != ordered[:-1]
    yield from np.split(rows, np.flatnonzero(changed))


def _tests(offers: OfferTable, needs: NeedTable, rows: Indices) -> int:
    """An estimate of a group's work: its needs times the offers of their category."""
    return int(rows.size) * int(offers.by_category[int(needs.category[rows[0]])].ascending.size)


def _group_edges(
    offers: OfferTable, needs: NeedTable, geography: _Geography, rows: Indices
) -> tuple[Indices, Indices, Levels]:
    first = rows[0]
    members = offers.by_category[int(needs.category[first])]
    if needs.reach[first] == Reach.CITY:
        return _city_edges(offers, needs, geography, rows, members)
    pool, pool_level = _pool(
        members,
        geography.cell_levels(int(needs.district[first]), int(needs.ward[first])),
        int(needs.reach[first]),
        offers.reach,
    )
    row, column = np.nonzero(fitting(offers, needs, rows, pool))
    return rows[row], pool[column], pool_level[column]


def _city_edges(
    offers: OfferTable, needs: NeedTable, geography: _Geography, rows: Indices, members: CategoryMembers
) -> tuple[Indices, Indices, Levels]:
    """City-wide needs: every offer of the category, each need with its own distance levels."""
    pool = members.ascending
    cell_levels = np.stack([geography.cell_levels(int(needs.district[r]), int(needs.ward[r])) for r in rows])
    level = cell_levels[:, offers.cell[pool]]
    fits = fitting(offers, needs, rows, pool) & (offers.reach[pool][None, :] >= level)
    row, column = np.nonzero(fits)
    return rows[row], pool[column], level[row, column]


def _pool(
    members: CategoryMembers, cell_level: Levels, reach: int, offer_reach: Levels
) -> tuple[Indices, Levels]:
    """Offers of the category close enough both ways, in offer order, with their distance level."""
    cells = np.flatnonzero(cell_level <= reach)
    starts = members.cell_start[cells]
    lengths = members.cell_start[cells + 1] - starts
    skip = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    pool = members.by_cell[skip + np.arange(int(lengths.sum()))].astype(np.int64)
    level = np.repeat(cell_level[cells], lengths)
    willing = offer_reach[pool] >= level
    # One sort of offer * 4 + level puts the pool in offer order and carries the level along.
    packed = np.sort(pool[willing] * 4 + level[willing])
    return (packed >> 2).astype(np.int32), (packed & 3).astype(np.int8)


def fitting(offers: OfferTable, needs: NeedTable, rows: Indices, pool: Indices) -> Flags:
    """needs × offers: slots, required attributes, age and requester (reach is the caller's)."""
    fits = np.ones((rows.size, pool.size), dtype=np.bool_)
    _require_bits(fits, needs.slots[:, rows], offers.slots_missing[:, pool])
    _require_bits(fits, needs.required[:, rows], ~offers.attributes[:, pool])
    min_age, max_age = needs.min_age[rows], needs.max_age[rows]
    if (min_age >= 0).any():
        age = offers.age[pool][None, :]
        fits &= (age >= min_age[:, None]) & (age <= max_age[:, None])
    requester = needs.requester[rows]
    if (requester >= 0).any():
        fits &= offers.person[pool][None, :] != requester[:, None]
    return fits


def _require_bits(fits: Flags, wanted: Bits, missing: Bits) -> None:
    for word in range(wanted.shape[0]):
        if wanted[word].any():
            fits &= (wanted[word][:, None] & missing[word][None, :]) == 0


def edge_costs(
    offers: OfferTable, needs: NeedTable, weights: CostWeights, offer: Indices, need: Indices, level: Levels
) -> Ints:
    per_offer = weights.fairness * offers.load - weights.newcomer * offers.newcomer.astype(np.int64)
    per_need = -weights.urgency * needs.urgency
    travel = np.array(weights.travel, dtype=np.int64)
    words = [word for word in range(needs.preferred.shape[0]) if needs.preferred[word].any()]
    cost = np.empty(offer.size, dtype=np.int64)
    # Block by block: a fresh int64 temporary for millions of edges costs more in page faults than
    # the arithmetic does.
    for first in range(0, offer.size, COST_BLOCK):
        block = slice(first, first + COST_BLOCK)
        here, at, to = cost[block], offer[block], need[block]
        np.take(travel, level[block], out=here)
        here += per_offer[at]
        here += per_need[to]
        for word in words:
            shared = offers.attributes[word][at] & needs.preferred[word][to]
            here -= weights.skill_fit * np.bitwise_count(shared).astype(np.int64)
    return cost


def _cheapest_offer_per_person(offers: OfferTable, offer: Indices, need: Indices, cost: Ints) -> Flags | None:
    """Which edges to keep so that a person has one edge per need; None when all stay."""
    shared = np.flatnonzero(offers.overlapping[offer])
    if shared.size == 0:
        return None
    person = offers.person[offer[shared]]
    shared = shared[np.lexsort((offer[shared], cost[shared], person, need[shared]))]
    person = offers.person[offer[shared]]
    repeat = (need[shared][1:] == need[shared][:-1]) & (person[1:] == person[:-1])
    keep = np.ones(offer.size, dtype=np.bool_)
    keep[shared[1:][repeat]] = False
    return keep
