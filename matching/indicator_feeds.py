"""What matching contributes to the plan: the funnel of matches (proposed, confirmed by staff —
the 4th plan's ② 地域福祉活動へのマッチングを行った件数 — and completed), how long a need waits
for its confirmation, and the residents offering help. Matches count where the need is."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Func, IntegerField

from events.models import Participation
from matching.models import Match, MatchDecision, Offer
from plan_registry.feeds import (
    FeedRow,
    counts_by_area,
    indicator_feed,
    medians_by_area,
)
from plan_registry.fiscal_year import FiscalYear

NEED_DISTRICT = "match__need__school_district"


@indicator_feed(
    "KPI4-02",
    version=1,
    description="職員が確定したマッチングの件数（確定日の年度）",
)
def matches_confirmed(year: FiscalYear) -> list[FeedRow]:
    confirmed = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    ).values("match_id")
    return counts_by_area(Match.objects.filter(pk__in=confirmed), "need__school_district")


@indicator_feed(
    "SYS-09",
    version=1,
    description="提案されたマッチングの件数（提案日の年度）",
)
def matches_proposed(year: FiscalYear) -> list[FeedRow]:
    """Every proposal made in the year, by the engine or by hand, whatever became of it."""
    return counts_by_area(
        Match.objects.filter(proposed_at__gte=year.start, proposed_at__lt=year.end), "need__school_district"
    )


@indicator_feed(
    "SYS-10",
    version=1,
    description="出席確認まで至ったマッチングの件数（活動日の年度）",
)
def matches_completed(year: FiscalYear) -> list[FeedRow]:
    """Matches whose helper's attendance was verified at an activity of the year: the volunteer
    was registered with the source "match:<id>", and every activity of a need is in its district."""
    attended = Participation.objects.filter(
        verified_at__isnull=False,
        source_key__startswith="match:",
        activity__starts_at__gte=year.start,
        activity__starts_at__lt=year.end,
    )
    matches = Count("source_key", distinct=True)
    return counts_by_area(attended, "activity__school_district", matches, counted=matches)


class TenthsOfDays(Func):
    """Whole tenths of a day between two datetimes, rounded (each wait is counted to the
    precision the indicator prints)."""

    output_field = IntegerField()
    arity = 2

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="ROUND(EXTRACT(EPOCH FROM (%(expressions)s)) / 8640)",
            arg_joiner=" - ",
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 10) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


@indicator_feed(
    "SYS-11", version=2, description="依頼の登録から職員の確定までの日数（0.1日単位）の中央値（確定日の年度）"
)
def days_to_confirmation(year: FiscalYear) -> list[FeedRow]:
    """The median time from a need's posting to a staff confirmation made in the year, in days,
    each wait counted to a tenth of a day: one query makes a histogram by the need's district,
    which adds up to every area level."""
    histogram = (
        MatchDecision.objects.filter(
            action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
        )
        .values(district=F(NEED_DISTRICT), tenths=TenthsOfDays("decided_at", "match__need__created_at"))
        .annotate(confirmations=Count("pk"))
        .order_by()
    )
    medians = medians_by_area((r["district"], int(r["tenths"]), r["confirmations"]) for r in histogram)
    return [
        FeedRow(area, (median / 10).quantize(Decimal("0.1"), ROUND_HALF_UP), size)
        for area, (median, size) in medians.items()
    ]


@indicator_feed(
    "SYS-01",
    version=2,
    description="「したい」を登録していた住民の数（年度中に有効な登録）",
)
def registered_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with an offer (したい) on record at some time in the year, where they live."""
    offers = Offer.objects.filter(created_at__lt=year.end, valid_until__gte=year.first_day)
    people = Count("person", distinct=True)
    return counts_by_area(offers, "person__school_district", people, counted=people)
