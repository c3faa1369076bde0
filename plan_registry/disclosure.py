"""Statistical disclosure control for a published table of counts: which cells to hide so that no
cell resting on fewer than the minimum of people can be read, nor worked out exactly.

A pure core (no ORM): it takes the cells — how many people each rests on, and its value — and the
table's linear equations (`Equation`: a cell is the sum of others plus what everyone knows), and
returns the cells to hide. Primary suppression hides every cell counted on fewer than the minimum.
Complementary suppression then hides more, until none of those can be solved for: first, while an
equation has exactly one hidden cell, it hides the smallest other part (or the whole, if no part
is left); then an exact test (rational Gaussian elimination, `determined`) finds any hidden cell the
equations still pin down in combination — the hierarchy crossed with the breakdowns — and hides,
one at a time, the smallest published cell near it whose hiding frees it, until none is pinned.
Hiding a cell never lets another be solved for that could not be before, so this ends. What it
does not give is a margin: a hidden cell stays within the interval the published cells and
non-negativity imply, which may be narrow (a ward of 12 with two hidden districts tells each is
at most 12).
"""

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    counted: int | None  # people behind it; None: not counted by the system (a survey, a census)
    value: Decimal


@dataclass(frozen=True)
class Equation(Generic[K]):
    """`whole` = sum of `parts` + a constant taken as known. A key that is not a cell of the table
    is a cell known to be zero (a district where nobody took part). What the whole holds beyond
    its parts is that constant — it hides nothing — unless the caller makes it a part of its own,
    an unpublished cell (as open data does for people with no district on record)."""

    whole: K
    parts: tuple[K, ...]


def protect(
    cells: Mapping[K, Cell],
    equations: Iterable[Equation[K]],
    *,
    min_count: int,
    unpublished: Collection[K] = (),
) -> set[K]:
    """The cells to hide: those counted on fewer than `min_count` people, and enough others that
    none of those can be worked out exactly from the published cells. The `unpublished` cells are
    hidden from the start (they take part in the equations but are never shown)."""
    table = _Table(cells, equations)
    sensitive = {key for key, cell in cells.items() if cell.counted is not None and cell.counted < min_count}
    hidden = sensitive | set(unpublished)
    unprotectable: set[K] = set()
    while True:
        table.close_single_unknowns(hidden, may_show=set(unpublished) - sensitive)
        reduced = _Reduced(hidden, table.equations)
        pinned = sorted((reduced.determined() & sensitive) - unprotectable, key=table.order)
        if not pinned:
            return hidden
        shield = table.shield(pinned[0], hidden, reduced)
        if shield is None:
            unprotectable.add(pinned[0])  # every cell it meets is hidden already: nothing more to do
        else:
            hidden.add(shield)


def determined(unknown: Collection[K], equations: Iterable[Sequence[tuple[K, int]]]) -> set[K]:
    """The unknowns the equations fix exactly (each equation: terms (key, coefficient), the other
    keys known)."""
    return _Reduced(unknown, equations).determined()


class _Reduced(Generic[K]):
    """The equations restricted to the unknowns, in reduced row echelon form (exact: rational
    arithmetic on sparse rows), each row with the combination of equations it came from; and the
    combinations that came to nothing (a basis of the dependencies between the equations).

    An unknown is fixed iff its unit vector lies in the row space: iff a row holds it alone.
    """

    def __init__(self, unknown: Collection[K], equations: Iterable[Sequence[tuple[K, int]]]) -> None:
        self.rows: dict[K, tuple[dict[K, Fraction], dict[int, Fraction]]] = {}
        self.dependencies: list[dict[int, Fraction]] = []
        for index, equation in enumerate(equations):
            row: dict[K, Fraction] = {}
            for key, coefficient in equation:
                if key in unknown:
                    row[key] = row.get(key, Fraction(0)) + coefficient
            row = {key: c for key, c in row.items() if c}
            combination = {index: Fraction(1)}
            for pivot in [key for key in row if key in self.rows]:
                factor = row[pivot]  # the pivot rows hold no other pivot: one pass clears them all
                _subtract(row, factor, self.rows[pivot][0])
                _subtract(combination, factor, self.rows[pivot][1])
            if not row:
                self.dependencies.append(combination)
                continue
            pivot = next(iter(row))
            scale = row[pivot]
            row = {key: c / scale for key, c in row.items()}
            combination = {key: c / scale for key, c in combination.items()}
            for other, other_combination in self.rows.values():
                factor = other.get(pivot, Fraction(0))
                if factor:
                    _subtract(other, factor, row)
                    _subtract(other_combination, factor, combination)
            self.rows[pivot] = (row, combination)

    def determined(self) -> set[K]:
        return {pivot for pivot, (row, _combination) in self.rows.items() if len(row) == 1}

    def freed_by(self, fixed: K, column: Mapping[int, int]) -> bool:
        """Whether hiding one more cell (its coefficients in the equations: `column`) would stop
        the equations fixing `fixed`: the combination that gives `fixed` must take in the new
        cell, and no dependency between the equations may give the new cell back."""
        if any(_dot(dependency, column) for dependency in self.dependencies):
            return False
        return bool(_dot(self.rows[fixed][1], column))


