"""Achievement rates and the on-track flag, for an indicator that should rise and one that
should fall, each below, on and above its target."""

from decimal import Decimal

import pytest

from plan_registry.progress import (
    Assessment,
    Goal,
    Plan,
    Status,
    achievement_rate,
    assess,
    expected_on,
    on_track,
    reached,
)

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


# ② of the 4th plan (FY2020–2024): 98 in FY2018 → 640 in FY2024.
MATCHING = Goal("increase", (2018, Decimal(98)), (2024, Decimal(640)), 2020, 2024)
MATCHING_VALUES = {2020: Decimal(7), 2021: Decimal(11), 2022: Decimal(15), 2023: Decimal(90)}
# IV-3 of the 5th plan (FY2025–2031), lower is better.
LONELY = Goal("decrease", (2023, Decimal("37.4")), (2031, Decimal("25.0")), 2025, 2031)


def test_a_finished_plan_gives_its_final_result_whatever_came_after() -> None:
    after = {**MATCHING_VALUES, 2025: Decimal(700), 2026: Decimal(800)}  # counted on after the end

    final = assess(MATCHING, after, fiscal_year=2026, current_fiscal_year=2026)
    last_year = assess(
        MATCHING, {**MATCHING_VALUES, 2024: Decimal(641)}, fiscal_year=2024, current_fiscal_year=2025
    )

    assert final == Assessment(Status.NOT_ACHIEVED, 2023, Decimal(90), Decimal(-8) / Decimal(542), final=True)
    assert (final.label, final.verdict) == ("未達成", False)
    assert (last_year.status, last_year.fiscal_year, last_year.final) == (Status.ACHIEVED, 2024, True)
    assert last_year.label == "達成"


def test_a_plan_in_its_last_year_is_not_final_until_that_year_is_over() -> None:
    in_its_last_year = assess(MATCHING, {2024: Decimal(300)}, fiscal_year=2024, current_fiscal_year=2024)

    assert (in_its_last_year.status, in_its_last_year.final) == (Status.IN_PROGRESS, False)


def test_the_year_in_progress_has_no_rate_and_no_verdict() -> None:
    far_behind = {2025: Decimal("37.0"), 2026: Decimal("60.0")}

    interim = assess(LONELY, far_behind, fiscal_year=2026, current_fiscal_year=2026)
    closed = assess(LONELY, far_behind, fiscal_year=2025, current_fiscal_year=2026)

    assert interim == Assessment(Status.IN_PROGRESS, 2026, Decimal("60.0"), None, final=False)
    assert (interim.label, interim.verdict) == ("年度途中", None)
    assert (closed.status, closed.verdict) == (Status.BEHIND, False)  # the path expects 34.3 in FY2025
    assert closed.rate == (Decimal("37.0") - Decimal("37.4")) / (Decimal("25.0") - Decimal("37.4"))


@pytest.mark.parametrize(
    ("goal", "values", "year", "status"),
    [
        (LONELY, {}, 2025, Status.NO_VALUE),
        (LONELY, {2027: Decimal(30)}, 2027, Status.NOT_STARTED),  # a year not yet begun
        (
            Goal("increase", None, (2024, Decimal(100)), 2020, 2024),
            {2021: Decimal(45)},
            2021,
            Status.UNSCORED,
        ),
        (
            Goal("increase", None, (2024, Decimal(100)), 2020, 2024),
            {2023: Decimal(45)},
            2025,
            Status.NOT_ACHIEVED,
        ),
        (Goal("increase", None, None, 2025, 2031), {2025: Decimal(45)}, 2025, Status.UNSCORED),
        (MATCHING, {2025: Decimal(999)}, 2025, Status.NO_VALUE),  # nothing within its period
    ],
)
def test_what_a_report_may_say(goal: Goal, values: dict[int, Decimal], year: int, status: Status) -> None:
    assert assess(goal, values, fiscal_year=year, current_fiscal_year=2026).status == status


def test_reaching_a_target_respects_the_direction() -> None:
    assert reached("increase", Decimal(100), Decimal(100))
    assert not reached("increase", Decimal(100), Decimal("99.9"))
    assert reached("decrease", Decimal(25), Decimal("24.9"))
    assert not reached("decrease", Decimal(25), Decimal("25.1"))
