"""Running the feeds: an idempotent upsert of each feed's rows into indicator values, with
provenance; a value the plan office entered by hand is never overwritten; a closed fiscal year is
refused until it is reopened with a reason."""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import required_reason
from plan_registry import errors
from plan_registry.feeds import Feed, FeedRow, registered, shared_passes
from plan_registry.fiscal_year import FiscalYear
from plan_registry.models import FeedRun, FiscalYearEvent, Indicator, IndicatorValue
from plan_registry.selectors import fiscal_year_closed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedOutcome:
    feed: str
    indicator: str
    written: int
    kept_manual: int


@transaction.atomic
def fiscal_year_close(*, fiscal_year: int, staff: Any, reason: str = "") -> FiscalYearEvent:
    if fiscal_year_closed(fiscal_year=fiscal_year):
        raise errors.FiscalYearClosed()
    return FiscalYearEvent.objects.create(
        fiscal_year=fiscal_year,
        action=FiscalYearEvent.Action.CLOSE,
        reason=reason.strip(),
        decided_by=staff,
        decided_at=timezone.now(),
    )


@transaction.atomic
def fiscal_year_reopen(*, fiscal_year: int, staff: Any, reason: str) -> FiscalYearEvent:
    reason = required_reason(reason)
    if not fiscal_year_closed(fiscal_year=fiscal_year):
        raise errors.FiscalYearNotClosed()
    return FiscalYearEvent.objects.create(
        fiscal_year=fiscal_year,
        action=FiscalYearEvent.Action.REOPEN,
        reason=reason.strip(),
        decided_by=staff,
        decided_at=timezone.now(),
    )


def feeds_run(*, fiscal_year: int, staff: Any = None, now: dt.datetime | None = None) -> list[FeedOutcome]:
    """Every registered feed for the year; each feed in its own transaction."""
    if fiscal_year_closed(fiscal_year=fiscal_year):
        raise errors.FiscalYearClosed()
    indicators = {
        i.code: i for i in Indicator.objects.filter(code__in=[f.indicator_code for f in registered()])
    }
    outcomes = []
    with shared_passes():
        for feed in registered():
            indicator = indicators.get(feed.indicator_code)
            if indicator is None:
                # The start-up check holds every feed to the plan's data, so only a database
                # the plan was never loaded into (`manage.py plan_load`) gets here.
                logger.warning("%s not run: the plan is not loaded (manage.py plan_load)", feed.name)
                continue
            outcomes.append(_feed_run(feed, indicator, FiscalYear(fiscal_year), staff, now or timezone.now()))
    return outcomes


@transaction.atomic
def _feed_run(
    feed: Feed, indicator: Indicator, year: FiscalYear, staff: Any, now: dt.datetime
) -> FeedOutcome:
    # Runs of one indicator take turns (a nightly run and a staff's run at the same moment): the
    # second then finds the first's values and updates them instead of colliding on a new row.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    rows = feed.compute(year)
    existing = {
        (v.area_id, v.breakdown): v
        for v in IndicatorValue.objects.select_for_update().filter(indicator=indicator, fiscal_year=year.year)
    }
    manual = {key for key, value in existing.items() if value.source != IndicatorValue.Source.FEED}
    provenance = {"feed": feed.name, "version": feed.version, "computed_at": now.isoformat()}
    fed = {(row.area_id, row.breakdown): row for row in rows if (row.area_id, row.breakdown) not in manual}
    # A value counted before and not now has fallen to zero: say so rather than keep the old count.
    for (area, breakdown), value in existing.items():
        if (area, breakdown) not in manual and (area, breakdown) not in fed:
            fed[area, breakdown] = FeedRow(area, value.value * 0, 0, breakdown, value.breakdown_label)
    for key, row in fed.items():
        _upsert(
            indicator,
            year.year,
            row,
            existing.get(key),
            {**provenance, "rows_counted": row.counted},
            staff,
            now,
        )
    city = next((row for row in rows if row.area_id is None and not row.breakdown), None)
    kept_manual = len({(row.area_id, row.breakdown) for row in rows} & manual)
    FeedRun.objects.create(
        feed=feed.name,
        feed_version=feed.version,
        indicator=indicator,
        fiscal_year=year.year,
        rows_counted=city.counted if city else 0,
        values_written=len(fed),
        values_kept_manual=kept_manual,
        computed_at=now,
        run_by=staff,
    )
    return FeedOutcome(feed.name, indicator.code, len(fed), kept_manual)


def _upsert(
    indicator: Indicator,
    fiscal_year: int,
    row: FeedRow,
    current: IndicatorValue | None,
    provenance: dict[str, Any],
    staff: Any,
    now: dt.datetime,
) -> None:
    if current is None:
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=fiscal_year,
            area_id=row.area_id,
            breakdown=row.breakdown,
            breakdown_label=row.breakdown_label,
            value=row.value,
            source=IndicatorValue.Source.FEED,
            provenance=provenance,
            recorded_by=staff,
            recorded_at=now,
        )
        return
    current.value, current.breakdown_label, current.provenance = row.value, row.breakdown_label, provenance
    current.recorded_by, current.recorded_at = staff, now
    current.save(update_fields=["value", "breakdown_label", "provenance", "recorded_by", "recorded_at"])
