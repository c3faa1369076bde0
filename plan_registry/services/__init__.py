"""Writes to the plan registry. Other code calls these names from here."""

from plan_registry.services.feed_runs import FeedOutcome, feeds_run, fiscal_year_close, fiscal_year_reopen
from plan_registry.services.plans import LoadReport, plan_load
from plan_registry.services.values import manual_value_record

__all__ = [
    "FeedOutcome",
    "LoadReport",
    "feeds_run",
    "fiscal_year_close",
    "fiscal_year_reopen",
    "manual_value_record",
    "plan_load",
]
