"""One rule for a person's age on a day, and for the day they reach an age."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteer.ages import age_on, day_of_age


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1960, 6, 1), dt.date(2025, 5, 31), 64),
        (dt.date(1960, 6, 1), dt.date(2025, 6, 1), 65),
        (dt.date(1960, 2, 29), dt.date(2025, 2, 28), 64),
        (dt.date(1960, 2, 29), dt.date(2025, 3, 1), 65),
        (dt.date(1960, 2, 29), dt.date(2024, 2, 29), 64),
    ],
)
def test_age_counts_completed_years(born: dt.date, day: dt.date, age: int) -> None:
    assert age_on(born, day) == age


def test_someone_born_on_29_february_reaches_an_age_on_1_march_of_a_common_year() -> None:
    assert day_of_age(dt.date(1960, 2, 29), 65) == dt.date(2025, 3, 1)
    assert day_of_age(dt.date(1960, 2, 29), 64) == dt.date(2024, 2, 29)


@given(born=st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)), years=st.integers(0, 100))
def test_the_day_of_an_age_is_the_first_day_of_that_age(born: dt.date, years: int) -> None:
    reached = day_of_age(born, years)

    assert age_on(born, reached) == years
    assert age_on(born, reached - dt.timedelta(days=1)) == years - 1 or years == 0
