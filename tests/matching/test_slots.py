import datetime as dt

from matching.slots import HORIZON_DAYS, dated_slots, slots_from, slots_of_window, weekly_slots
from plan_registry.fiscal_year import JAPAN

MONDAY = dt.date(2026, 11, 30)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=JAPAN)


def test_a_morning_window_is_the_morning_slot_of_its_day() -> None:
    assert slots_of_window(start=at(1, 9), end=at(1, 11), first_day=MONDAY) == 1 << 3


def test_a_window_across_noon_needs_both_periods() -> None:
    assert slots_of_window(start=at(0, 11), end=at(0, 13), first_day=MONDAY) == 0b011


def test_a_window_ending_exactly_at_noon_stays_in_the_morning() -> None:
    assert slots_of_window(start=at(0, 10), end=at(0, 12), first_day=MONDAY) == 0b001


def test_evening_and_utc_input_are_judged_in_japan_time() -> None:
    utc_evening = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # 19:00 in Japan
    assert (
        slots_of_window(start=utc_evening, end=utc_evening + dt.timedelta(hours=1), first_day=MONDAY) == 0b100
    )


def test_outside_the_horizon_is_none() -> None:
    assert slots_of_window(start=at(HORIZON_DAYS, 9), end=at(HORIZON_DAYS, 10), first_day=MONDAY) is None
    assert slots_of_window(start=at(-1, 9), end=at(-1, 10), first_day=MONDAY) is None


def test_a_weekly_pattern_repeats_over_the_horizon() -> None:
    mask = weekly_slots(availability=[{"weekday": 1, "start": "09:00", "end": "12:00"}], first_day=MONDAY)
    tuesday_mornings = [day * 3 for day in range(HORIZON_DAYS) if day % 7 == 1]
    assert mask == sum(1 << slot for slot in tuesday_mornings)


def test_specific_dates_inside_the_horizon_only() -> None:
    dates = [
        {"date": "2026-12-02", "start": "13:00", "end": "15:00"},
        {"date": "2027-06-01", "start": "09:00", "end": "10:00"},
    ]
    assert dated_slots(dates=dates, first_day=MONDAY) == 1 << (2 * 3 + 1)


def test_slots_from_now_drop_what_has_begun() -> None:
    mask = slots_from(moment=at(1, 13), first_day=MONDAY)
    assert mask & (1 << 4) == 0  # Tuesday afternoon has begun
    assert mask & (1 << 5)  # Tuesday evening is still ahead
    assert mask & 0b111 == 0
