"""The disaster volunteer centre's morning dispatch (災害ボランティアセンターの班編成): the volunteers
received today formed into teams and sent to needs, exactly. A pure core: frozen dataclasses in
and out, no ORM.

The rules every team sent keeps (`validate_plan` checks each one):
- A need of h helpers is split into the fewest teams of at most `team_size`, sizes as equal as
  possible: k = ceil(h / team_size) teams, the first (h mod k) one larger (20 with 8: 7, 7, 6).
  Team j never takes more than its planned size, so the split staff announce (transport, tools per
  team) holds; a need may be partly served, by fewer teams or smaller ones. A need of fewer
  helpers than max(min_team_size, 2) can never get a team.
- A team sent has at least `min_team_size` members and at least two adults (its leader and
  sub-leader), and among its members a holder of each required skill, of each required licence,
  and a vehicle when the need asks for one. A volunteer joins at most one team.

The objective is lexicographic: each level only chooses among the optima of the levels above.
1. Helpers placed by urgency, with strict dominance: one more helper on an urgency-1 need is worth
   more than any number on urgency-2 and -3 needs, and 2 over 3 (the centre sends people where it
   is most urgent first). Weights W3 = 1, W2 = B3 + 1, W1 = B2·W2 + B3 + 1, where B_u bounds the
   helpers urgency-u needs can take.
2. More needs served by at least one team (spread over needs rather than stacked on one).
3. More teams with an experienced adult (disaster_days > 0), who can then lead: the leader and
   sub-leader are chosen after the solve as the team's two adults with most disaster_days (ties:
   lower volunteer_id). Experienced minors do not count: they may not lead.
4. Skill fit, then needs asked first: members holding any of the need's required skills or
   licences (a second chainsaw holder shares the cutting), then each helper counts (needs − the
   need's rank by received_order, need_id), so helpers lean to needs asked earlier.
`DispatchPlan.objective` writes the levels as one mixed-radix integer (`encode_objective`): a
larger objective is a better plan.

Formulation (CP-SAT, one solve per level, each with the optima above fixed and the previous
solution as hint; every level must be proved optimal, or the plan says optimal=False and why):
- Volunteers are grouped into kinds by what the model can see (skills and licences some need
  requires, a vehicle, adult, experienced adult); a kind's volunteers are interchangeable.
- Needs with the same requirements share a profile, which sees a kind only through its own
  requirements (the kind's projection). Per team: a count of members of each projection and a
  `sent` flag; per (kind, profile): how many of the kind go to that profile's needs. A projection's
  counts over the profile's teams equal its kinds' flows, and a kind's flows stay within its
  volunteers: exact, since volunteers of one projection are alike to every need of the profile.
- A need's teams are filled in order (team j sent before j + 1 and not smaller): any plan can be
  sorted that way, so this only cuts symmetric copies.
- Volunteers are dealt to the teams afterwards, most urgent teams first, most experienced
  volunteers first (ties by lower volunteer_id); with a single-threaded seeded solver the same
  problem always gives the same plan.

Speed (scripts/bench_teams.py, one CP-SAT worker: it beat two here, and keeps the answer
deterministic): a day of 1,000 volunteers and 150 needs is proved optimal in about 4 s; the
prefecture's 3,402 and 510 needs take about 95 s, so a 20 s limit returns optimal=False there.
"""

import math
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

WORK_TYPES = {
    "mud_removal": "泥出し",
    "furniture_removal": "家財搬出",
    "clearing": "片付け",
    "shelter_support": "避難所運営",
}
# Japanese names of the usual codes; `TeamProblem.names` adds to or overrides them.
NAMES = {
    "chainsaw": "チェーンソー",
    "heavy_machinery": "重機",
    "first_aid": "応急手当",
    "care": "介護",
    "nursing": "看護",
    "carpentry": "大工仕事",
    "electrical": "電気工事",
}
URGENCIES = (1, 2, 3)
LEVELS = (
    "緊急度1の人数",
    "緊急度2の人数",
    "緊急度3の人数",
    "班を送るニーズ",
    "経験者のいる班",
    "技能の合う人",
    "受付順",
)
STAGES = ("helpers by urgency", "needs served", "teams with an experienced adult", "skill fit and order")


