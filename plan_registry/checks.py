"""Start-up checks: the feeds the apps declare and the indicators the plan says the system counts
must be the same set, so a typo in a code fails at start-up instead of skipping a feed in silence."""

from typing import Any

from django.core.checks import Error, register

from plan_registry.feeds import registered
from plan_registry.plan_data import read_plans


@register()
def feeds_match_the_plan(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    plans = read_plans()
    indicators = {indicator.code: indicator for plan in plans for indicator in plan.indicators}
    fed = {feed.indicator_code: feed for feed in registered()}
    errors = [
        Error(
            f"The feed {feed.name} names the indicator {code}, which the plan does not have.",
            hint="Use a code from plan_registry/data/plan_5th.yaml, or add the indicator there.",
            obj=feed.name,
            id="plan_registry.E001",
        )
        for code, feed in sorted(fed.items())
        if code not in indicators
    ]
    errors += [
        Error(
            f"The plan says the system counts {code} ({indicator.name}), but no feed declares it.",
            hint="Declare one with @indicator_feed in the counting app's indicator_feeds.py, "
            "or mark the indicator as not automatable (or recorded_by) in the plan data.",
            obj=code,
            id="plan_registry.E002",
        )
        for code, indicator in sorted(indicators.items())
        if indicator.counted_here and code not in fed
    ]
    errors += [
        Error(
            f"The feed {fed[code].name} counts {code}, which the plan enters by hand "
            "(not automatable, or recorded outside the product).",
            hint="A value the plan office enters must not be overwritten by a feed.",
            obj=fed[code].name,
            id="plan_registry.E003",
        )
        for code, indicator in sorted(indicators.items())
        if not indicator.counted_here and code in fed
    ]
    return errors
