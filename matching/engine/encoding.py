"""The frozen inputs as numpy columns, so the candidate search compares thousands of pairs at once.

Sets become bitmasks of uint64 words: slots take two words (126 bits), and every skill,
qualification and language that some offer has gets one bit of the attribute words. A need that
requires an attribute no offer has can match nobody and is marked impossible instead of getting a
bit. Offers are sorted by offer_id and needs by need_id, so an index is also the rank the
tie-break uses.
"""

import itertools
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.engine.types import NeedInput, OfferInput, Problem

Bits = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Indices = npt.NDArray[np.int32]
Positions = npt.NDArray[np.intp]  # positions in an edge array (as np.flatnonzero returns)
Flags = npt.NDArray[np.bool_]

WORD = (1 << 64) - 1
SLOT_WORDS = 2
UNKNOWN_AGE = -1
NO_MAX_AGE = 1 << 30


@dataclass(frozen=True, eq=False)
class CategoryMembers:
    """Offers with capacity >= 1 holding one category, sorted by cell and then offer."""

    by_cell: Indices
    cell_start: Ints  # offers of cell k are by_cell[cell_start[k] : cell_start[k + 1]]
    ascending: Indices  # the same offers in offer order


@dataclass(frozen=True, eq=False)
class OfferTable:
    offers: tuple[OfferInput, ...]  # sorted by offer_id
    person: Indices  # dense person index, 0..persons-1
    persons: int
    person_index: dict[int, int]  # person_id -> dense index
    cell: Indices  # index into cell_district / cell_ward: the offer's (district, ward)
    cell_district: Ints
    cell_ward: Ints
    reach: npt.NDArray[np.int8]
    age: Ints
    slots_missing: Bits  # (2, offers): the slots the person is *not* free
    attributes: Bits  # (words, offers)
    attribute_bit: dict[Hashable, int]
    load: Ints
    newcomer: Flags
    by_category: dict[int, CategoryMembers]
    overlapping: Flags  # the person has another offer sharing a category (could fit the same need)


@dataclass(frozen=True, eq=False)
class NeedTable:
    needs: tuple[NeedInput, ...]  # sorted by need_id
    district: Ints
    ward: Ints
    category: Ints
    reach: npt.NDArray[np.int8]
    headcount: Ints
    slots: Bits  # (2, needs)
    required: Bits  # (words, needs), in the offers' attribute bits
    preferred: Bits  # (words, needs)
    min_age: Ints
    max_age: Ints
    requester: Indices  # dense person index of the requester, -1 when not an offerer
    urgency: Ints
    possible: Flags  # False when a requirement is something no offer has


def sorted_offers(offers: Iterable[OfferInput]) -> tuple[OfferInput, ...]:
    result = tuple(sorted(offers, key=lambda offer: offer.offer_id))
    _check_unique([offer.offer_id for offer in result], "offer_id")
    return result


def sorted_needs(needs: Iterable[NeedInput]) -> tuple[NeedInput, ...]:
    result = tuple(sorted(needs, key=lambda need: need.need_id))
    _check_unique([need.need_id for need in result], "need_id")
    for need in result:
        if need.slots <= 0 or need.slots >> (64 * SLOT_WORDS):
            raise ValueError(f"need {need.need_id}: slots must be a non-zero mask of at most 126 bits")
        if need.headcount < 1:
            raise ValueError(f"need {need.need_id}: headcount must be at least 1")
    return result


def _check_unique(ids: list[int], name: str) -> None:
    if any(a == b for a, b in itertools.pairwise(ids)):
        raise ValueError(f"duplicate {name} in the problem")


# Identity cache: a caller that keeps its tuple of open offers (the incremental path, one new
# need at a time) pays for encoding 100k offers once. The tuple is held, so its id stays unique.
_OFFER_CACHE: list[tuple[tuple[OfferInput, ...], OfferTable]] = []
_OFFER_CACHE_SIZE = 1


def forget_offer_tables() -> None:
    """Empty the cache, so that the next call encodes its offers again (the benchmark's runs)."""
    _OFFER_CACHE.clear()


def offer_table(offers: tuple[OfferInput, ...]) -> OfferTable:
    for cached_offers, table in _OFFER_CACHE:
        if cached_offers is offers:
            return table
    table = encode_offers(offers)
    _OFFER_CACHE.insert(0, (offers, table))
    del _OFFER_CACHE[_OFFER_CACHE_SIZE:]
    return table


def encode_offers(offers: tuple[OfferInput, ...]) -> OfferTable:
    ordered = sorted_offers(offers)
    person_ids, person = np.unique(
        np.array([o.person_id for o in ordered], dtype=np.int64), return_inverse=True
    )
    cells = [(o.school_district, o.ward) for o in ordered]
    cell_keys, cell_of = np.unique(
        np.array(cells, dtype=np.int64).reshape(-1, 2), axis=0, return_inverse=True
    )
    cell: Indices = cell_of.reshape(-1).astype(np.int32)
    attribute_bit = _attribute_bits(ordered)
    return OfferTable(
        offers=ordered,
        person=person.astype(np.int32),
        persons=len(person_ids),
        person_index={int(pid): i for i, pid in enumerate(person_ids)},
        cell=cell,
        cell_district=cell_keys[:, 0],
        cell_ward=cell_keys[:, 1],
        reach=np.array([int(o.reach) for o in ordered], dtype=np.int8),
        age=np.array([UNKNOWN_AGE if o.age is None else o.age for o in ordered], dtype=np.int64),
        slots_missing=~words([o.slots for o in ordered], SLOT_WORDS),
        attributes=words(_offer_attribute_masks(ordered, attribute_bit), _word_count(attribute_bit)),
        attribute_bit=attribute_bit,
        load=np.array([o.recent_load for o in ordered], dtype=np.int64),
        newcomer=np.array([o.is_newcomer for o in ordered], dtype=np.bool_),
        by_category=_by_category(ordered, cell, len(cell_keys)),
        overlapping=_overlapping(ordered, person),
    )