@dataclass(frozen=True)
class VolunteerInput:
    volunteer_id: int
    skills: frozenset[str] = frozenset()
    licences: frozenset[str] = frozenset()  # e.g. "chainsaw"
    has_vehicle: bool = False  # carries the team and its tools
    disaster_days: int = 0  # days of disaster-volunteer activity on record
    is_adult: bool = True  # 18 or over: only adults lead


@dataclass(frozen=True)
class NeedInput:
    need_id: int
    helpers_needed: int  # >= 1
    work_type: str  # a key of WORK_TYPES
    required_skills: frozenset[str] = frozenset()  # per team, at least one holder of each
    required_licences: frozenset[str] = frozenset()  # per team, at least one holder of each
    needs_vehicle: bool = False  # per team, at least one member with a vehicle
    urgency: int = 3  # 1 most urgent
    received_order: int = 0  # lower = asked earlier


@dataclass(frozen=True)
class TeamProblem:
    volunteers: tuple[VolunteerInput, ...]
    needs: tuple[NeedInput, ...]
    team_size: int = 8
    min_team_size: int = 2  # nobody works alone
    names: tuple[tuple[str, str], ...] = ()  # (code, 日本語名) for reasons, like matching's skill_names


@dataclass(frozen=True)
class TeamPlan:
    need_id: int
    team_number: int  # 1..k within the need
    member_ids: tuple[int, ...]  # sorted
    leader_id: int
    sub_leader_id: int
    reasons: tuple[str, ...]  # Japanese, for staff: ("緊急度1", "チェーンソー資格者あり", ...)


@dataclass(frozen=True)
class DispatchPlan:
    teams: tuple[TeamPlan, ...]  # sorted by (need_id, team_number)
    unassigned_volunteer_ids: tuple[int, ...]
    unserved_need_ids: tuple[int, ...]  # needs with no team
    optimal: bool  # every level proved optimal
    objective: int  # `encode_objective` of `levels`
    levels: tuple[int, ...] = ()  # `plan_levels`, in the order of LEVELS
    status: str = "optimal"  # or which level the time limit stopped, and with what


@dataclass(frozen=True, order=True)
class Kind:
    """What the model sees of a volunteer; as a projection, what one profile sees."""

    skills: tuple[str, ...]  # sorted tuples, so kinds order deterministically
    licences: tuple[str, ...]
    vehicle: bool
    adult: bool
    experienced: bool  # an adult with disaster_days > 0


@dataclass(frozen=True, order=True)
class Profile:
    """The requirements of a need, shared by every need asking the same."""

    skills: tuple[str, ...]
    licences: tuple[str, ...]
    vehicle: bool

    def sees(self, kind: Kind) -> Kind:
        return Kind(
            tuple(skill for skill in kind.skills if skill in self.skills),
            tuple(licence for licence in kind.licences if licence in self.licences),
            kind.vehicle and self.vehicle,
            kind.adult,
            kind.experienced,
        )

    def requirements(self) -> list[tuple[str, str]]:
        return requirements_of(Kind(self.skills, self.licences, self.vehicle, True, True))


def requirements_of(kind: Kind) -> list[tuple[str, str]]:
    return (
        [("skill", s) for s in kind.skills]
        + [("licence", c) for c in kind.licences]
        + ([("vehicle", "")] if kind.vehicle else [])
    )


def profile_of(need: NeedInput) -> Profile:
    return Profile(
        tuple(sorted(need.required_skills)), tuple(sorted(need.required_licences)), need.needs_vehicle
    )


def kind_of(volunteer: VolunteerInput) -> Kind:
    experienced = volunteer.is_adult and volunteer.disaster_days > 0
    return Kind(
        tuple(sorted(volunteer.skills)),
        tuple(sorted(volunteer.licences)),
        volunteer.has_vehicle,
        volunteer.is_adult,
        experienced,
    )


def team_sizes(helpers_needed: int, team_size: int) -> tuple[int, ...]:
    """The planned split: the fewest teams, sizes as equal as possible, larger ones first."""
    teams = math.ceil(helpers_needed / team_size)
    base, larger = divmod(helpers_needed, teams)
    return tuple(base + 1 if j < larger else base for j in range(teams))


def experience_order(volunteer: VolunteerInput) -> tuple[int, int]:
    return (-volunteer.disaster_days, volunteer.volunteer_id)


def leaders_of(members: Iterable[VolunteerInput]) -> list[VolunteerInput]:
    """The team's adults, leader and sub-leader first: most disaster_days, then lower id."""
    return sorted((m for m in members if m.is_adult), key=experience_order)


