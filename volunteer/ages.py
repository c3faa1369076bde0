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


def school_year_cohort(birth_date: dt.date) -> dt.date:
    """The 1 April that closes the school year (学年) the person was born in: the first 1 April on
    or after the birth date. Age bands counted on 1 April of any year (the plan's figures) are
    the same for it as for the birth date, so an erased person's cohort replaces the date."""
    closing = dt.date(birth_date.year, 4, 1)
    return closing if birth_date <= closing else dt.date(birth_date.year + 1, 4, 1)
