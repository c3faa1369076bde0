"""What the plan registry holds about a person: only what they did as plan staff (core.personal_data)."""

from core.personal_data import holds
from plan_registry.models import FeedRun, FiscalYearEvent, IndicatorValue, IndicatorValueChange

holds(IndicatorValue, "recorded_by", why="indicator values the person entered as plan staff")
holds(IndicatorValueChange, "changed_by", why="changes the person made to indicator values")
holds(FeedRun, "run_by", why="indicator feeds the person ran")
holds(FiscalYearEvent, "decided_by", why="fiscal years the person closed or reopened")
