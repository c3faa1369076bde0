"""What points contributes to the plan: くまもとポイント issued (awards less their reversals) and
spent (rewards and donations approved), and activity certificates issued, each counted where
the resident lives (the feeds of events count activities where they take place). Each value rests
on the residents behind it (`counted`, for open data's suppression), never on ledger rows: one
resident with a dozen awards is one person. Each lives in one district, so they add up the tree.
"""

from django.db.models import Count, Sum

from plan_registry.feeds import FeedRow, counts_by_area, indicator_feed
from plan_registry.fiscal_year import FiscalYear
from points.models import Account, Certificate, Entry, LedgerTransaction, Redemption

CITY_SCHEME = "kumamoto"


@indicator_feed(
    "SYS-05",
    version=4,
    description="付与したくまもとポイント（取消を差し引いた数、付与日の年度、住所の地域）",
    unplaced=True,
)
def points_issued(year: FiscalYear) -> list[FeedRow]:
    entries = Entry.objects.filter(
        account__kind=Account.Kind.RESIDENT,
        account__scheme__code=CITY_SCHEME,
        transaction__kind__in=[LedgerTransaction.Kind.AWARD, LedgerTransaction.Kind.REVERSAL],
        transaction__participation__isnull=False,
        transaction__created_at__gte=year.start,
        transaction__created_at__lt=year.end,
    )
    return counts_by_area(
        entries, "account__owner__school_district", Sum("amount"), Count("account__owner", distinct=True)
    )


@indicator_feed(
    "SYS-12",
    version=2,
    description="交換・寄付が承認されたくまもとポイント（承認日の年度、住所の地域）",
    unplaced=True,
)
def points_redeemed(year: FiscalYear) -> list[FeedRow]:
    approved = Redemption.objects.filter(
        status=Redemption.Status.APPROVED,
        reward__scheme__code=CITY_SCHEME,
        decided_at__gte=year.start,
        decided_at__lt=year.end,
    )
    return counts_by_area(approved, "person__school_district", Sum("amount"), Count("person", distinct=True))


@indicator_feed(
    "SYS-06",
    version=2,
    description="発行した活動証明書の数（取り消されたものを除く）",
    unplaced=True,
)
def certificates_issued(year: FiscalYear) -> list[FeedRow]:
    issued = Certificate.objects.filter(
        issued_at__gte=year.start, issued_at__lt=year.end, revoked_at__isnull=True
    )
    return counts_by_area(issued, "person__school_district", counted=Count("person", distinct=True))