# --- the objective ---------------------------------------------------------------------------


def need_ranks(problem: TeamProblem) -> dict[int, int]:
    """Each need's weight for the received-order tie-break: the earliest asked weighs most."""
    ordered = sorted(problem.needs, key=lambda n: (n.received_order, n.need_id))
    return {need.need_id: len(ordered) - rank for rank, need in enumerate(ordered)}


def fits_need(volunteer: VolunteerInput, need: NeedInput) -> bool:
    return bool(volunteer.skills & need.required_skills or volunteer.licences & need.required_licences)


def plan_levels(problem: TeamProblem, teams: Sequence[TeamPlan]) -> tuple[int, ...]:
    """The objective's levels for these teams, in the order of LEVELS."""
    needs = {n.need_id: n for n in problem.needs}
    volunteers = {v.volunteer_id: v for v in problem.volunteers}
    ranks = need_ranks(problem)
    helpers = dict.fromkeys(URGENCIES, 0)
    experienced = fit = order = 0
    for team in teams:
        need, members = needs[team.need_id], [volunteers[i] for i in team.member_ids]
        helpers[need.urgency] += len(members)
        experienced += any(kind_of(m).experienced for m in members)
        fit += sum(fits_need(m, need) for m in members)
        order += len(members) * ranks[need.need_id]
    served = len({team.need_id for team in teams})
    return (*helpers.values(), served, experienced, fit, order)


def level_bounds(problem: TeamProblem) -> tuple[int, ...]:
    """An upper bound of each level, for the mixed-radix objective."""
    people, needs = len(problem.volunteers), len(problem.needs)
    teams = sum(len(team_sizes(n.helpers_needed, problem.team_size)) for n in problem.needs)
    return (people, people, people, needs, teams, people, people * needs)


def encode_objective(problem: TeamProblem, levels: Sequence[int]) -> int:
    """The levels as one integer that orders plans as the levels do lexicographically."""
    value = 0
    for level, bound in zip(levels, level_bounds(problem), strict=True):
        value = value * (bound + 1) + level
    return value


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A planned team of a need, which the solve may send or not."""

    need: NeedInput
    number: int
    capacity: int
    profile: Profile


@dataclass(frozen=True)
class Stage:
    """One level of the objective: what it maximises, and what is fixed once it is proved."""

    name: str
    objective: cp_model.LinearExprT
    parts: tuple[cp_model.LinearExprT, ...]


@dataclass
class TeamModel:
    model: cp_model.CpModel
    slots: list[Slot]
    sent: list[cp_model.IntVar]
    counts: list[dict[Kind, cp_model.IntVar]]  # per slot: members of each projection
    flows: dict[tuple[Kind, Profile], cp_model.IntVar]
    stages: list[Stage]


def urgency_weights(problem: TeamProblem, slots: Sequence[Slot]) -> dict[int, int]:
    """W_u with strict dominance: one more helper at urgency u outweighs all less urgent ones."""
    bound = dict.fromkeys(URGENCIES, 0)
    for slot in slots:
        bound[slot.need.urgency] += slot.capacity
    weights, below = {}, 0
    for urgency in reversed(URGENCIES):
        weights[urgency] = below + 1
        below += min(bound[urgency], len(problem.volunteers)) * weights[urgency]
    return weights


def check_problem(problem: TeamProblem) -> None:
    if problem.min_team_size < 1 or problem.team_size < problem.min_team_size:
        raise ValueError("need 1 <= min_team_size <= team_size")
    if len({v.volunteer_id for v in problem.volunteers}) != len(problem.volunteers):
        raise ValueError("volunteer ids repeat")
    if len({n.need_id for n in problem.needs}) != len(problem.needs):
        raise ValueError("need ids repeat")
    for need in problem.needs:
        if need.helpers_needed < 1 or need.urgency not in URGENCIES or need.work_type not in WORK_TYPES:
            raise ValueError(f"need {need.need_id}: helpers_needed >= 1, urgency 1-3, a known work_type")


def most_teams(profile: Profile, seen: Counter[Kind]) -> int:
    """How many teams of this profile the volunteers could staff at most, by their scarcest role."""
    adults = sum(n for kind, n in seen.items() if kind.adult)
    holders = Counter[tuple[str, str]]()
    for kind, n in seen.items():
        for requirement in requirements_of(kind):
            holders[requirement] += n
    return min([adults // 2] + [holders[r] for r in profile.requirements()])


def plan_slots(problem: TeamProblem, seen: dict[Profile, Counter[Kind]]) -> list[Slot]:
    """The teams worth modelling: a team that can never be staffed, or be big enough, is left out."""
    smallest = max(problem.min_team_size, 2)
    slots = []
    for need in sorted(problem.needs, key=lambda n: n.need_id):
        profile = profile_of(need)
        planned = team_sizes(need.helpers_needed, problem.team_size)[: most_teams(profile, seen[profile])]
        slots += [Slot(need, j, size, profile) for j, size in enumerate(planned, 1) if size >= smallest]
    return slots


def add_slot(
    model: cp_model.CpModel, slot: Slot, seen: Counter[Kind], smallest: int
) -> tuple[cp_model.IntVar, dict[Kind, cp_model.IntVar]]:
    sent = model.new_bool_var(f"sent_{slot.need.need_id}_{slot.number}")
    counts = {p: model.new_int_var(0, min(slot.capacity, n), "") for p, n in sorted(seen.items())}
    size = sum(counts.values())
    model.add(size <= slot.capacity * sent)
    model.add(size >= smallest * sent)
    model.add(sum(n for p, n in counts.items() if p.adult) >= 2 * sent)
    for requirement in slot.profile.requirements():
        model.add(sum(n for p, n in counts.items() if requirement in requirements_of(p)) >= sent)
    return sent, counts


def add_flows(team_model: TeamModel, kinds: Counter[Kind], seen: dict[Profile, Counter[Kind]]) -> None:
    """Kinds into profiles: each projection's members are exactly what its kinds send."""
    model, flows = team_model.model, team_model.flows
    teams_of: dict[Profile, list[int]] = defaultdict(list)
    for t, slot in enumerate(team_model.slots):
        teams_of[slot.profile].append(t)
    for profile in sorted(teams_of):
        sources: dict[Kind, list[cp_model.IntVar]] = defaultdict(list)
        for kind, n in sorted(kinds.items()):
            flows[kind, profile] = model.new_int_var(0, n, "")
            sources[profile.sees(kind)].append(flows[kind, profile])
        for projection in sorted(seen[profile]):
            members = [team_model.counts[t][projection] for t in teams_of[profile]]
            model.add(sum(members) == sum(sources[projection]))
    for kind, n in sorted(kinds.items()):
        model.add(sum(flows[kind, p] for p in sorted(teams_of)) <= n)