H = TypeVar("H", bound=Hashable)


def _subtract(row: dict[H, Fraction], factor: Fraction, other: Mapping[H, Fraction]) -> None:
    for key, coefficient in other.items():
        value = row.get(key, Fraction(0)) - factor * coefficient
        if value:
            row[key] = value
        else:
            row.pop(key, None)


def _dot(combination: Mapping[int, Fraction], column: Mapping[int, int]) -> Fraction:
    return sum((combination.get(index, Fraction(0)) * c for index, c in column.items()), Fraction(0))


class _Table(Generic[K]):
    """The cells, their equations as terms over the cells that exist, and which equations each
    cell is in."""

    def __init__(self, cells: Mapping[K, Cell], equations: Iterable[Equation[K]]) -> None:
        position = {key: index for index, key in enumerate(cells)}
        # Smallest first: fewest people, then the smallest value; cells not counted (entered by
        # hand) last; the table's own order settles ties, so the same table hides the same cells.
        self.order = lambda key: (
            cells[key].counted is None,
            cells[key].counted or 0,
            cells[key].value,
            position[key],
        )
        self.equations: list[list[tuple[K, int]]] = []
        self.wholes: list[K | None] = []
        self.columns: dict[K, dict[int, int]] = {}  # each cell's coefficient in the equations it is in
        for equation in equations:
            terms = [(equation.whole, 1)] if equation.whole in cells else []
            terms += [(part, -1) for part in equation.parts if part in cells]
            if not terms:
                continue
            for key, coefficient in terms:
                column = self.columns.setdefault(key, {})
                column[len(self.equations)] = column.get(len(self.equations), 0) + coefficient
            self.equations.append(terms)
            self.wholes.append(equation.whole if equation.whole in cells else None)

    def neighbours(self, key: K) -> set[K]:
        return {other for index in self.columns.get(key, {}) for other, _c in self.equations[index]}

    def close_single_unknowns(self, hidden: set[K], may_show: Collection[K]) -> None:
        """While an equation has exactly one hidden cell, hide the smallest published part beside
        it, or the whole when no part is left; unless that cell is one that may be worked out
        (never published, but large: the exact test finds any it is needed to protect)."""
        queue = list(range(len(self.equations)))
        while queue:
            index = queue.pop()
            terms = self.equations[index]
            unknown = [key for key, _c in terms if key in hidden]
            if len(unknown) != 1 or unknown[0] in may_show:
                continue
            whole = self.wholes[index]
            parts = sorted((key for key, _c in terms if key != whole and key not in hidden), key=self.order)
            candidates = parts or ([whole] if whole is not None and whole not in hidden else [])
            if candidates:
                hidden.add(candidates[0])
                queue.extend(self.columns[candidates[0]])

    def shield(self, key: K, hidden: set[K], reduced: _Reduced[K]) -> K | None:
        """The cell to hide next for `key`, which the equations fix: the smallest published cell
        whose hiding alone frees it, nearest first (sharing an equation with it, then with the
        hidden cells it is tied to); failing one, the smallest published cell nearest to it."""
        seen, frontier = {key}, [key]
        nearest: K | None = None
        while frontier:
            near = {other for cell in frontier for other in self.neighbours(cell)} - seen
            published = sorted((other for other in near if other not in hidden), key=self.order)
            for candidate in published:
                if reduced.freed_by(key, self.columns[candidate]):
                    return candidate
            if nearest is None and published:
                nearest = published[0]
            seen |= near
            frontier = sorted(near, key=self.order)
        return nearest
