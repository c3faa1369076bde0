"""Reads the plan's data file into frozen dataclasses. Pure: no ORM.

The file is the project's copy of shared/plan/plan_5th.yaml, a structured extraction of the
5th Regional Welfare Plan draft (令和6年11月 素案) with the 4th plan's indicators and actuals.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_FILE = DATA_DIR / "plan_5th.yaml"
AREAS_FILE = DATA_DIR / "areas.yaml"

# The 4th plan (令和2–6年度) is loaded as its own plan so that its ten indicators and their
# FY2020–2023 actuals keep their own policies (I–III of the 4th plan).
PREVIOUS_PLAN_CODE = "kumamoto-welfare-4"


@dataclass(frozen=True)
class ProgrammeData:
    name: str
    summary: str
    lead: tuple[str, ...]
    unit: str
    volunteer_relation: str = ""
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class InitiativeData:
    number: int
    title: str
    summary: str
    programmes: tuple[ProgrammeData, ...]


@dataclass(frozen=True)
class ViewpointData:
    code: str
    title: str
    initiatives: tuple[InitiativeData, ...]


@dataclass(frozen=True)
class PolicyData:
    code: str
    title: str
    stance: str = ""
    description: str = ""
    viewpoints: tuple[ViewpointData, ...] = ()


@dataclass(frozen=True)
class IndicatorData:
    code: str
    label: str
    policy_code: str | None
    name: str
    unit: str
    direction: str
    automatable: bool
    baseline_fiscal_year: int
    baseline_value: Decimal | None
    baseline_note: str
    target_fiscal_year: int
    target_value: Decimal | None
    note: str
    actuals: tuple[tuple[int, Decimal], ...] = ()
    initiative_number: int | None = None
    proxy_for: str | None = None  # the code of the indicator this one approximates
    # Whose records the plan's figure comes from, when they are outside this product (市社協's): the
    # plan office enters the official value, and the system's own count sits beside it as a proxy.
    recorded_by: str = ""

    @property
    def counted_here(self) -> bool:
        """Whether the system's count is this indicator's value (fed), not the plan office's entry."""
        return self.automatable and not self.recorded_by


@dataclass(frozen=True)
class PlanData:
    code: str
    title: str
    basic_idea: str
    status: str
    start_fiscal_year: int
    end_fiscal_year: int
    is_current: bool
    policies: tuple[PolicyData, ...]
    indicators: tuple[IndicatorData, ...] = field(default=())


@dataclass(frozen=True)
class AreaData:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class CityData:
    city: AreaData
    wards: tuple[AreaData, ...]


