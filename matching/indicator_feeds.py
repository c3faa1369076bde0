"""What matching contributes to the plan: the funnel of matches (proposed, confirmed by staff —
the 4th plan's ② 地域福祉活動へのマッチングを行った件数 — and completed), how long a need waits
for its confirmation, and the residents offering help. Matches count where the need is."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from events.models import Participation
from matching.models import Match, MatchDecision, Offer
from plan_registry.feeds import (
    DistrictCount,
    Feed,
    FeedRow,
    counts_by_area,
    register,
    roll_up,
    rows_of,
)
from plan_registry.fiscal_year import FiscalYear

NEED_DISTRICT = "match__need__school_district"
DAY_SECONDS = Decimal(86400)


def matches_confirmed(year: FiscalYear) -> list[FeedRow]:
    confirmed = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    ).values("match_id")
    return counts_by_area(Match.objects.filter(pk__in=confirmed), "need__school_district")


def matches_proposed(year: FiscalYear) -> list[FeedRow]:
    """Every proposal made in the year, by the engine or by hand, whatever became of it."""
    return counts_by_area(
        Match.objects.filter(proposed_at__gte=year.start, proposed_at__lt=year.end), "need__school_district"
    )


def matches_completed(year: FiscalYear) -> list[FeedRow]:
    """Matches whose helper's attendance was verified at an activity of the year: the volunteer
    was registered with the source "match:<id>", and every activity of a need is in its district."""
    rows = (
        Participation.objects.filter(
            verified_at__isnull=False,
            source_key__startswith="match:",
            activity__starts_at__gte=year.start,
            activity__starts_at__lt=year.end,
        )
        .values(district=F("activity__school_district"))
        .annotate(matches=Count("source_key", distinct=True))
        .order_by()
    )
    return rows_of(roll_up(DistrictCount(r["district"], Decimal(r["matches"]), r["matches"]) for r in rows))


def days_to_confirmation(year: FiscalYear) -> list[FeedRow]:
    """The median time from a need's posting to a staff confirmation made in the year, in days
    to one decimal; for each area level, one query whose window numbers the waits in order."""
    confirmations = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    ).annotate(waited=F("decided_at") - F("match__need__created_at"))
    result = [_medians(confirmations, None)]
    for level in (f"{NEED_DISTRICT}__parent__parent", f"{NEED_DISTRICT}__parent", NEED_DISTRICT):
        result.append(_medians(confirmations, level))
    return [row for rows in result for row in rows]


def _medians(confirmations: Any, level: str | None) -> list[FeedRow]:
    partition = [F(level)] if level else []
    ranked = confirmations.annotate(
        area=F(level) if level else F("pk") * 0,
        position=Window(RowNumber(), partition_by=partition, order_by=[F("waited").asc(), F("pk").asc()]),
        size=Window(Count("pk"), partition_by=partition),
    )
    # The middle one (odd sizes) or two (even sizes): positions ⌊(n+1)/2⌋ and ⌊(n+2)/2⌋.
    middle = ranked.filter(Q(position=(F("size") + 1) / 2) | Q(position=(F("size") + 2) / 2))
    waits: dict[Any, list[Any]] = {}
    sizes: dict[Any, int] = {}
    for row in middle.values("area", "waited", "size"):
        waits.setdefault(row["area"], []).append(row["waited"])
        sizes[row["area"]] = row["size"]
    return [
        FeedRow(
            area if level else None,
            (Decimal(sum(w.total_seconds() for w in pair) / len(pair)) / DAY_SECONDS).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            ),
            sizes[area],
        )
        for area, pair in waits.items()
        if area is not None
    ]


register(
    Feed(
        "matching.matches_confirmed",
        1,
        "KPI4-02",
        "職員が確定したマッチングの件数（確定日の年度）",
        matches_confirmed,
    )
)
register(
    Feed(
        "matching.matches_proposed",
        1,
        "SYS-09",
        "提案されたマッチングの件数（提案日の年度）",
        matches_proposed,
    )
)
register(
    Feed(
        "matching.matches_completed",
        1,
        "SYS-10",
        "出席確認まで至ったマッチングの件数（活動日の年度）",
        matches_completed,
    )
)
register(
    Feed(
        "matching.days_to_confirmation",
        1,
        "SYS-11",
        "依頼の登録から職員の確定までの日数の中央値（確定日の年度）",
        days_to_confirmation,
    )
)


def registered_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with an offer (したい) on record at some time in the year, where they live."""
    offers = Offer.objects.filter(created_at__lt=year.end, valid_until__gte=year.first_day)
    return counts_by_area(offers, "person__school_district", Count("person", distinct=True))


register(
    Feed(
        "matching.registered_volunteers",
        2,
        "SYS-01",
        "「したい」を登録していた住民の数（年度中に有効な登録）",
        registered_volunteers,
    )
)