def add_order(team_model: TeamModel) -> None:
    """A need's teams in order: team j is sent before j + 1 and is not smaller."""
    slots, sent, counts = team_model.slots, team_model.sent, team_model.counts
    for t in range(1, len(slots)):
        if slots[t].need.need_id == slots[t - 1].need.need_id:
            team_model.model.add(sent[t - 1] >= sent[t])
            team_model.model.add(sum(counts[t - 1].values()) >= sum(counts[t].values()))


def experienced_flags(team_model: TeamModel) -> list[cp_model.IntVar]:
    """Per slot: does the team hold an experienced adult. Defined both ways, so a hint carried over
    from an earlier level is already right here; the linear bounds are what the relaxation sees."""
    flags = []
    for count, sent in zip(team_model.counts, team_model.sent, strict=True):
        flag = team_model.model.new_bool_var("")
        experienced = sum(n for p, n in count.items() if p.experienced)
        team_model.model.add(flag <= experienced)
        team_model.model.add(flag <= sent)  # implied, but the relaxation needs it to see scarce roles
        team_model.model.add(experienced == 0).only_enforce_if(~flag)
        flags.append(flag)
    return flags


def add_stages(team_model: TeamModel, problem: TeamProblem) -> None:
    slots, counts = team_model.slots, team_model.counts
    weights, ranks = urgency_weights(problem, slots), need_ranks(problem)
    sizes = [sum(c.values()) for c in counts]
    helpers = [
        sum(size for s, size in zip(slots, sizes, strict=True) if s.need.urgency == u) for u in URGENCIES
    ]
    served = sum(team_model.sent[t] for t, slot in enumerate(slots) if slot.number == 1)
    fit = sum(n for count in counts for p, n in count.items() if p.skills or p.licences)
    order = sum(ranks[s.need.need_id] * size for s, size in zip(slots, sizes, strict=True))
    tie_scale = len(problem.volunteers) * len(problem.needs) + 1
    experienced = sum(experienced_flags(team_model))
    # Level 1's optimum is fixed urgency by urgency: three small equalities propagate far better
    # than one with coefficients in the hundreds of millions.
    team_model.stages = [
        Stage(
            STAGES[0], sum(weights[u] * h for u, h in zip(URGENCIES, helpers, strict=True)), tuple(helpers)
        ),
        Stage(STAGES[1], served, (served,)),
        Stage(STAGES[2], experienced, (experienced,)),
        Stage(STAGES[3], fit * tie_scale + order, (fit, order)),
    ]


