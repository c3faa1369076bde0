"""What events contributes to the plan: trainings held and their verified participants.

熊本市ボランティアセンターによる研修 are the volunteer centre's events that grant a qualification
(ボランティア入門講座, 認知症サポーター養成講座 …); ふくし出前講座 are events of a programme of that
name. Only verified participation counts. A fiscal year runs from 1 April 00:00 in Japan.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.feeds import Feed, FeedRow, counts_by_area, register
from plan_registry.fiscal_year import FiscalYear
from volunteer.models import Organisation

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
