"""An independent reading of the problem in matching/engine/types.py, written pair by pair in plain
Python (no numpy, no bitmasks), and its optimum by networkx. The engine's tests compare against it.
"""

from dataclasses import dataclass

import networkx as nx

from matching.engine.types import NeedInput, OfferInput, Problem, Proposal

# Larger than any tie-break sum a test problem can reach, so ranks only order equal true costs.
TIE_SCALE = 10**12


@dataclass(frozen=True)
class Pair:
    offer: OfferInput
    need: NeedInput
    cost: int
    rank: int  # offer's position by offer_id plus need's position by need_id


def distance(offer: OfferInput, need: NeedInput, neighbours: tuple[tuple[int, int], ...]) -> int:
    if offer.school_district == need.school_district:
        return 0
    districts = {offer.school_district, need.school_district}
    if any({a, b} == districts for a, b in neighbours):
        return 1
    return 2 if offer.ward == need.ward else 3


def fits(offer: OfferInput, need: NeedInput, neighbours: tuple[tuple[int, int], ...]) -> bool:
    level = distance(offer, need, neighbours)
    age_limited = need.min_age is not None or need.max_age is not None
    age_ok = not age_limited or (
        offer.age is not None
        and (need.min_age is None or offer.age >= need.min_age)
        and (need.max_age is None or offer.age <= need.max_age)
    )
    return (
        need.category in offer.categories
        and need.required_skills <= offer.skills
        and need.required_qualifications <= offer.qualifications
        and need.required_languages <= offer.languages
        and age_ok
        and need.slots & ~offer.slots == 0
        and level <= offer.reach
        and level <= need.reach
        and offer.capacity >= 1
        and offer.person_id != need.requester_id
    )


def cost(offer: OfferInput, need: NeedInput, problem: Problem) -> int:
    w = problem.weights
    return (
        w.travel[distance(offer, need, problem.neighbours)]
        - w.skill_fit * len(need.preferred_skills & offer.skills)
        + w.fairness * offer.recent_load
        - (w.newcomer if offer.is_newcomer else 0)
        - w.urgency * need.urgency
    )


def pairs(problem: Problem) -> dict[tuple[int, int], Pair]:
    """(person_id, need_id) -> the cheapest fitting offer of that person, ties to the lower offer_id."""
    offer_rank = {o.offer_id: i for i, o in enumerate(sorted(problem.offers, key=lambda o: o.offer_id))}
    need_rank = {n.need_id: i for i, n in enumerate(sorted(problem.needs, key=lambda n: n.need_id))}
    best: dict[tuple[int, int], Pair] = {}
    excluded = set(problem.excluded_pairs)
    for offer in sorted(problem.offers, key=lambda o: o.offer_id):
        for need in problem.needs:
            if not fits(offer, need, problem.neighbours) or (offer.person_id, need.need_id) in excluded:
                continue
            pair = Pair(
                offer, need, cost(offer, need, problem), offer_rank[offer.offer_id] + need_rank[need.need_id]
            )
            key = (offer.person_id, need.need_id)
            if key not in best or pair.cost < best[key].cost:
                best[key] = pair
    return best


@dataclass(frozen=True)
class Optimum:
    objective: int
    rank_sum: int  # of the optimum that also minimises the tie-break sum
    pairs: frozenset[tuple[int, int]]  # (offer_id, need_id) of that optimum


def optimum(problem: Problem) -> Optimum:
    """Min-cost flow by networkx over the improving pairs, with the same tie-break rule."""
    fill = problem.weights.fill_reward
    improving = [p for p in pairs(problem).values() if p.cost < fill]
    persons = {p.offer.person_id for p in improving}
    graph = nx.DiGraph()
    supply = len(persons) + 1
    graph.add_node("source", demand=-supply)
    graph.add_node("sink", demand=supply)
    graph.add_edge("source", "sink", capacity=supply, weight=0)
    for person in persons:
        graph.add_edge("source", ("person", person), capacity=1, weight=0)
    for need in problem.needs:
        graph.add_edge(("need", need.need_id), "sink", capacity=need.headcount, weight=0)
    for pair in improving:
        weight = (pair.cost - fill) * TIE_SCALE + pair.rank
        graph.add_edge(
            ("person", pair.offer.person_id), ("need", pair.need.need_id), capacity=1, weight=weight
        )
    flow = nx.min_cost_flow(graph)
    chosen = [
        p for p in improving if flow[("person", p.offer.person_id)].get(("need", p.need.need_id), 0) > 0
    ]
    return Optimum(
        objective=sum(p.cost - fill for p in chosen),
        rank_sum=sum(p.rank for p in chosen),
        pairs=frozenset((p.offer.offer_id, p.need.need_id) for p in chosen),
    )


def rank_sum(problem: Problem, proposals: tuple[Proposal, ...]) -> int:
    offer_rank = {o.offer_id: i for i, o in enumerate(sorted(problem.offers, key=lambda o: o.offer_id))}
    need_rank = {n.need_id: i for i, n in enumerate(sorted(problem.needs, key=lambda n: n.need_id))}
    return sum(offer_rank[p.offer_id] + need_rank[p.need_id] for p in proposals)
