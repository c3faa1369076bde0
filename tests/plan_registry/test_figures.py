"""Figures as a Japanese official document writes them: no trailing zeros, thousands grouped,
rounded half up, a dash for none."""

import datetime as dt
from decimal import Decimal

import pytest

from plan_registry import figures


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("95.100"), "95.1"),
        (Decimal("2465.000"), "2,465"),
        (Decimal("600.000"), "600"),
        (Decimal("1234567.250"), "1,234,567.25"),
        (Decimal("0.000"), "0"),
        (Decimal("-1234.500"), "-1,234.5"),
        (Decimal("-0.0004"), "0"),  # rounds to nothing: no sign before it
        (Decimal("0.0005"), "0.001"),  # half up (四捨五入), not to even
        (None, "—"),
    ],
)
def test_numbers(value: Decimal | None, written: str) -> None:
    assert figures.number(value) == written


def test_quantities_rates_years_and_dates() -> None:
    assert figures.quantity(Decimal("95.100"), "%") == "95.1%"
    assert figures.quantity(Decimal("2465"), "人") == "2,465人"
    assert figures.quantity(None, "%") == "—"  # never "— %" or "None%"
    assert figures.rate(Decimal("0.5689655")) == "56.9%"
    assert figures.rate(Decimal(1)) == "100%"
    assert figures.rate(Decimal("-0.01476")) == "-1.5%"
    assert figures.rate(Decimal("0.04999")) == "5%"
    assert figures.rate(None) == "—"
    assert figures.fiscal_year(2025) == "2025年度"
    assert figures.date(dt.date(2026, 4, 1)) == "2026年4月1日"
