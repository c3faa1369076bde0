"""The check-in codes, on their own (no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import tokens

KEY = b"k" * 32
NOON = dt.datetime(2025, 6, 1, 3, 0, tzinfo=dt.UTC)


def test_a_venue_code_is_good_in_its_window_and_the_next() -> None:
    code = tokens.venue_token_make(key=KEY, activity_id=42, at=NOON, period=60)

    assert (
        tokens.venue_token_read(
            key=KEY, token=code, at=NOON + dt.timedelta(seconds=119), period=60
        ).activity_id
        == 42
    )
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.venue_token_read(key=KEY, token=code, at=NOON + dt.timedelta(seconds=120), period=60)
    assert refused.value.code == "token_expired"


def test_a_code_made_with_another_key_is_refused() -> None:
    code = tokens.venue_token_make(key=b"x" * 32, activity_id=42, at=NOON, period=60)

    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.venue_token_read(key=KEY, token=code, at=NOON, period=60)
    assert refused.value.code == "token_invalid"


@given(st.integers(min_value=0, max_value=60), st.characters(codec="ascii", exclude_characters="."))
def test_a_changed_character_is_refused(position: int, replacement: str) -> None:
    code = tokens.venue_token_make(key=KEY, activity_id=42, at=NOON, period=60)
    position %= len(code)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    with pytest.raises(tokens.TokenRefused):
        tokens.venue_token_read(key=KEY, token=changed, at=NOON, period=60)


def test_a_residents_code_names_them_until_it_expires() -> None:
    code = tokens.resident_token_make(key=KEY, person_id=7, at=NOON, lifetime=120)

    read = tokens.resident_token_read(key=KEY, token=code, at=NOON + dt.timedelta(seconds=119))
    assert read.person_id == 7
    assert len(read.token_id) == 16
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.resident_token_read(key=KEY, token=code, at=NOON + dt.timedelta(seconds=120))
    assert refused.value.code == "token_expired"


def test_two_codes_for_one_person_have_different_ids() -> None:
    first = tokens.resident_token_make(key=KEY, person_id=7, at=NOON, lifetime=120)
    second = tokens.resident_token_make(key=KEY, person_id=7, at=NOON, lifetime=120)

    assert (
        tokens.resident_token_read(key=KEY, token=first, at=NOON).token_id
        != tokens.resident_token_read(key=KEY, token=second, at=NOON).token_id
    )


def test_a_venue_code_is_not_a_residents_code() -> None:
    code = tokens.venue_token_make(key=KEY, activity_id=42, at=NOON, period=60)

    with pytest.raises(tokens.TokenRefused):
        tokens.resident_token_read(key=KEY, token=code, at=NOON)