def build_model(problem: TeamProblem) -> tuple[TeamModel, Counter[Kind]]:
    kinds = Counter(kind_of(v) for v in problem.volunteers)
    seen: dict[Profile, Counter[Kind]] = {}
    for profile in {profile_of(n) for n in problem.needs}:
        seen[profile] = Counter[Kind]()
        for kind, n in kinds.items():
            seen[profile][profile.sees(kind)] += n
    slots = plan_slots(problem, seen)
    team_model = TeamModel(cp_model.CpModel(), slots, [], [], {}, [])
    smallest = max(problem.min_team_size, 2)
    for slot in slots:
        sent, counts = add_slot(team_model.model, slot, seen[slot.profile], smallest)
        team_model.sent.append(sent)
        team_model.counts.append(counts)
    add_flows(team_model, kinds, seen)
    add_order(team_model)
    add_stages(team_model, problem)
    return team_model, kinds


# --- the solve -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageResult:
    values: tuple[int, ...] | None  # every variable's value, by index; None when none was found
    optimal: bool
    status: str


def make_solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    # One worker with a fixed seed: the same model always takes the same search to the same
    # solution; a parallel portfolio may return a different one among equal optima.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    # The default relaxation misses how a team's scarce roles (a licence, a vehicle) bound the
    # teams sent; at level 2 the LP proves the later levels in a fraction of the time.
    solver.parameters.linearization_level = 2
    return solver


def stopped(status: str, level: int, name: str, values: tuple[int, ...] | None) -> str:
    if status not in ("FEASIBLE", "UNKNOWN"):
        # The plan of the level above stays feasible with its optimum fixed: anything else is a bug.
        raise RuntimeError(f"CP-SAT answered {status} at level {level} ({name})")
    if status == "FEASIBLE":
        kept = "the best plan it found is kept"
    else:
        kept = "the previous level's plan is kept" if values else "no plan found: nobody is sent"
    return f"time limit: {status} at level {level} ({name}); {kept}"


def solve_stages(team_model: TeamModel, time_limit_seconds: float) -> StageResult:
    """Each level in turn, its optimum then fixed; stops at the first level not proved optimal."""
    model, deadline = team_model.model, time.monotonic() + time_limit_seconds
    values: tuple[int, ...] | None = None
    for number, stage in enumerate(team_model.stages, 1):
        model.maximize(stage.objective)
        solver = make_solver(deadline - time.monotonic())
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = tuple(solver.response_proto.solution)
        if status != cp_model.OPTIMAL:
            return StageResult(values, False, stopped(solver.status_name(status), number, stage.name, values))
        for part in stage.parts:
            model.add(part == solver.value(part))
        model.clear_hints()
        for index, value in enumerate(values or ()):
            model.add_hint(model.get_int_var_from_proto_index(index), value)
    return StageResult(values, True, "optimal")


# --- from counts to people -------------------------------------------------------------------


def deal(
    problem: TeamProblem, team_model: TeamModel, values: Sequence[int], kinds: Counter[Kind]
) -> list[list[VolunteerInput]]:
    """Concrete volunteers for each slot: most urgent teams first take the most experienced."""
    queues: dict[Kind, deque[VolunteerInput]] = {kind: deque() for kind in kinds}
    for volunteer in sorted(problem.volunteers, key=experience_order):
        queues[kind_of(volunteer)].append(volunteer)
    quota = {key: values[var.index] for key, var in team_model.flows.items()}
    slots = team_model.slots
    teams: list[list[VolunteerInput]] = [[] for _ in slots]
    priority = sorted(range(len(slots)), key=lambda t: slot_priority(slots[t]))
    for t in priority:
        profile = slots[t].profile
        for projection, var in team_model.counts[t].items():
            sources = [k for k in kinds if profile.sees(k) == projection]
            for _ in range(values[var.index]):
                kind = min(
                    (k for k in sources if quota[k, profile]), key=lambda k: experience_order(queues[k][0])
                )
                quota[kind, profile] -= 1
                teams[t].append(queues[kind].popleft())
    return teams


