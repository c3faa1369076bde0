"""Achievement rates and the on-track flag, for an indicator that should rise and one that
should fall, each below, on and above its target."""

from decimal import Decimal

import pytest

from plan_registry.progress import Plan, achievement_rate, expected_on, on_track

# I-2 研修の参加人数: 402 in FY2023 → 750 in FY2031 (increase)
TRAINING = Plan("increase", 2023, Decimal(402), 2031, Decimal(750))
# IV-3 孤独感の程度が高い市民の割合: lower is better, e.g. 20.0 % → 15.0 %
LONELINESS = Plan("decrease", 2023, Decimal("20.0"), 2031, Decimal("15.0"))


@pytest.mark.parametrize(
    ("plan", "value", "rate"),
    [
        (TRAINING, Decimal(576), Decimal("0.5")),  # below target: halfway
        (TRAINING, Decimal(750), Decimal(1)),  # on target
        (TRAINING, Decimal(924), Decimal("1.5")),  # above target
        (TRAINING, Decimal(300), Decimal(-102) / Decimal(348)),  # the wrong way
        (LONELINESS, Decimal("17.5"), Decimal("0.5")),  # fell halfway: good
        (LONELINESS, Decimal("15.0"), Decimal(1)),
        (LONELINESS, Decimal("12.5"), Decimal("1.5")),  # fell beyond the target
        (LONELINESS, Decimal("22.5"), Decimal("-0.5")),  # rose: the wrong way
    ],
)
def test_the_rate_respects_the_direction(plan: Plan, value: Decimal, rate: Decimal) -> None:
    assert achievement_rate(plan, value) == rate


def test_no_distance_gives_no_rate() -> None:
    assert achievement_rate(Plan("increase", 2023, Decimal(5), 2031, Decimal(5)), Decimal(6)) is None


def test_the_straight_path_and_the_flag() -> None:
    assert expected_on(TRAINING, 2027) == Decimal(576)
    assert expected_on(TRAINING, 2040) == Decimal(750)  # after the target year: the target
    assert on_track(TRAINING, 2027, Decimal(576))
    assert not on_track(TRAINING, 2027, Decimal(575))
    assert expected_on(LONELINESS, 2027) == Decimal("17.5")
    assert on_track(LONELINESS, 2027, Decimal("17.0"))  # lower than the path: ahead
    assert not on_track(LONELINESS, 2027, Decimal("18.0"))
