"""Japanese fiscal years (年度): April 1 to March 31 in Asia/Tokyo. Pure: no ORM, no settings.

FY2025 is 令和7年度: it starts on 2025-04-01 00:00 JST and ends just before 2026-04-01 00:00
JST. An aware datetime in any zone is first converted to Japan time, so 2026-03-31 15:00 UTC
(already 1 April in Japan) belongs to FY2026.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")
FIRST_MONTH = 4

# Eras by the fiscal year of their first 年度. 令和 began on 2019-05-01, and FY2019 is called
# 令和元年度 by the city (the plan counts 令和5年度 = FY2023); 平成 began in January 1989,
# so FY1989 (April 1989) is 平成元年度.
ERAS: tuple[tuple[str, int], ...] = (("令和", 2019), ("平成", 1989))


@dataclass(frozen=True)
class FiscalYear:
    year: int

    @property
    def start(self) -> dt.datetime:
        """The first instant of the year, aware, in Japan time."""
        return dt.datetime(self.year, FIRST_MONTH, 1, tzinfo=JAPAN)

    @property
    def end(self) -> dt.datetime:
        """The first instant of the next year (exclusive bound)."""
        return dt.datetime(self.year + 1, FIRST_MONTH, 1, tzinfo=JAPAN)

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return self.end.date() - dt.timedelta(days=1)

    @property
    def japanese_label(self) -> str:
        """'令和7年度' for FY2025, '令和元年度' for FY2019, '平成30年度' for FY2018."""
        for era, first_year in ERAS:
            if self.year >= first_year:
                number = self.year - first_year + 1
                return f"{era}{'元' if number == 1 else number}年度"
        raise ValueError(f"No era label for fiscal year {self.year}")

    @property
    def label(self) -> str:
        """Both calendars, as certificates and reports print them: '令和7年度（2025年度）'."""
        return f"{self.japanese_label}（{self.year}年度）"

    def contains(self, moment: dt.datetime) -> bool:
        return fiscal_year_of(moment) == self


def fiscal_year_of(moment: dt.datetime) -> FiscalYear:
    """The fiscal year of an aware datetime, judged by the calendar in Japan."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("fiscal_year_of needs an aware datetime")
    local = moment.astimezone(JAPAN)
    return FiscalYear(local.year if local.month >= FIRST_MONTH else local.year - 1)


def fiscal_year_of_date(day: dt.date) -> FiscalYear:
    """The fiscal year of a calendar date in Japan."""
    return FiscalYear(day.year if day.month >= FIRST_MONTH else day.year - 1)
