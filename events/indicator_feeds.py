"""What events contributes to the plan: trainings held, their verified participants, and who
takes part (active volunteers by age band, first-timers, repeaters, hours, participation by
initiative and programme, and the app's own measure beside the survey's II-2).

熊本市ボランティアセンターによる研修 are the volunteer centre's events that grant a qualification
(ボランティア入門講座, 認知症サポーター養成講座 …); ふくし出前講座 are the events of the plan's programme
ふくし出前講座の強化 only (the city's general 出前講座 and the 空き家 one are other programmes).
Only verified participation counts, in the fiscal year of the activity's start (1 April 00:00 in
Japan). Two passes serve every feed here, each computed once per run: the year's
verified participations aggregated by where the activity took place (`_by_activity`), and the
people who took part aggregated by where they live and their age band (`_by_person`).

Every value says how many people it rests on (`counted`, for open data's suppression): the
people who took part, never their visits. People grouped where they live add up the tree; people
grouped where the activity took place are counted level by level (`counted_by_area`), since one
person active in two districts is one person in their ward.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.feeds import (
    DistrictCount,
    FeedRow,
    SumOfParts,
    breakdown_rows,
    by_total,
    counted_by_area,
    counted_by_ward_and_part,
    counts_by_area,
    indicator_feed,
    partition,
    percentage,
    recounted,
    roll_up,
    rows_of,
    shared,
)
from plan_registry.fiscal_year import FiscalYear
from plan_registry.models import IndicatorValue, Programme
from volunteer.models import Organisation, User

CENTRE_TRAINING = Q(grants_qualification__isnull=False, organisation__kind=Organisation.Kind.VOLUNTEER_CENTRE)
ACTIVITY_DISTRICT = "activity__school_district"
PEOPLE = Count("person", distinct=True)
# KPI5-I-3 (ふくし出前講座の受講者数) measures this programme of the plan, and no other 出前講座.
OUTREACH_PROGRAMME = "ふくし出前講座の強化"
POPULATION = "POP-01"
# Age on the fiscal year's first day (as a school year counts it): (key, label, youngest age).
AGE_BANDS = (
    ("75-", "75歳以上", 75),
    ("65-74", "65〜74歳", 65),
    ("40-64", "40〜64歳", 40),
    ("20-39", "20〜39歳", 20),
    ("0-19", "19歳以下", 0),
)
AGE_UNKNOWN = ("unknown", "生年月日の登録なし")


@dataclass(frozen=True)
class ActivityGroup:
    """Verified participations of the year at one school district, programme and kind."""

    district_id: int
    programme_id: int | None
    training: bool
    participations: int
    minutes: int


@dataclass(frozen=True)
class PersonGroup:
    """People with a verified activity in the year, living in one district, in one age band."""

    district_id: int | None
    band: str
    people: int
    repeaters: int  # two or more verified activities in the year
    newcomers: int  # their first verified activity ever was in the year


def _held_in(year: FiscalYear) -> QuerySet[Activity]:
    """Activities of the year that have taken place."""
    return Activity.objects.filter(
        starts_at__gte=year.start, starts_at__lt=year.end, ends_at__lte=timezone.now()
    )


def _by_activity(year: FiscalYear) -> list[ActivityGroup]:
    training = ExpressionWrapper(
        Q(activity__grants_qualification__isnull=False)
        & Q(activity__organisation__kind=Organisation.Kind.VOLUNTEER_CENTRE),
        output_field=BooleanField(),
    )
    rows = (
        Participation.objects.filter(
            verified_at__isnull=False, activity__starts_at__gte=year.start, activity__starts_at__lt=year.end
        )
        .values(
            district=F("activity__school_district"), programme=F("activity__programme"), training=training
        )
        .annotate(participations=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    )
    return [
        ActivityGroup(
            row["district"],
            row["programme"],
            bool(row["training"]),
            row["participations"],
            row["minutes"] or 0,
        )
        for row in rows
    ]


def _by_person(year: FiscalYear) -> list[PersonGroup]:
    """One SQL statement: each person's verified activities up to the year's end (how many in
    the year, and the first ever), then people grouped by home district and age band."""
    ops = connection.ops
    params: dict[str, Any] = {
        "start": ops.adapt_datetimefield_value(year.start),
        "end": ops.adapt_datetimefield_value(year.end),
    }
    bands = []
    for key, _label, youngest in AGE_BANDS[:-1]:
        params[f"born_{youngest}"] = ops.adapt_datefield_value(year.first_day - relativedelta(years=youngest))
        bands.append(f"WHEN u.birth_date <= %(born_{youngest})s THEN '{key}'")
    sql = f"""
        SELECT u.school_district_id, CASE WHEN u.birth_date IS NULL THEN '{AGE_UNKNOWN[0]}'
               {" ".join(bands)} ELSE '{AGE_BANDS[-1][0]}' END AS band,
            COUNT(*), SUM(CASE WHEN s.n >= 2 THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.first_at >= %(start)s THEN 1 ELSE 0 END)
        FROM (
            SELECT p.person_id, SUM(CASE WHEN a.starts_at >= %(start)s THEN 1 ELSE 0 END) AS n,
                MIN(a.starts_at) AS first_at
            FROM {Participation._meta.db_table} p JOIN {Activity._meta.db_table} a ON a.id = p.activity_id
            WHERE p.verified_at IS NOT NULL AND a.starts_at < %(end)s
            GROUP BY p.person_id
        ) s JOIN {User._meta.db_table} u ON u.id = s.person_id
        WHERE s.n > 0
        GROUP BY u.school_district_id, band
    """  # noqa: S608  (only table names and fixed band keys are interpolated; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            PersonGroup(d, band, people, repeaters, newcomers)
            for d, band, people, repeaters, newcomers in cursor
        ]


def activity_groups(year: FiscalYear) -> list[ActivityGroup]:
    return shared(("events.by_activity", year.year), lambda: _by_activity(year))


def person_groups(year: FiscalYear) -> list[PersonGroup]:
    return shared(("events.by_person", year.year), lambda: _by_person(year))


def _participations(groups: Iterable[ActivityGroup]) -> list[DistrictCount]:
    return [DistrictCount(g.district_id, Decimal(g.participations), g.participations) for g in groups]


def _people(groups: Iterable[PersonGroup], measure: str = "people") -> list[DistrictCount]:
    """People of one kind (all, repeaters, newcomers) where they live: the value and the people
    it rests on are the same count."""
    return [DistrictCount(g.district_id, Decimal(getattr(g, measure)), getattr(g, measure)) for g in groups]


def _verified(year: FiscalYear) -> QuerySet[Participation]:
    """Verified participations at activities of the year: the rows `_by_activity` aggregates."""
    return Participation.objects.filter(
        verified_at__isnull=False, activity__starts_at__gte=year.start, activity__starts_at__lt=year.end
    )


def people_where_active(year: FiscalYear) -> dict[tuple[int | None, str], int]:
    """People with a verified participation of the year, where the activity took place."""
    return shared(
        ("events.people_where_active", year.year),
        lambda: by_total(counted_by_area(_verified(year), ACTIVITY_DISTRICT, PEOPLE)),
    )


@indicator_feed(
    "KPI4-03", version=1, description="研修（資格を付与するボランティアセンターのイベント）の実施回数"
)
def trainings_held(year: FiscalYear) -> list[FeedRow]:
    """Counted: the trainings themselves. Their organiser is the volunteer centre in every cell
    (counting organisers would hide them all), and a training held is a public event, not a
    person; counting the events keeps the rule on the cautious side all the same."""
    return counts_by_area(_held_in(year).filter(CENTRE_TRAINING), "school_district")


def _outreach_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(name=OUTREACH_PROGRAMME)


def _outreach_parts(keys: Collection[str]) -> Iterable[SumOfParts]:
    """The lectures' participations are SYS-08's parts for those programmes, counted twice over."""
    programmes = _outreach_programmes().select_related("initiative")
    parts = (f"programme:{p.initiative.number}-{p.position}" for p in programmes)
    return (SumOfParts("", tuple(sorted(parts)), indicator="SYS-08"),)


@indicator_feed(
    "SYS-14",
    version=3,
    description="研修の出席確認済みの参加人数（延べ）",
)
def training_participants(year: FiscalYear) -> list[FeedRow]:
    """Counted: the people who attended a training in the area."""
    trained = _verified(year).filter(
        activity__grants_qualification__isnull=False,
        activity__organisation__kind=Organisation.Kind.VOLUNTEER_CENTRE,
    )
    rows = rows_of(roll_up(_participations(g for g in activity_groups(year) if g.training)))
    return recounted(rows, by_total(counted_by_area(trained, ACTIVITY_DISTRICT, PEOPLE)))


@indicator_feed(
    "SYS-15",
    version=4,
    description="ふくし出前講座の出席確認済みの受講者数（延べ）",
    sums=_outreach_parts,
)
def outreach_lecture_participants(year: FiscalYear) -> list[FeedRow]:
    """Counted: the people who attended a lecture in the area."""
    outreach = set(_outreach_programmes().values_list("pk", flat=True))
    rows = rows_of(roll_up(_participations(g for g in activity_groups(year) if g.programme_id in outreach)))
    attended = _verified(year).filter(activity__programme__in=outreach)
    return recounted(rows, by_total(counted_by_area(attended, ACTIVITY_DISTRICT, PEOPLE)))


@indicator_feed(
    "SYS-04",
    version=2,
    description="出席確認済みの活動時間の合計（時間）",
)
def volunteer_hours(year: FiscalYear) -> list[FeedRow]:
    """Verified minutes as hours rounded half up to a tenth (四捨五入), where the activity took
    place. Counted: the people whose hours they are. The rounded hours of an area are within a
    rounding of the sum of its parts', so open data treats them as adding up."""
    minutes = roll_up(
        DistrictCount(g.district_id, Decimal(g.minutes), g.participations) for g in activity_groups(year)
    )
    rows = [
        FeedRow(area, (total.value / 60).quantize(Decimal("0.1"), ROUND_HALF_UP), total.counted)
        for area, total in minutes.items()
    ]
    return recounted(rows, people_where_active(year))


