"""What matching contributes to the plan: the funnel of matches (proposed, confirmed by staff —
the 4th plan's ② 地域福祉活動へのマッチングを行った件数 — and completed), how long a need waits
for its confirmation, and the residents offering help. Matches count where the need is.

The people a match figure rests on (`counted`, for open data's suppression) are those who asked
for help: the resident behind a need, or the organisation when its staff asked for it. One of
them may ask in two districts, so they are counted level by level (`counted_by_area`).
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import CharField, Count, F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from events.models import Participation
from matching.models import Match, MatchDecision, Offer
from plan_registry.feeds import (
    FeedRow,
    by_total,
    counted_by_area,
    counts_by_area,
    indicator_feed,
    medians_by_area,
    recounted,
)
from plan_registry.fiscal_year import FiscalYear

NEED_DISTRICT = "match__need__school_district"


def asking(need: str) -> Any:
    """Distinct askers behind the rows, the need reached by the lookup `need`: residents asking for
    themselves, and organisations (however many of their staff asked)."""
    for_themselves = Q(**{f"{need}__organisation__isnull": True})
    return Count(f"{need}__requester", distinct=True, filter=for_themselves) + Count(
        f"{need}__organisation", distinct=True
    )


def _matches_by_area(matches: QuerySet[Match]) -> list[FeedRow]:
    return recounted(
        counts_by_area(matches, "need__school_district"),
        by_total(counted_by_area(matches, "need__school_district", asking("need"))),
    )


@indicator_feed(
    "KPI4-02",
    version=2,
    description="職員が確定したマッチングの件数（確定日の年度）",
)
def matches_confirmed(year: FiscalYear) -> list[FeedRow]:
    confirmed = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    ).values("match_id")
    return _matches_by_area(Match.objects.filter(pk__in=confirmed))


@indicator_feed(
    "SYS-09",
    version=2,
    description="提案されたマッチングの件数（提案日の年度）",
)
def matches_proposed(year: FiscalYear) -> list[FeedRow]:
    """Every proposal made in the year, by the engine or by hand, whatever became of it."""
    return _matches_by_area(Match.objects.filter(proposed_at__gte=year.start, proposed_at__lt=year.end))


@indicator_feed(
    "SYS-10",
    version=2,
    description="出席確認まで至ったマッチングの件数（活動日の年度）",
)
def matches_completed(year: FiscalYear) -> list[FeedRow]:
    """Matches whose helper's attendance was verified at an activity of the year: the volunteer
    was registered with the source "match:<id>", and every activity of a need is in its district
    (so the need's district is the activity's)."""
    attended = Participation.objects.filter(
        verified_at__isnull=False,
        source_key__startswith="match:",
        activity__starts_at__gte=year.start,
        activity__starts_at__lt=year.end,
    ).values("source_key")
    # Compared as text, as the participation keeps it: no cast of a key that might not be a number.
    matches = Match.objects.annotate(
        participation_key=Concat(Value("match:"), Cast("pk", CharField()), output_field=CharField())
    ).filter(participation_key__in=attended)
    return _matches_by_area(matches)


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
    "SYS-11",
    version=3,
    description="依頼の登録から職員の確定までの日数（0.1日単位）の中央値（確定日の年度）",
    adds_up=False,
)
def days_to_confirmation(year: FiscalYear) -> list[FeedRow]:
    """The median time from a need's posting to a staff confirmation made in the year, in days,
    each wait counted to a tenth of a day: one query makes a histogram by the need's district,
    which adds up to every area level. Counted: the askers whose waits they are. A median adds
    up to nothing, so open data suppresses it on its own count only."""
    confirmations = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    )
    histogram = (
        confirmations.values(
            district=F(NEED_DISTRICT), tenths=TenthsOfDays("decided_at", "match__need__created_at")
        )
        .annotate(confirmations=Count("pk"))
        .order_by()
    )
    medians = medians_by_area((r["district"], int(r["tenths"]), r["confirmations"]) for r in histogram)
    rows = [
        FeedRow(area, (median / 10).quantize(Decimal("0.1"), ROUND_HALF_UP), size)
        for area, (median, size) in medians.items()
    ]
    return recounted(rows, by_total(counted_by_area(confirmations, NEED_DISTRICT, asking("match__need"))))


@indicator_feed(
    "SYS-01",
    version=2,
    description="「したい」を登録していた住民の数（年度中に有効な登録）",
    unplaced=True,
)
def registered_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with an offer (したい) on record at some time in the year, where they live. Counted:
    the same people."""
    offers = Offer.objects.filter(created_at__lt=year.end, valid_until__gte=year.first_day)
    people = Count("person", distinct=True)
    return counts_by_area(offers, "person__school_district", people, counted=people)
