"""What matching contributes to the plan: matches confirmed by staff in the fiscal year (the 4th
plan's ② 地域福祉活動へのマッチングを行った件数), counted where the need is."""

from django.db.models import Count

from matching.models import Match, MatchDecision, Offer
from plan_registry.feeds import Feed, FeedRow, counts_by_area, register
from plan_registry.fiscal_year import FiscalYear


def matches_confirmed(year: FiscalYear) -> list[FeedRow]:
    confirmed = MatchDecision.objects.filter(
        action=MatchDecision.Action.CONFIRM, decided_at__gte=year.start, decided_at__lt=year.end
    ).values("match_id")
    return counts_by_area(Match.objects.filter(pk__in=confirmed), "need__school_district")


register(
    Feed(
        "matching.matches_confirmed",
        1,
        "KPI4-02",
        "職員が確定したマッチングの件数（確定日の年度）",
        matches_confirmed,
    )
)


def registered_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with an offer (したい) on record at some time in the year, where they offer."""
    offers = Offer.objects.filter(created_at__lt=year.end, valid_until__gte=year.first_day)
    return counts_by_area(offers, "school_district", Count("person", distinct=True))


register(
    Feed(
        "matching.registered_volunteers",
        1,
        "SYS-01",
        "「したい」を登録していた住民の数（年度中に有効な登録）",
        registered_volunteers,
    )
)
