"""The disclosure-control core on hand-made tables, in milliseconds: which cells the equations
fix exactly, and which cells `protect` hides so that none resting on few people is fixed."""

from decimal import Decimal

from plan_registry.disclosure import Cell, Equation, determined, protect


def cells(**counts: int) -> dict[str, Cell]:
    return {key: Cell(count, Decimal(count)) for key, count in counts.items()}


def terms(*equations: Equation[str]) -> list[list[tuple[str, int]]]:
    return [[(e.whole, 1), *((part, -1) for part in e.parts)] for e in equations]


def test_a_lone_unknown_in_a_sum_is_fixed_and_two_are_not() -> None:
    ward = Equation("ward", ("a", "b", "c"))

    assert determined({"a"}, terms(ward)) == {"a"}
    assert determined({"a", "b"}, terms(ward)) == set()


def test_sums_that_each_leave_two_unknowns_can_fix_them_together() -> None:
    # x + y, x + z and y + z known: x = ((x + y) + (x + z) − (y + z)) / 2, and so on.
    two = terms(Equation("ward", ("x", "y")), Equation("band", ("x", "z")))
    three = [*two, *terms(Equation("other", ("y", "z")))]

    assert determined({"x", "y", "z"}, two) == set()
    assert determined({"x", "y", "z"}, three) == {"x", "y", "z"}


def test_protect_hides_one_more_where_sums_fix_cells_together() -> None:
    table = cells(ward=40, band=13, other=50, x=2, y=38, z=11, w=1)
    equations = [
        Equation("ward", ("x", "y")),
        Equation("band", ("x", "z")),
        Equation("other", ("y", "z", "w")),
    ]

    hidden = protect(table, equations, min_count=10)

    assert {"x", "w"} <= hidden
    assert (
        determined(hidden, [[(e.whole, 1), *((p, -1) for p in e.parts if p in table)] for e in equations])
        & {
            "x",
            "w",
        }
        == set()
    )


def test_a_small_cell_gets_a_complement_and_the_parent_stays() -> None:
    table = cells(ward=25, a=3, b=22)

    assert protect(table, [Equation("ward", ("a", "b"))], min_count=10) == {"a", "b"}


def test_the_complement_is_the_smallest_other_part() -> None:
    table = cells(ward=60, a=3, b=30, c=12, d=15)

    assert protect(table, [Equation("ward", ("a", "b", "c", "d"))], min_count=10) == {"a", "c"}


def test_an_unpublished_remainder_of_many_people_may_shield_and_need_not_be_shielded() -> None:
    table = cells(city=40, ward=30, unplaced=10)

    assert protect(
        table, [Equation("city", ("ward", "unplaced"))], min_count=10, unpublished={"unplaced"}
    ) == {"unplaced"}


def test_an_unpublished_remainder_of_few_people_is_protected_like_any_small_cell() -> None:
    table = cells(city=40, ward=20, other=18, unplaced=2)

    hidden = protect(
        table, [Equation("city", ("ward", "other", "unplaced"))], min_count=10, unpublished={"unplaced"}
    )

    assert hidden == {"unplaced", "other"}


def test_cells_entered_by_hand_are_the_last_chosen_as_complements() -> None:
    table = cells(ward=60, a=3, b=30) | {"survey": Cell(None, Decimal(27))}

    assert protect(table, [Equation("ward", ("a", "b", "survey"))], min_count=10) == {"a", "b"}