def slot_priority(slot: Slot) -> tuple[int, int, int, int]:
    need = slot.need
    return (need.urgency, need.received_order, need.need_id, slot.number)


def name_of(code: str, names: dict[str, str]) -> str:
    return names.get(code, code)


def team_reasons(
    need: NeedInput,
    number: int,
    planned: Sequence[int],
    members: Sequence[VolunteerInput],
    names: dict[str, str],
) -> tuple[str, ...]:
    reasons = [f"緊急度{need.urgency}", WORK_TYPES[need.work_type]]
    if len(planned) > 1:
        reasons.append(f"{len(planned)}班編成の{number}班目")
    if len(members) < planned[number - 1]:
        reasons.append(f"定員{planned[number - 1]}人のうち{len(members)}人")
    reasons += [f"{name_of(s, names)}の技能者あり" for s in sorted(need.required_skills)]
    reasons += [f"{name_of(c, names)}資格者あり" for c in sorted(need.required_licences)]
    if need.needs_vehicle:
        reasons.append("車両あり")
    leader, sub_leader = leaders_of(members)[:2]
    reasons.append(f"リーダー: 活動{leader.disaster_days}日")
    reasons.append(f"サブリーダー: 活動{sub_leader.disaster_days}日")
    if any(m.disaster_days > 0 for m in members):
        reasons.append("経験者を含む")
    return tuple(reasons)


def team_plan(problem: TeamProblem, slot: Slot, members: Sequence[VolunteerInput]) -> TeamPlan:
    leader, sub_leader = leaders_of(members)[:2]
    planned = team_sizes(slot.need.helpers_needed, problem.team_size)
    names = NAMES | dict(problem.names)
    return TeamPlan(
        need_id=slot.need.need_id,
        team_number=slot.number,
        member_ids=tuple(sorted(m.volunteer_id for m in members)),
        leader_id=leader.volunteer_id,
        sub_leader_id=sub_leader.volunteer_id,
        reasons=team_reasons(slot.need, slot.number, planned, members, names),
    )


def dispatch_plan(
    problem: TeamProblem, teams: Sequence[TeamPlan], optimal: bool, status: str
) -> DispatchPlan:
    teams = sorted(teams, key=lambda team: (team.need_id, team.team_number))
    placed = {i for team in teams for i in team.member_ids}
    served = {team.need_id for team in teams}
    levels = plan_levels(problem, teams)
    return DispatchPlan(
        teams=tuple(teams),
        unassigned_volunteer_ids=tuple(
            sorted(v.volunteer_id for v in problem.volunteers if v.volunteer_id not in placed)
        ),
        unserved_need_ids=tuple(sorted(n.need_id for n in problem.needs if n.need_id not in served)),
        optimal=optimal,
        objective=encode_objective(problem, levels),
        levels=levels,
        status=status,
    )


def solve_teams(problem: TeamProblem, *, time_limit_seconds: float = 20.0) -> DispatchPlan:
    """The optimal dispatch (see the module's docstring), or, when the time limit stops a level,
    the best plan found with optimal=False and the level named in `status`."""
    check_problem(problem)
    team_model, kinds = build_model(problem)
    if not team_model.slots:
        return dispatch_plan(problem, [], True, "optimal")
    result = solve_stages(team_model, time_limit_seconds)
    if result.values is None:
        return dispatch_plan(problem, [], False, result.status)
    members = deal(problem, team_model, result.values, kinds)
    teams = [team_plan(problem, slot, m) for slot, m in zip(team_model.slots, members, strict=True) if m]
    return dispatch_plan(problem, teams, result.optimal, result.status)


# --- validation ------------------------------------------------------------------------------


def validate_plan(problem: TeamProblem, plan: DispatchPlan) -> list[str]:
    """Every rule the plan breaks, in words (empty when the plan is valid)."""
    needs = {n.need_id: n for n in problem.needs}
    volunteers = {v.volunteer_id: v for v in problem.volunteers}
    problems = team_numbering_problems(plan.teams, needs, problem.team_size)
    for team in plan.teams:
        need = needs.get(team.need_id)
        if need is None:
            problems.append(f"need {team.need_id}: no such need")
            continue
        problems += member_problems(team, volunteers)
        members = [volunteers[i] for i in team.member_ids if i in volunteers]
        problems += size_problems(team, need, problem, len(members))
        problems += leader_problems(team, members)
        problems += requirement_problems(team, need, members)
    return problems + bookkeeping_problems(problem, plan)


