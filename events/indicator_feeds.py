"""What events contributes to the plan: trainings held and their verified participants.

熊本市ボランティアセンターによる研修 are the volunteer centre's events that grant a qualification
(ボランティア入門講座, 認知症サポーター養成講座 …); ふくし出前講座 are events of a programme of that
name. Only verified participation counts. A fiscal year runs from 1 April 00:00 in Japan.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.feeds import Feed, FeedRow, counts_by_area, register
from plan_registry.fiscal_year import FiscalYear
from volunteer.models import Organisation, User

CENTRE_TRAINING = Q(grants_qualification__isnull=False, organisation__kind=Organisation.Kind.VOLUNTEER_CENTRE)


def _held_in(year: FiscalYear) -> QuerySet[Activity]:
    """Activities of the year that have taken place."""
    return Activity.objects.filter(
        starts_at__gte=year.start, starts_at__lt=year.end, ends_at__lte=timezone.now()
    )


def _verified_in(year: FiscalYear) -> QuerySet[Participation]:
    return Participation.objects.filter(
        verified_at__isnull=False, activity__starts_at__gte=year.start, activity__starts_at__lt=year.end
    )


def trainings_held(year: FiscalYear) -> list[FeedRow]:
    return counts_by_area(_held_in(year).filter(CENTRE_TRAINING), "school_district")


def training_participants(year: FiscalYear) -> list[FeedRow]:
    rows = _verified_in(year).filter(
        activity__grants_qualification__isnull=False,
        activity__organisation__kind=Organisation.Kind.VOLUNTEER_CENTRE,
    )
    return counts_by_area(rows, "activity__school_district")


def outreach_lecture_participants(year: FiscalYear) -> list[FeedRow]:
    rows = _verified_in(year).filter(activity__programme__name__contains="出前講座")
    return counts_by_area(rows, "activity__school_district")


register(
    Feed(
        "events.trainings_held",
        1,
        "KPI4-03",
        "研修（資格を付与するボランティアセンターのイベント）の実施回数",
        trainings_held,
    )
)
register(
    Feed(
        "events.training_participants",
        1,
        "KPI5-I-2",
        "研修の出席確認済みの参加人数（延べ）",
        training_participants,
    )
)
register(
    Feed(
        "events.outreach_lecture_participants",
        1,
        "KPI5-I-3",
        "ふくし出前講座の出席確認済みの受講者数（延べ）",
        outreach_lecture_participants,
    )
)


def active_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with at least one verified activity in the year, where they live."""
    return counts_by_area(_verified_in(year), "person__school_district", Count("person", distinct=True))


def first_time_participants(year: FiscalYear) -> list[FeedRow]:
    """People whose first verified activity ever fell in the year (「地域デビュー」), where they live."""
    firsts = (
        Participation.objects.filter(verified_at__isnull=False)
        .values("person")
        .annotate(first=Min("activity__starts_at"))
        .filter(first__gte=year.start, first__lt=year.end)
        .values("person")
    )
    return counts_by_area(User.objects.filter(pk__in=firsts), "school_district")


def volunteer_hours(year: FiscalYear) -> list[FeedRow]:
    """Verified minutes in the year, as hours rounded half up to a tenth (四捨五入), where the
    activity took place."""
    rows = counts_by_area(_verified_in(year), "activity__school_district", Sum("minutes"))
    tenth = Decimal("0.1")
    return [
        FeedRow(row.area_id, (row.value / 60).quantize(tenth, ROUND_HALF_UP), row.counted) for row in rows
    ]


register(
    Feed(
        "events.active_volunteers",
        1,
        "SYS-02",
        "出席確認済みの活動が年度内に1回以上ある人の数",
        active_volunteers,
    )
)
register(
    Feed(
        "events.first_time_participants",
        1,
        "SYS-03",
        "初めての出席確認済み活動が年度内にあった人の数",
        first_time_participants,
    )
)
register(Feed("events.volunteer_hours", 1, "SYS-04", "出席確認済みの活動時間の合計（時間）", volunteer_hours))
