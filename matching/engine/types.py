"""The matching engine's inputs and outputs: frozen dataclasses, no ORM.

Time is a horizon of slots: slot = day * 3 + period, where day counts from the horizon's first
day (its weekday is `Problem.first_weekday`, 0 = Monday) and period is 0 morning (午前,
06–12), 1 afternoon (午後, 12–18), 2 evening (夜間, 18–22). Sets of slots are Python ints
used as bitmasks (bit s = slot s); a horizon has at most 126 slots (six weeks).

The problem the engine solves exactly:
- A candidate pair (offer, need) must satisfy every hard constraint: the need's category is
  among the offer's categories; the offer's skills, qualifications and languages include all
  the need requires; the person's age is within the need's range (an unknown age fails a need
  that sets one); the offer's free slots include every slot of the need (`need.slots &
  ~offer.slots == 0`); reach both ways (the volunteer goes as far as `offer.reach`, and the
  need accepts helpers from as far as `need.reach`: same district ⊂ neighbouring districts ⊂
  same ward ⊂ city); remaining capacity >= 1; the person is not the requester; and the pair
  (person, need) is not in `Problem.excluded_pairs` (staff rejected it, or the volunteer declined).
- A person receives at most one new proposal per solve (a volunteer holds one open proposal
  at a time; their next comes after they answer), and at most one per need even with several
  offers; a need receives at most `headcount` proposals.
- Cost of a pair (an integer, lower is better): travel by distance level, minus a skill-fit
  bonus per matching optional skill, plus a fairness charge per recent activity, minus a
  newcomer bonus, minus an urgency bonus. Every filled place earns `fill_reward`, so the
  objective — sum of chosen pair costs minus fill_reward per chosen pair — prefers filling
  needs completely; a pair is chosen only if it lowers the objective.
- The same Problem always gives the same Solution (ties broken by offer_id, then need_id).
"""

from dataclasses import dataclass, field
from enum import IntEnum

PERIODS = ("午前", "午後", "夜間")
WEEKDAYS = ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜")
MAX_SLOTS = 126


class Reach(IntEnum):
    SAME_DISTRICT = 0
    NEIGHBOURS = 1
    WARD = 2
    CITY = 3


@dataclass(frozen=True)
class OfferInput:
    offer_id: int
    person_id: int
    school_district: int
    ward: int
    reach: Reach
    categories: frozenset[int]
    skills: frozenset[int] = frozenset()
    qualifications: frozenset[int] = frozenset()  # valid on the need's dates (the caller filters)
    languages: frozenset[str] = frozenset({"ja"})
    age: int | None = None
    slots: int = 0  # free slots: availability minus confirmed activities
    capacity: int = 1  # activities the person may still take on in the horizon
    recent_load: int = 0  # activities in the last 90 days (fairness)
    is_newcomer: bool = False  # never took part (a first activity is favoured)


@dataclass(frozen=True)
class NeedInput:
    need_id: int
    school_district: int
    ward: int
    category: int
    slots: int  # every slot the helper must attend (non-zero)
    headcount: int  # places still open (>= 1)
    reach: Reach = Reach.NEIGHBOURS  # how far helpers may come from
    requester_id: int | None = None
    required_skills: frozenset[int] = frozenset()
    preferred_skills: frozenset[int] = frozenset()
    required_qualifications: frozenset[int] = frozenset()
    required_languages: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    urgency: int = 0  # 0 normal, 1 soon, 2 urgent


@dataclass(frozen=True)
class CostWeights:
    travel: tuple[int, int, int, int] = (0, 20, 50, 90)  # by Reach of the actual distance
    skill_fit: int = 10  # per preferred skill the volunteer has
    fairness: int = 8  # per recent activity
    newcomer: int = 25
    urgency: int = 15  # per urgency level
    fill_reward: int = 1000


@dataclass(frozen=True)
class Problem:
    offers: tuple[OfferInput, ...]
    needs: tuple[NeedInput, ...]
    neighbours: tuple[tuple[int, int], ...] = ()  # symmetric pairs of school districts
    first_weekday: int = 0
    skill_names: tuple[tuple[int, str], ...] = ()  # for reasons: (skill id, 傾聴)
    weights: CostWeights = field(default_factory=CostWeights)
    excluded_pairs: tuple[tuple[int, int], ...] = ()  # (person_id, need_id) never to propose again


@dataclass(frozen=True)
class Proposal:
    offer_id: int
    person_id: int
    need_id: int
    first_slot: int  # the need's first slot
    cost: int
    reasons: tuple[str, ...]  # Japanese, staff-readable: ("同じ校区", "火曜午前が空いている", "初参加")

    @property
    def reason(self) -> str:
        return "・".join(self.reasons)


@dataclass(frozen=True)
class Solution:
    proposals: tuple[Proposal, ...]  # sorted by (need_id, offer_id)
    objective: int  # sum of proposal costs minus fill_reward per proposal
    places_filled: int
    needs_filled: int  # needs whose headcount is met in full
    candidate_edges: int