def read_plans(path: Path = PLAN_FILE) -> tuple[PlanData, PlanData]:
    """The current (5th) plan and the previous (4th) plan."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _current_plan(raw), _previous_plan(raw)


def read_city(path: Path = AREAS_FILE) -> CityData:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return CityData(city=AreaData(**raw["city"]), wards=tuple(AreaData(**ward) for ward in raw["wards"]))


def _current_plan(raw: dict[str, Any]) -> PlanData:
    plan = raw["plan"]
    features = _volunteer_features(raw["volunteer_programs"])
    return PlanData(
        code=plan["code"],
        title=plan["title"],
        basic_idea=plan["basic_idea"],
        status=plan["status"],
        start_fiscal_year=plan["period"]["start_fy"],
        end_fiscal_year=plan["period"]["end_fy"],
        is_current=True,
        policies=tuple(_policy(policy, features) for policy in raw["basic_policies"]),
        indicators=tuple(_indicator_5th(item) for item in raw["indicators_5th"])
        + tuple(_indicator_system(item) for item in raw.get("indicators_system", ())),
    )


def _previous_plan(raw: dict[str, Any]) -> PlanData:
    previous = raw["plan"]["previous_plan"]
    return PlanData(
        code=PREVIOUS_PLAN_CODE,
        title=previous["title"],
        basic_idea=previous["basic_idea"],
        status="",
        start_fiscal_year=previous["period"]["start_fy"],
        end_fiscal_year=previous["period"]["end_fy"],
        is_current=False,
        policies=tuple(PolicyData(code=p["code"], title=p["title"]) for p in previous["basic_policies"]),
        indicators=tuple(
            _indicator_4th(position, item) for position, item in enumerate(raw["indicators_4th"], 1)
        ),
    )


def _volunteer_features(items: list[dict[str, Any]]) -> dict[tuple[int, str], tuple[str, tuple[str, ...]]]:
    return {
        (item["initiative"], item["name"]): (item["relation"], tuple(item.get("features", ())))
        for item in items
    }


def _policy(raw: dict[str, Any], features: dict[tuple[int, str], tuple[str, tuple[str, ...]]]) -> PolicyData:
    return PolicyData(
        code=raw["code"],
        title=raw["title"],
        stance=raw.get("stance", ""),
        description=raw.get("description", ""),
        viewpoints=tuple(
            ViewpointData(
                code=viewpoint["code"],
                title=viewpoint["title"],
                initiatives=tuple(_initiative(item, features) for item in viewpoint["initiatives"]),
            )
            for viewpoint in raw["viewpoints"]
        ),
    )


def _initiative(
    raw: dict[str, Any], features: dict[tuple[int, str], tuple[str, tuple[str, ...]]]
) -> InitiativeData:
    number = raw["number"]
    programmes = []
    for item in raw.get("programs", []):
        relation, programme_features = features.get((number, item["name"]), ("", ()))
        programmes.append(
            ProgrammeData(
                name=item["name"],
                summary=item.get("summary") or "",
                lead=tuple(item.get("lead", ())),
                unit=item.get("unit", ""),
                volunteer_relation=relation,
                features=programme_features,
            )
        )
    return InitiativeData(
        number=number, title=raw["title"], summary=raw.get("summary", ""), programmes=tuple(programmes)
    )


def _indicator_5th(raw: dict[str, Any]) -> IndicatorData:
    baseline, target = raw["baseline"], raw["target"]
    policy = raw["policy"] if raw["policy"] in ("I", "II", "III", "IV") else None
    return IndicatorData(
        code=raw["code"],
        label=raw["code"].removeprefix("KPI5-"),
        policy_code=policy,
        name=raw["name"],
        unit=raw["unit"],
        direction=raw["direction"],
        automatable=raw["automatable"],
        baseline_fiscal_year=baseline["fy"],
        baseline_value=_decimal(baseline["value"]),
        baseline_note=baseline.get("as_printed", "") or baseline.get("note", ""),
        target_fiscal_year=target["fy"],
        target_value=_required_decimal(target["value"]),
        note=raw.get("note", "") or ("成年後見制度利用促進計画（第4章）" if policy is None else ""),
        recorded_by=raw.get("recorded_by", ""),
    )


SYSTEM_FIRST_FISCAL_YEAR = 2025


def _indicator_system(raw: dict[str, Any]) -> IndicatorData:
    """One of the system's own indicators: no baseline or target in the plan; counted here, or
    (`source: manual`) a denominator the plan office enters, such as the population."""
    return IndicatorData(
        code=raw["code"],
        label=raw["code"],  # one spelling everywhere: the data, the API, the report and the README
        policy_code=None,
        name=raw["name"],
        unit=raw["unit"],
        direction=raw.get("direction", "increase"),
        automatable=raw.get("source", "feed") == "feed",
        baseline_fiscal_year=SYSTEM_FIRST_FISCAL_YEAR,
        baseline_value=None,
        baseline_note="システムによる集計（計画に記載なし）",
        target_fiscal_year=2031,
        target_value=None,
        note="",
        initiative_number=raw["initiative"],
        proxy_for=raw.get("proxy_for"),
    )


def _indicator_4th(position: int, raw: dict[str, Any]) -> IndicatorData:
    baseline, target = raw["baseline"], raw["target"]
    return IndicatorData(
        code=f"KPI4-{position:02d}",
        label=raw["code"],
        policy_code=raw["policy"],
        name=raw["name"],
        unit=raw["unit"],
        direction=raw["direction"],
        automatable=raw["automatable"],
        baseline_fiscal_year=baseline["fy"],
        baseline_value=_decimal(baseline["value"]),
        baseline_note=baseline.get("as_printed", ""),
        target_fiscal_year=target["fy"],
        target_value=_required_decimal(target["value"]),
        note=raw.get("note", ""),
        actuals=tuple(
            (int(year), _required_decimal(value)) for year, value in sorted(raw["actuals"].items())
        ),
    )


def _decimal(value: float | int | None) -> Decimal | None:
    # Through str() so that 86.4 stays 86.4 and does not become 86.40000000000000568…
    return None if value is None else Decimal(str(value))


def _required_decimal(value: float | int) -> Decimal:
    result = _decimal(value)
    if result is None:
        raise ValueError("A target or actual value is missing in the plan data")
    return result