def _participation_parts(keys: Collection[str]) -> Iterable[SumOfParts]:
    """Each participation is in one programme or none, each programme in one initiative: the
    programmes (with "none") partition the total, and so do the initiatives with "none"; each
    initiative is the sum of its programmes."""
    programmes = sorted(key for key in keys if key.startswith("programme:"))
    initiatives = sorted(key for key in keys if key.startswith("initiative:"))
    yield SumOfParts("", tuple(programmes))
    yield SumOfParts("", (*initiatives, "programme:none"))
    for initiative in initiatives:
        number = initiative.removeprefix("initiative:")
        yield SumOfParts(
            initiative, tuple(key for key in programmes if key.startswith(f"programme:{number}-"))
        )


@indicator_feed(
    "SYS-08",
    version=2,
    description="出席確認済みの参加の延べ数（活動の場所で、取組・事業別の内訳は市と区）",
    sums=_participation_parts,
)
def participations(year: FiscalYear) -> list[FeedRow]:
    """Verified participations where the activity took place, with their parts by initiative and
    by programme for the city and each ward. Counted: the people who took part, in the area (and
    in the programme or initiative)."""
    by_programme: dict[tuple[int, int | None], int] = {}  # the pass's groups with kinds folded
    by_district: dict[int, int] = {}
    for group in activity_groups(year):
        key = (group.district_id, group.programme_id)
        by_programme[key] = by_programme.get(key, 0) + group.participations
        by_district[group.district_id] = by_district.get(group.district_id, 0) + group.participations
    labels: dict[int | None, list[tuple[str, str]]] = {None: [("programme:none", "事業の指定なし")]}
    for programme in Programme.objects.select_related("initiative").filter(
        pk__in={programme for _district, programme in by_programme}
    ):
        number = programme.initiative.number
        labels[programme.pk] = [
            (f"initiative:{number}", f"取組{number} {programme.initiative.title}"),
            (f"programme:{number}-{programme.position}", programme.name),
        ]
    parts: list[tuple[str, str, DistrictCount]] = []
    for (district, programme_id), count in by_programme.items():
        total = DistrictCount(district, Decimal(count), count)
        parts.extend((key, label, total) for key, label in labels.get(programme_id, labels[None]))
    totals = roll_up(
        DistrictCount(district, Decimal(count), count) for district, count in by_district.items()
    )
    return recounted(rows_of(totals), people_where_active(year)) + recounted(
        breakdown_rows(parts), _people_by_part(year, labels)
    )


