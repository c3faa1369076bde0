"""Reads of the plan registry. The plan and areas are public: no scoping needed."""

from typing import Any

from django.db.models import F, Prefetch, QuerySet

from plan_registry.models import (
    Area,
    FeedRun,
    FiscalYearEvent,
    Indicator,
    IndicatorValue,
    IndicatorValueChange,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)
from plan_registry.open_data import suppressed_in_years


def _prefetch(lookup: str, queryset: QuerySet[Any]) -> Any:
    """A Prefetch, untyped: django-stubs' plugin cannot check one over a custom queryset class
    (every model's manager is core.privacy.GuardedQuerySet's)."""
    return Prefetch(lookup, queryset=queryset)


def plan_get(*, code: str | None = None) -> Plan | None:
    """The plan with its whole tree prefetched; the current plan when no code is given."""
    plans = Plan.objects.prefetch_related(
        "policies",
        _prefetch(
            "policies__viewpoints",
            Viewpoint.objects.prefetch_related(
                _prefetch(
                    "initiatives",
                    Initiative.objects.prefetch_related(
                        _prefetch("programmes", Programme.objects.order_by("position"))
                    ),
                )
            ),
        ),
    )
    return plans.filter(code=code).first() if code else plans.filter(is_current=True).first()


def indicator_list(*, plan_code: str | None = None, source: str | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("plan", "policy").order_by(
        "-plan__start_fiscal_year", "position"
    )
    if plan_code:
        indicators = indicators.filter(plan__code=plan_code)
    if source:
        indicators = indicators.filter(source=source)
    return indicators


def indicator_get(*, code: str) -> Indicator | None:
    values = IndicatorValue.objects.select_related("area").order_by(
        "fiscal_year",
        F("area__code").asc(nulls_first=True),  # the city first on every database
    )
    return (
        Indicator.objects.select_related("plan", "policy")
        .prefetch_related(Prefetch("values", queryset=values))
        .filter(code=code)
        .first()
    )


def indicator_values_published(*, indicator: Indicator) -> list[IndicatorValue]:
    """The indicator's totals (by year and area) that open data does not suppress: what its public
    page may show without giving back a value open data hides (the parts of a breakdown are in
    open data only, with their keys)."""
    values = [value for value in indicator.values.all() if not value.breakdown]
    hidden = suppressed_in_years({value.fiscal_year for value in values})
    return [value for value in values if value.pk not in hidden]


def area_list() -> QuerySet[Area]:
    return Area.objects.prefetch_related("neighbours").order_by("code")


def area_get_by_code(*, code: str) -> Area | None:
    return Area.objects.filter(code=code).first() if code else None


def fiscal_year_closed(*, fiscal_year: int) -> bool:
    latest = FiscalYearEvent.objects.filter(fiscal_year=fiscal_year).order_by("-decided_at", "-pk").first()
    return latest is not None and latest.action == FiscalYearEvent.Action.CLOSE


def feed_run_list(*, fiscal_year: int) -> QuerySet[FeedRun]:
    return FeedRun.objects.filter(fiscal_year=fiscal_year).select_related("indicator", "run_by")


def indicator_list_entered_by_hand() -> QuerySet[Indicator]:
    """What the plan office types in (survey values, the population), the current plan's first."""
    return Indicator.objects.filter(source=Indicator.Source.MANUAL).order_by("-plan__is_current", "position")


def area_list_below_city() -> QuerySet[Area]:
    return Area.objects.exclude(kind=Area.Kind.CITY).order_by("kind", "code")


def value_changes_latest(*, count: int) -> QuerySet[IndicatorValueChange]:
    return IndicatorValueChange.objects.select_related("indicator", "area", "changed_by")[:count]


def feed_runs_latest(*, count: int) -> QuerySet[FeedRun]:
    return FeedRun.objects.select_related("indicator", "run_by")[:count]


def fiscal_year_events_latest(*, count: int) -> QuerySet[FiscalYearEvent]:
    return FiscalYearEvent.objects.select_related("decided_by").order_by("-decided_at")[:count]