def words(masks: list[int], count: int) -> Bits:
    """Python int bitmasks as `count` rows of uint64 words, lowest word first."""
    return np.array(
        [[(mask >> (64 * w)) & WORD for mask in masks] for w in range(count)], dtype=np.uint64
    ).reshape(count, len(masks))


def _word_count(bits: dict[Hashable, int]) -> int:
    return max(1, -(-len(bits) // 64))


def _attribute_bits(offers: tuple[OfferInput, ...]) -> dict[Hashable, int]:
    seen: set[Hashable] = set()
    for kind, attribute in (
        ("skill", "skills"),
        ("qualification", "qualifications"),
        ("language", "languages"),
    ):
        for group in {getattr(o, attribute) for o in offers}:
            seen.update((kind, value) for value in group)
    return {key: bit for bit, key in enumerate(sorted(seen, key=repr))}


def _offer_attribute_masks(offers: tuple[OfferInput, ...], bit: dict[Hashable, int]) -> list[int]:
    # Many offers share the same frozenset values, so each distinct set is turned into bits once.
    memo: dict[tuple[str, frozenset[int] | frozenset[str]], int] = {}

    def mask(kind: str, values: frozenset[int] | frozenset[str]) -> int:
        key = (kind, values)
        if key not in memo:
            memo[key] = sum(1 << bit[(kind, value)] for value in values)
        return memo[key]

    return [
        mask("skill", o.skills) | mask("qualification", o.qualifications) | mask("language", o.languages)
        for o in offers
    ]


def _by_category(offers: tuple[OfferInput, ...], cell: Indices, cells: int) -> dict[int, CategoryMembers]:
    members: dict[int, list[int]] = {}
    for index, offer in enumerate(offers):
        if offer.capacity < 1:
            continue
        for category in offer.categories:
            members.setdefault(category, []).append(index)
    result = {}
    for category, indices in members.items():
        ascending = np.array(indices, dtype=np.int32)
        by_cell = ascending[np.argsort(cell[ascending], kind="stable")]
        start = np.searchsorted(cell[by_cell], np.arange(cells + 1)).astype(np.int64)
        result[category] = CategoryMembers(by_cell, start, ascending)
    return result


def _overlapping(offers: tuple[OfferInput, ...], person: npt.NDArray[np.integer[Any]]) -> Flags:
    overlapping = np.zeros(len(offers), dtype=np.bool_)
    counts = np.bincount(person)
    seen: dict[int, list[int]] = {}
    for position in np.flatnonzero(counts[person] > 1).tolist():
        seen.setdefault(int(person[position]), []).append(position)
    for indices in seen.values():
        for index in indices:
            categories = offers[index].categories
            overlapping[index] = any(
                other != index and offers[other].categories & categories for other in indices
            )
    return overlapping


def encode_needs(needs: tuple[NeedInput, ...], offers: OfferTable) -> NeedTable:
    """`needs` must already be sorted (see `sorted_needs`)."""
    required, preferred, possible = _need_attribute_masks(needs, offers.attribute_bit)
    word_count = offers.attributes.shape[0]
    return NeedTable(
        needs=needs,
        district=np.array([n.school_district for n in needs], dtype=np.int64),
        ward=np.array([n.ward for n in needs], dtype=np.int64),
        category=np.array([n.category for n in needs], dtype=np.int64),
        reach=np.array([int(n.reach) for n in needs], dtype=np.int8),
        headcount=np.array([n.headcount for n in needs], dtype=np.int64),
        slots=words([n.slots for n in needs], SLOT_WORDS),
        required=words(required, word_count),
        preferred=words(preferred, word_count),
        min_age=np.array([_min_age(n) for n in needs], dtype=np.int64),
        max_age=np.array([NO_MAX_AGE if n.max_age is None else n.max_age for n in needs], dtype=np.int64),
        requester=np.array(
            [-1 if n.requester_id is None else offers.person_index.get(n.requester_id, -1) for n in needs],
            dtype=np.int32,
        ),
        urgency=np.array([n.urgency for n in needs], dtype=np.int64),
        possible=np.array(possible, dtype=np.bool_),
    )


def _min_age(need: NeedInput) -> int:
    # An unknown age (-1) must fail a need that sets either bound, and pass one that sets none.
    if need.min_age is not None:
        return max(need.min_age, 0)
    return 0 if need.max_age is not None else UNKNOWN_AGE


def _need_attribute_masks(
    needs: tuple[NeedInput, ...], bit: dict[Hashable, int]
) -> tuple[list[int], list[int], list[bool]]:
    required, preferred, possible = [], [], []
    for need in needs:
        wanted = (
            [("skill", s) for s in need.required_skills]
            + [("qualification", q) for q in need.required_qualifications]
            + [("language", lang) for lang in need.required_languages]
        )
        possible.append(all(key in bit for key in wanted))
        required.append(sum(1 << bit[key] for key in wanted if key in bit))
        preferred.append(sum(1 << bit[("skill", s)] for s in need.preferred_skills if ("skill", s) in bit))
    return required, preferred, possible


def table_for(problem: Problem) -> tuple[OfferTable, NeedTable]:
    offers = offer_table(problem.offers)
    return offers, encode_needs(sorted_needs(problem.needs), offers)
