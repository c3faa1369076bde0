"""Values the plan office enters by hand (survey-based indicators): checked, recorded with who,
when and why, and never mixed up with what feeds count."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import required_reason
from plan_registry import errors
from plan_registry.models import Area, Indicator, IndicatorValue, IndicatorValueChange
from plan_registry.selectors import fiscal_year_closed


@transaction.atomic
def manual_value_record(
    *,
    indicator_code: str,
    fiscal_year: int,
    value: Decimal,
    source_document: str,
    staff: Any,
    area_code: str | None = None,
    note: str = "",
    reason: str = "",
) -> IndicatorValue:
    """Enters or changes one value; changing one already entered needs a reason."""
    indicator = Indicator.objects.select_related("plan").filter(code=indicator_code).first()
    if indicator is None:
        raise errors.UnknownIndicator()
    area = None
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise errors.UnknownArea()
    if indicator.source == Indicator.Source.FEED:
        raise errors.IndicatorFedBySystem()
    first_year = min(indicator.plan.start_fiscal_year, indicator.baseline_fiscal_year)
    if not first_year <= fiscal_year <= indicator.plan.end_fiscal_year:
        raise errors.OutsidePlanPeriod()
    if fiscal_year_closed(fiscal_year=fiscal_year):
        raise errors.FiscalYearClosed()
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # as feed runs do: one at a time
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, fiscal_year=fiscal_year, area=area, breakdown="")
        .first()
    )
    if current is not None:
        reason = required_reason(reason)
    now = timezone.now()
    IndicatorValueChange.objects.create(
        indicator=indicator,
        fiscal_year=fiscal_year,
        area=area,
        old_value=current.value if current else None,
        new_value=value,
        source_document=source_document,
        note=note,
        reason=reason.strip(),
        changed_by=staff,
        changed_at=now,
    )
    fields = {
        "value": value,
        "source": IndicatorValue.Source.MANUAL,
        "note": note,
        "recorded_by": staff,
        "recorded_at": now,
        "provenance": {"source_document": source_document},
    }
    if current is None:
        return IndicatorValue.objects.create(
            indicator=indicator, fiscal_year=fiscal_year, area=area, **fields
        )
    for name, new in fields.items():
        setattr(current, name, new)
    current.save(update_fields=list(fields))
    return current
