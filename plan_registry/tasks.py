"""Thin tasks over the feed runner."""

from celery import shared_task
from django.utils import timezone

from plan_registry import errors
from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.services import feeds_run


@shared_task
def feeds_run_task() -> int:
    """Nightly: the current fiscal year's feeds (a closed year is left as it is)."""
    try:
        return len(feeds_run(fiscal_year=fiscal_year_of(timezone.now()).year))
    except errors.FiscalYearClosed:
        return 0
