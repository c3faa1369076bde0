"""Feeds are declared with `@indicator_feed`, and the project refuses to start when the feeds and
the plan disagree: a feed for an indicator the plan does not have, an indicator the plan says
the system counts with no feed, or a feed over a value the plan office enters by hand."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from plan_registry import feeds
from plan_registry.checks import feeds_match_the_plan
from plan_registry.feeds import Feed, FeedRow, indicator_feed, registered
from plan_registry.fiscal_year import FiscalYear


def _nothing(year: FiscalYear) -> list[FeedRow]:
    return []


def test_the_projects_feeds_and_the_plan_agree() -> None:
    assert feeds_match_the_plan() == []


def test_the_decorator_names_the_feed_after_its_app_and_function() -> None:
    by_code = {feed.indicator_code: feed for feed in registered()}

    assert by_code["SYS-05"].name == "points.points_issued"
    assert by_code["SYS-05"].version == 4
    assert by_code["SYS-14"].name == "events.training_participants"


def test_a_feed_for_an_indicator_the_plan_lacks_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(feeds._REGISTRY, "events.typo", Feed("events.typo", 1, "SYS-99", "", _nothing))

    errors = feeds_match_the_plan()

    assert [(e.id, e.obj) for e in errors] == [("plan_registry.E001", "events.typo")]


def test_an_indicator_the_system_counts_without_a_feed_stops_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(feeds._REGISTRY, "points.points_issued")

    errors = feeds_match_the_plan()

    assert [(e.id, e.obj) for e in errors] == [("plan_registry.E002", "SYS-05")]


def test_a_feed_over_a_value_entered_by_hand_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        feeds._REGISTRY, "events.population", Feed("events.population", 1, "POP-01", "", _nothing)
    )

    errors = feeds_match_the_plan()

    assert [(e.id, e.obj) for e in errors] == [("plan_registry.E003", "events.population")]


def test_two_feeds_for_one_indicator_are_refused_at_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "_REGISTRY", dict(feeds._REGISTRY))

    with pytest.raises(ValueError, match="both feed SYS-04"):
        indicator_feed("SYS-04", version=1, description="")(_nothing)


def test_manage_py_check_runs_the_feed_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(feeds._REGISTRY, "events.typo", Feed("events.typo", 1, "SYS-99", "", _nothing))

    with pytest.raises(SystemCheckError, match=r"plan_registry\.E001"):
        call_command("check")
