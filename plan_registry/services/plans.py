"""Writes to the plan registry. Loading is idempotent: a second load changes no row."""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from plan_registry.models import (
    Area,
    BasicPolicy,
    Indicator,
    IndicatorValue,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)
from plan_registry.plan_data import CityData, IndicatorData, PlanData, PolicyData

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@transaction.atomic
def plan_load(*, plans: tuple[PlanData, ...], city: CityData) -> LoadReport:
    """Creates or brings up to date the plans, their structure, indicators and the city."""
    report = LoadReport()
    _city_load(city=city, report=report)
    for plan_data in plans:
        plan = _upsert(
            Plan,
            {"code": plan_data.code},
            {
                "title": plan_data.title,
                "basic_idea": plan_data.basic_idea,
                "status": plan_data.status,
                "start_fiscal_year": plan_data.start_fiscal_year,
                "end_fiscal_year": plan_data.end_fiscal_year,
                "is_current": plan_data.is_current,
            },
            report,
        )
        for position, policy_data in enumerate(plan_data.policies, 1):
            _policy_load(plan=plan, data=policy_data, position=position, report=report)
        for position, indicator_data in enumerate(plan_data.indicators, 1):
            _indicator_load(plan=plan, data=indicator_data, position=position, report=report)
    return report


def _city_load(*, city: CityData, report: LoadReport) -> None:
    root = _upsert(
        Area,
        {"code": city.city.code},
        {"kind": Area.Kind.CITY, "name": city.city.name, "name_en": city.city.name_en, "parent": None},
        report,
    )
    for ward in city.wards:
        _upsert(
            Area,
            {"code": ward.code},
            {"kind": Area.Kind.WARD, "name": ward.name, "name_en": ward.name_en, "parent": root},
            report,
        )


def _policy_load(*, plan: Plan, data: PolicyData, position: int, report: LoadReport) -> None:
    policy = _upsert(
        BasicPolicy,
        {"plan": plan, "code": data.code},
        {"title": data.title, "stance": data.stance, "description": data.description, "position": position},
        report,
    )
    for viewpoint_position, viewpoint_data in enumerate(data.viewpoints, 1):
        viewpoint = _upsert(
            Viewpoint,
            {"policy": policy, "code": viewpoint_data.code},
            {"title": viewpoint_data.title, "position": viewpoint_position},
            report,
        )
        for initiative_data in viewpoint_data.initiatives:
            initiative = _upsert(
                Initiative,
                {"viewpoint": viewpoint, "number": initiative_data.number},
                {"title": initiative_data.title, "summary": initiative_data.summary},
                report,
            )
            for programme_position, programme in enumerate(initiative_data.programmes, 1):
                _upsert(
                    Programme,
                    {"initiative": initiative, "name": programme.name},
                    {
                        "summary": programme.summary,
                        "lead": list(programme.lead),
                        "unit": programme.unit,
                        "volunteer_relation": programme.volunteer_relation,
                        "features": list(programme.features),
                        "position": programme_position,
                    },
                    report,
                )


def _indicator_load(*, plan: Plan, data: IndicatorData, position: int, report: LoadReport) -> None:
    policy = plan.policies.filter(code=data.policy_code).first() if data.policy_code else None
    initiative = None
    if data.initiative_number is not None:
        initiative = Initiative.objects.filter(
            viewpoint__policy__plan=plan, number=data.initiative_number
        ).first()
        policy = initiative.viewpoint.policy if initiative else policy
    indicator = _upsert(
        Indicator,
        {"code": data.code},
        {
            "plan": plan,
            "policy": policy,
            "initiative": initiative,
            "label": data.label,
            "name": data.name,
            "unit": data.unit,
            "direction": data.direction,
            "source": (
                Indicator.Source.FEED
                if data.automatable and not data.recorded_by
                else Indicator.Source.MANUAL
            ),
            "baseline_fiscal_year": data.baseline_fiscal_year,
            "baseline_value": data.baseline_value,
            "baseline_note": data.baseline_note,
            "target_fiscal_year": data.target_fiscal_year,
            "target_value": data.target_value,
            "note": data.note,
            "position": position,
            "proxy_for": Indicator.objects.filter(code=data.proxy_for).first() if data.proxy_for else None,
        },
        report,
    )
    if indicator.source == Indicator.Source.MANUAL:
        # The system's counts written while it fed this indicator (before the plan office's records
        # became the official value, I-2 and I-3) now go to its proxy; here they would pass for the
        # official figure.
        retired, _ = IndicatorValue.objects.filter(
            indicator=indicator, source=IndicatorValue.Source.FEED
        ).delete()
        if retired:
            report.count("updated")
    for fiscal_year, value in data.actuals:
        _upsert(
            IndicatorValue,
            {"indicator": indicator, "fiscal_year": fiscal_year, "area": None, "breakdown": ""},
            {
                "value": value,
                "source": IndicatorValue.Source.PLAN_DOCUMENT,
                "provenance": {"document": "令和6年度第2回熊本市社会福祉審議会地域福祉専門分科会資料"},
            },
            report,
            create_only={"recorded_at": timezone.now()},
        )


def _upsert(
    model: type[ModelT],
    lookup: dict[str, Any],
    values: dict[str, Any],
    report: LoadReport,
    create_only: dict[str, Any] | None = None,
) -> ModelT:
    """Saves only when a value differs, so that a repeated load is a no-op."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model._default_manager.create(**lookup, **values, **(create_only or {}))
        report.count("created")
        return instance
    changed = [name for name, value in values.items() if _differs(getattr(instance, name), value)]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        report.count("updated")
    else:
        report.count("unchanged")
    return instance


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(new, models.Model):
        return getattr(current, "pk", None) != getattr(new, "pk", None)
    return bool(current != new)
