"""Times as the engine's slots: half-day periods over a horizon of days. Pure: no ORM.

slot = day * 3 + period; period 0 is the morning (before 12:00), 1 the afternoon (12:00–18:00),
2 the evening (from 18:00), all in Japan time. A set of slots is an int bitmask.
"""

import datetime as dt
import functools
from collections.abc import Iterable

from matching.engine.types import MAX_SLOTS
from plan_registry.fiscal_year import JAPAN

HORIZON_DAYS = MAX_SLOTS // 3  # six weeks
PERIOD_BOUNDS = (
    (dt.time(0, 0), dt.time(12, 0)),
    (dt.time(12, 0), dt.time(18, 0)),
    (dt.time(18, 0), dt.time(23, 59, 59)),
)


def slots_of_window(*, start: dt.datetime, end: dt.datetime, first_day: dt.date) -> int | None:
    """The slots a window touches; None when any part lies outside the horizon."""
    mask = 0
    local_start, local_end = start.astimezone(JAPAN), end.astimezone(JAPAN)
    day = local_start.date()
    while day <= local_end.date():
        index = (day - first_day).days
        for period, (begin, finish) in enumerate(PERIOD_BOUNDS):
            block_start = dt.datetime.combine(day, begin, tzinfo=JAPAN)
            block_end = dt.datetime.combine(day, finish, tzinfo=JAPAN)
            if block_start < local_end and local_start < block_end:
                if not 0 <= index < HORIZON_DAYS:
                    return None
                mask |= 1 << (index * 3 + period)
        day += dt.timedelta(days=1)
    return mask


def slots_of_windows(*, windows: Iterable[tuple[dt.datetime, dt.datetime]], first_day: dt.date) -> int | None:
    mask = 0
    for start, end in windows:
        window_mask = slots_of_window(start=start, end=end, first_day=first_day)
        if window_mask is None:
            return None
        mask |= window_mask
    return mask


def weekly_slots(*, availability: list[dict[str, object]], first_day: dt.date) -> int:
    """A weekly pattern ({"weekday": 1, "start": "09:00", "end": "12:00"}) over the horizon."""
    pattern = tuple(sorted((int(str(w["weekday"])), str(w["start"]), str(w["end"])) for w in availability))
    return _weekly_mask(pattern, first_day)


@functools.lru_cache(maxsize=4096)
def _weekly_mask(pattern: tuple[tuple[int, str, str], ...], first_day: dt.date) -> int:
    # Residents share few patterns (火曜・木曜の午前 …): a full run over 100k offers computes each once.
    mask = 0
    for index in range(HORIZON_DAYS):
        day = first_day + dt.timedelta(days=index)
        for weekday, start, end in pattern:
            if weekday == day.weekday():
                mask |= _day_window_slots(day, start, end, first_day)
    return mask


def dated_slots(*, dates: list[dict[str, object]], first_day: dt.date) -> int:
    """Specific dates ({"date": "2026-12-05", "start": "09:00", "end": "12:00"}) inside the horizon."""
    mask = 0
    for window in dates:
        day = dt.date.fromisoformat(str(window["date"]))
        if 0 <= (day - first_day).days < HORIZON_DAYS:
            mask |= _day_window_slots(day, str(window["start"]), str(window["end"]), first_day)
    return mask


def slots_from(*, moment: dt.datetime, first_day: dt.date) -> int:
    """Every slot that has not begun yet at this moment (later slots of today included)."""
    local = moment.astimezone(JAPAN)
    index = (local.date() - first_day).days
    period = next((p for p, (begin, _end) in enumerate(PERIOD_BOUNDS) if local.time() < begin), 3)
    first_open = max(0, index * 3 + period) if index >= 0 else 0
    return ((1 << MAX_SLOTS) - 1) & ~((1 << first_open) - 1)


def _day_window_slots(day: dt.date, start: str, end: str, first_day: dt.date) -> int:
    starts_at = dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=JAPAN)
    ends_at = dt.datetime.combine(day, dt.time.fromisoformat(end), tzinfo=JAPAN)
    return slots_of_window(start=starts_at, end=ends_at, first_day=first_day) or 0
