import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from plan_registry.fiscal_year import JAPAN, FiscalYear, fiscal_year_of, fiscal_year_of_date

UTC = dt.UTC


def test_last_minute_of_march_in_japan_is_the_previous_fiscal_year() -> None:
    assert fiscal_year_of(dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=JAPAN)) == FiscalYear(2025)


def test_first_instant_of_april_in_japan_is_the_new_fiscal_year() -> None:
    assert fiscal_year_of(dt.datetime(2026, 4, 1, 0, 0, tzinfo=JAPAN)) == FiscalYear(2026)


def test_utc_afternoon_of_march_31_is_already_april_in_japan() -> None:
    # 2026-03-31 15:00 UTC is 2026-04-01 00:00 JST.
    assert fiscal_year_of(dt.datetime(2026, 3, 31, 15, 0, tzinfo=UTC)) == FiscalYear(2026)
    assert fiscal_year_of(dt.datetime(2026, 3, 31, 14, 59, 59, tzinfo=UTC)) == FiscalYear(2025)


def test_other_zones_are_judged_by_the_japanese_calendar() -> None:
    new_york = ZoneInfo("America/New_York")
    assert fiscal_year_of(dt.datetime(2026, 3, 31, 11, 0, tzinfo=new_york)) == FiscalYear(2026)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        fiscal_year_of(dt.datetime(2026, 4, 1))


def test_bounds_are_april_first_to_april_first_in_japan() -> None:
    year = FiscalYear(2025)
    assert year.start == dt.datetime(2025, 4, 1, tzinfo=JAPAN)
    assert year.end == dt.datetime(2026, 4, 1, tzinfo=JAPAN)
    assert year.start.astimezone(UTC) == dt.datetime(2025, 3, 31, 15, 0, tzinfo=UTC)
    assert (year.first_day, year.last_day) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert year.contains(year.start)
    assert not year.contains(year.end)


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2025, "令和7年度"),
        (2023, "令和5年度"),
        (2031, "令和13年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
    ],
)
def test_japanese_era_labels(year: int, label: str) -> None:
    assert FiscalYear(year).japanese_label == label


def test_label_carries_both_calendars() -> None:
    assert FiscalYear(2025).label == "令和7年度（2025年度）"


def test_dates_follow_the_same_boundary() -> None:
    assert fiscal_year_of_date(dt.date(2026, 3, 31)) == FiscalYear(2025)
    assert fiscal_year_of_date(dt.date(2026, 4, 1)) == FiscalYear(2026)
