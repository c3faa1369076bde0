"""A person's age on a day, the one rule every app uses (events' age ranges, the matching
engine's eligibility, the points rules and the care scheme's conversion). Pure."""

import datetime as dt


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March in a
    common year)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def day_of_age(birth_date: dt.date, years: int) -> dt.date:
    """The first day on which the person is `years` old, by the same rule as `age_on`."""
    year = birth_date.year + years
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 3, 1)