def team_numbering_problems(
    teams: Sequence[TeamPlan], needs: dict[int, NeedInput], team_size: int
) -> list[str]:
    problems = []
    if list(teams) != sorted(teams, key=lambda team: (team.need_id, team.team_number)):
        problems.append("teams are not sorted by (need_id, team_number)")
    numbers: dict[int, list[int]] = defaultdict(list)
    for team in teams:
        numbers[team.need_id].append(team.team_number)
    for need_id, used in sorted(numbers.items()):
        if sorted(used) != list(range(1, len(used) + 1)):
            problems.append(f"need {need_id}: team numbers {sorted(used)} are not 1..{len(used)}")
        if need_id in needs and len(used) > len(team_sizes(needs[need_id].helpers_needed, team_size)):
            problems.append(f"need {need_id}: more teams than its split plans")
    return problems


def member_problems(team: TeamPlan, volunteers: dict[int, VolunteerInput]) -> list[str]:
    where = f"need {team.need_id} team {team.team_number}"
    problems = []
    if list(team.member_ids) != sorted(set(team.member_ids)):
        problems.append(f"{where}: member ids are not sorted and distinct")
    problems += [f"{where}: no such volunteer {i}" for i in team.member_ids if i not in volunteers]
    return problems


def size_problems(team: TeamPlan, need: NeedInput, problem: TeamProblem, size: int) -> list[str]:
    where = f"need {team.need_id} team {team.team_number}"
    planned = team_sizes(need.helpers_needed, problem.team_size)
    capacity = planned[team.team_number - 1] if 1 <= team.team_number <= len(planned) else 0
    problems = []
    if size > capacity:
        problems.append(f"{where}: {size} members, more than the {capacity} planned for it")
    if size < problem.min_team_size:
        problems.append(f"{where}: {size} members, fewer than min_team_size {problem.min_team_size}")
    return problems


def leader_problems(team: TeamPlan, members: Sequence[VolunteerInput]) -> list[str]:
    where = f"need {team.need_id} team {team.team_number}"
    adults = leaders_of(members)
    if len(adults) < 2:
        return [f"{where}: fewer than two adults"]
    problems = []
    if team.leader_id == team.sub_leader_id:
        problems.append(f"{where}: leader and sub-leader are the same person")
    expected = (adults[0].volunteer_id, adults[1].volunteer_id)
    if (team.leader_id, team.sub_leader_id) != expected:
        problems.append(
            f"{where}: leader and sub-leader should be {expected}, the two most experienced adults"
        )
    return problems


def requirement_problems(team: TeamPlan, need: NeedInput, members: Sequence[VolunteerInput]) -> list[str]:
    where = f"need {team.need_id} team {team.team_number}"
    skills = frozenset().union(*(m.skills for m in members))
    licences = frozenset().union(*(m.licences for m in members))
    problems = [f"{where}: no holder of skill {s}" for s in sorted(need.required_skills - skills)]
    problems += [f"{where}: no holder of licence {c}" for c in sorted(need.required_licences - licences)]
    if need.needs_vehicle and not any(m.has_vehicle for m in members):
        problems.append(f"{where}: no vehicle")
    return problems


def bookkeeping_problems(problem: TeamProblem, plan: DispatchPlan) -> list[str]:
    placed = Counter(i for team in plan.teams for i in team.member_ids)
    problems = [f"volunteer {i} is in {n} teams" for i, n in sorted(placed.items()) if n > 1]
    unassigned = tuple(sorted(v.volunteer_id for v in problem.volunteers if v.volunteer_id not in placed))
    if plan.unassigned_volunteer_ids != unassigned:
        problems.append("unassigned_volunteer_ids is not every volunteer without a team, sorted")
    served = {team.need_id for team in plan.teams}
    unserved = tuple(sorted(n.need_id for n in problem.needs if n.need_id not in served))
    if plan.unserved_need_ids != unserved:
        problems.append("unserved_need_ids is not every need without a team, sorted")
    return problems
