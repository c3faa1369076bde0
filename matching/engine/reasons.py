"""Chosen edges as Proposals, each with the staff-readable reasons it was made (in Japanese)."""

import numpy as np

from matching.engine.candidates import Candidates
from matching.engine.encoding import Positions
from matching.engine.types import PERIODS, WEEKDAYS, NeedInput, OfferInput, Problem, Proposal, Solution

DISTANCE = ("同じ校区", "隣の校区", "同じ区", "市内")
UNNAMED_SKILL = "技能が合う"
NEWCOMER = "初参加"
RESTED = "最近の活動が少ない"
URGENT = "急ぎ"


def first_slot(slots: int) -> int:
    return (slots & -slots).bit_length() - 1


def slot_reason(slot: int, first_weekday: int) -> str:
    day, period = divmod(slot, 3)
    return f"{WEEKDAYS[(first_weekday + day) % 7]}{PERIODS[period]}が空いている"


def skill_reasons(offer: OfferInput, need: NeedInput, names: dict[int, str]) -> list[str]:
    matched = sorted(need.preferred_skills & offer.skills)
    reasons = [f"「{names[skill]}」の経験" for skill in matched if skill in names]
    if any(skill not in names for skill in matched):
        reasons.append(UNNAMED_SKILL)
    return reasons


def reasons_for(
    offer: OfferInput, need: NeedInput, level: int, first_weekday: int, names: dict[int, str]
) -> tuple[str, ...]:
    reasons = [DISTANCE[level], slot_reason(first_slot(need.slots), first_weekday)]
    reasons += skill_reasons(offer, need, names)
    if offer.is_newcomer:
        reasons.append(NEWCOMER)
    elif offer.recent_load == 0:
        reasons.append(RESTED)
    if need.urgency >= 1:
        reasons.append(URGENT)
    return tuple(reasons)


def solution_from(candidates: Candidates, edges: Positions, problem: Problem) -> Solution:
    """The Solution made of the given candidate edges (indices into `candidates`)."""
    edges = edges[np.lexsort((candidates.offer[edges], candidates.need[edges]))]
    offers, needs = candidates.offers.offers, candidates.needs.needs
    names = dict(problem.skill_names)
    proposals = tuple(
        _proposal(
            offers[int(candidates.offer[e])],
            needs[int(candidates.need[e])],
            candidates,
            int(e),
            problem,
            names,
        )
        for e in edges
    )
    fill_reward = problem.weights.fill_reward
    places = np.bincount(candidates.need[edges], minlength=len(needs))
    return Solution(
        proposals=proposals,
        objective=sum(p.cost - fill_reward for p in proposals),
        places_filled=len(proposals),
        needs_filled=int((places >= candidates.needs.headcount).sum()) if len(needs) else 0,
        candidate_edges=len(candidates),
    )


def _proposal(
    offer: OfferInput,
    need: NeedInput,
    candidates: Candidates,
    edge: int,
    problem: Problem,
    names: dict[int, str],
) -> Proposal:
    level = int(candidates.level[edge])
    return Proposal(
        offer_id=offer.offer_id,
        person_id=offer.person_id,
        need_id=need.need_id,
        first_slot=first_slot(need.slots),
        cost=int(candidates.cost[edge]),
        reasons=reasons_for(offer, need, level, problem.first_weekday, names),
    )
