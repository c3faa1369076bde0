"""How the report writes its figures, as a Japanese official document does (pure: no Django).

Values are stored with three decimals (95.100); a printed figure drops the trailing zeros (95.1),
groups thousands with commas (2,465) and rounds half up (四捨五入), the way the plan prints its
rates. A missing figure is a dash, never "None" or an empty unit ("2018年度 %").
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"
VALUE_PLACES = 3  # the model's decimal_places: nothing stored is lost
RATE_PLACES = 1  # 達成率 to one decimal, as the plan office prints it


def number(value: Decimal | None, *, places: int = VALUE_PLACES) -> str:
    """'2,465' for 2465.000, '95.1' for 95.100, '—' for None."""
    if value is None:
        return DASH
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    # -0.04 rounds to "-0": a sign with nothing behind it would read as a fall.
    return "0" if text == "-0" else text


def quantity(value: Decimal | None, unit: str) -> str:
    """'95.1%', '2,465人'; the dash alone when there is no value (never '— %')."""
    return DASH if value is None else f"{number(value)}{unit}"


def rate(value: Decimal | None) -> str:
    """An achievement rate (1 = the target) in per cent: '56.9%', '100%', '—'."""
    return DASH if value is None else f"{number(value * 100, places=RATE_PLACES)}%"


def fiscal_year(year: int) -> str:
    return f"{year}年度"


def date(day: dt.date) -> str:
    """'2026年12月4日': no zero padding, as a Japanese document writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"