def _people_by_part(
    year: FiscalYear, labels: dict[int | None, list[tuple[str, str]]]
) -> dict[tuple[int | None, str], int]:
    """People who took part in each programme and each initiative, in the city and each ward."""
    counted: dict[tuple[int | None, str], int] = {}
    verified = _verified(year)
    for (programme, area), count in counted_by_ward_and_part(
        verified, ACTIVITY_DISTRICT, PEOPLE, "activity__programme"
    ).items():
        if programme in labels:  # every programme of the year's participations has its labels
            counted[area, labels[programme][-1][0]] = count
    for (number, area), count in counted_by_ward_and_part(
        verified, ACTIVITY_DISTRICT, PEOPLE, "activity__programme__initiative__number"
    ).items():
        if number is not None:
            counted[area, f"initiative:{number}"] = count
    return counted


@indicator_feed(
    "SYS-02",
    version=2,
    description="出席確認済みの活動が年度内に1回以上ある人の数（住所の地域で、年齢層別の内訳は市と区）",
    sums=partition("age:"),
    unplaced=True,
)
def active_volunteers(year: FiscalYear) -> list[FeedRow]:
    """People with at least one verified activity in the year, where they live, with their age
    bands for the city and each ward (each person in one band, "unknown" included). Counted: the
    same people."""
    groups = person_groups(year)
    labels = {key: label for key, label, _youngest in AGE_BANDS} | {AGE_UNKNOWN[0]: AGE_UNKNOWN[1]}
    bands = (
        (f"age:{g.band}", labels[g.band], count) for g, count in zip(groups, _people(groups), strict=True)
    )
    return rows_of(roll_up(_people(groups))) + breakdown_rows(bands)


