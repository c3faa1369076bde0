"""Where the search starts: for each need, its cheapest candidates until their people, shared with
the other needs that also want them, add up to about one headcount.

Cutting each need to its k cheapest edges fails on a city: the cheap people (newcomers, people
who were not asked lately, people next door) are the cheapest for every need around them, so the
k cheapest of neighbouring needs are the same few people. Here each person counts as `1 / d`
towards each need that keeps them, d being how many needs kept them in the previous pass, so a
need that shares its best people keeps more of them. The start set only has to be good, not
right: the pricing loop adds whatever it lacks.
"""

import numpy as np
import numpy.typing as npt

from matching.engine.encoding import Flags, Indices, Ints, Positions

Shares = npt.NDArray[np.float64]

PASSES = 2
SHARE = 1.0  # people's shares a need keeps, per open place
HISTOGRAM_LIMIT = 1 << 24  # needs × distinct costs beyond which a sort is cheaper


def start_set(person: Indices, need: Indices, cost: Ints, headcount: Ints, persons: int) -> Flags:
    """Edges to start from. Edges of one need must be contiguous and in offer order."""
    keep = np.ones(person.size, dtype=np.bool_)
    if person.size == 0:
        return keep
    goal = (SHARE * headcount).astype(np.float64)
    lowest = int(cost.min())
    span = int(cost.max()) - lowest + 1
    wanted_by = np.bincount(person, minlength=persons)
    if goal.size * span > HISTOGRAM_LIMIT:
        for _ in range(PASSES):
            keep = _cheapest_shares_by_sorting(need, cost, (1.0 / np.maximum(wanted_by, 1))[person], goal)
            wanted_by = np.bincount(person[keep], minlength=persons)
        return keep
    # Both computed once for every pass: fresh arrays of millions of edges cost page faults.
    offset = (cost - lowest).astype(np.int32)
    key: Positions = need.astype(np.intp) * span + offset
    for _ in range(PASSES):
        keep = _cheapest_shares(need, offset, key, (1.0 / np.maximum(wanted_by, 1))[person], goal, span)
        wanted_by = np.bincount(person[keep], minlength=persons)
    return keep


def _cheapest_shares(
    need: Indices, offset: Indices, key: Positions, share: Shares, goal: Shares, span: int
) -> Flags:
    """`offset` is the cost above the lowest, `key` is need * span + offset."""
    running = np.bincount(key, weights=share, minlength=goal.size * span).reshape(goal.size, span)
    np.cumsum(running, axis=1, out=running)
    reached = running >= goal[:, None]
    threshold = np.where(reached.any(axis=1), reached.argmax(axis=1), span - 1)
    rows = np.arange(goal.size)
    below = np.where(threshold > 0, running[rows, np.maximum(threshold - 1, 0)], 0.0)
    at_threshold = threshold.astype(np.int32)[need]
    keep = offset < at_threshold
    # Of the edges at a need's threshold cost, the earlier (lower offer_id) ones until the goal.
    ties = np.flatnonzero(offset == at_threshold)
    before = _running_total_before(need[ties], share[ties])
    keep[ties[before + below[need[ties]] < goal[need[ties]]]] = True
    return keep


def _cheapest_shares_by_sorting(need: Indices, cost: Ints, share: Shares, goal: Shares) -> Flags:
    order = np.lexsort((cost, need))  # stable: equal costs keep offer order
    before = _running_total_before(need[order], share[order])
    keep = np.zeros(need.size, dtype=np.bool_)
    keep[order[before < goal[need[order]]]] = True
    return keep


def _running_total_before(group: Indices, values: Shares) -> Shares:
    """Per run of equal `group` values, the sum of the values before each position."""
    total = np.cumsum(values) - values
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return total - np.repeat(total[starts], np.diff(np.r_[starts, group.size]))