@indicator_feed(
    "SYS-03",
    version=2,
    description="初めての出席確認済み活動が年度内にあった人の数",
    unplaced=True,
)
def first_time_participants(year: FiscalYear) -> list[FeedRow]:
    """People whose first verified activity ever fell in the year (「地域デビュー」), where they
    live. Counted: the first-timers themselves, not everyone active."""
    return rows_of(roll_up(_people(person_groups(year), "newcomers")))


@indicator_feed(
    "SYS-07",
    version=2,
    description="年度内に活動した人のうち2回以上活動した人の割合（%）",
)
def repeat_rate(year: FiscalYear) -> list[FeedRow]:
    """Of the people active in the year, the share with two or more verified activities. With
    SYS-02's count of the active, published too, the rate gives back how many came again and how
    many came once: counted is the smaller of those two groups, and open data protects the rates
    as the table of repeaters they reveal (which adds up). That smaller group does not add up, so
    the repeaters with no district on record are taken as known (`unplaced` left off): cautious."""
    groups = person_groups(year)
    people, repeaters = roll_up(_people(groups)), roll_up(_people(groups, "repeaters"))
    return [
        FeedRow(
            area,
            percentage(repeaters[area].value, total.value),
            min(repeaters[area].counted, total.counted - repeaters[area].counted),
        )
        for area, total in people.items()
    ]


@indicator_feed(
    "SYS-13",
    version=1,
    description="出席確認済みの活動がある人÷人口（POP-01）（%、II-2の参考値）",
    adds_up=False,
    suppressed_with="SYS-02",
)
def participation_rate_proxy(year: FiscalYear) -> list[FeedRow]:
    """II-2 地域活動に参加した市民の割合 as the app sees it: people with a verified activity in
    the year ÷ the population the plan office entered for the area (the year's, or the latest
    before it). Areas without a population on record get no value. Counted: the active people;
    times the published population the rate gives SYS-02's count back, so open data hides it
    wherever it hides that count."""
    people = roll_up(_people(person_groups(year)))
    population: dict[int | None, Decimal] = {}
    for value in IndicatorValue.objects.filter(
        indicator__code=POPULATION, breakdown="", fiscal_year__lte=year.year
    ).order_by("fiscal_year"):
        population[value.area_id] = value.value  # later years overwrite earlier ones
    nobody = DistrictCount(None, Decimal(0), 0)
    return [
        FeedRow(
            area, percentage(people.get(area, nobody).value, inhabitants), people.get(area, nobody).counted
        )
        for area, inhabitants in population.items()
        if inhabitants > 0
    ]
