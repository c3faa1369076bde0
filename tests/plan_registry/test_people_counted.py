"""What each value rests on (`counted`, open data's suppression reads it): distinct people or
organisations, never rows — and exactly at every level, also for people counted where they take
part, who may take part in two districts of one ward."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events.models import Activity
from plan_registry.models import Area, IndicatorValue, Programme
from plan_registry.services import feeds_run
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    IndicatorFactory,
    InitiativeFactory,
    MatchDecisionFactory,
    MatchFactory,
    MembershipFactory,
    NeedFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    QualificationTypeFactory,
    UserFactory,
)
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def _indicators() -> None:
    for code in ("KPI4-02", "SYS-14", "SYS-04", "SYS-07", "SYS-08", "SYS-09", "SYS-11"):
        IndicatorFactory(code=code, source="feed")


@pytest.fixture
def sibling(school_district: Area) -> Area:
    """A second school district in the same daily-life area and ward."""
    return AreaFactory(kind=Area.Kind.SCHOOL_DISTRICT, code="chuo-02", parent=school_district.parent)


def counted(code: str, breakdown: str = "") -> dict[str | None, int]:
    rows = IndicatorValue.objects.filter(indicator__code=code, fiscal_year=2025, breakdown=breakdown)
    return {(row.area.code if row.area else None): row.provenance["rows_counted"] for row in rows}


def attended(person: User, district: Area, day: int, **activity: object) -> None:
    starts = dt.datetime(2025, 6, day, 10, tzinfo=JST)
    event = ActivityFactory(
        kind=Activity.Kind.EVENT,
        school_district=district,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        **activity,
    )
    ParticipationFactory(activity=event, person=person, minutes=120, verified_at=event.ends_at)


def test_one_person_active_in_two_districts_is_one_person_in_their_ward(
    school_district: Area, sibling: Area
) -> None:
    person = UserFactory(school_district=school_district)
    attended(person, school_district, 1)
    attended(person, sibling, 2)
    attended(person, sibling, 3)

    feeds_run(fiscal_year=2025)

    assert counted("SYS-04") == {None: 1, "chuo": 1, "chuo-dla-1": 1, "chuo-01": 1, "chuo-02": 1}
    assert counted("SYS-08") == counted("SYS-04")
    assert (
        IndicatorValue.objects.get(indicator__code="SYS-08", fiscal_year=2025, area=None, breakdown="").value
        == 3
    )


def test_trainings_count_their_people_once(school_district: Area, sibling: Area) -> None:
    centre = OrganisationFactory(kind=Organisation.Kind.VOLUNTEER_CENTRE, area=school_district)
    training = {"organisation": centre, "grants_qualification": QualificationTypeFactory()}
    person = UserFactory(school_district=school_district)
    attended(person, school_district, 1, **training)
    attended(person, sibling, 2, **training)

    feeds_run(fiscal_year=2025)

    assert counted("SYS-14") == {None: 1, "chuo": 1, "chuo-dla-1": 1, "chuo-01": 1, "chuo-02": 1}


def test_parts_by_programme_and_initiative_count_their_people(school_district: Area, sibling: Area) -> None:
    initiative = InitiativeFactory(number=3)
    salon, lecture = (ProgrammeFactory(initiative=initiative, position=p) for p in (2, 5))
    both, once = UserFactory(), UserFactory()
    attended(both, school_district, 1, programme=salon)
    attended(both, sibling, 2, programme=lecture)
    attended(once, sibling, 3, programme=lecture)
    attended(once, sibling, 4)

    feeds_run(fiscal_year=2025)

    assert counted("SYS-08", "initiative:3") == {None: 2, "chuo": 2}
    assert counted("SYS-08", "programme:3-2") == {None: 1, "chuo": 1}
    assert counted("SYS-08", "programme:3-5") == {None: 2, "chuo": 2}
    assert counted("SYS-08", "programme:none") == {None: 1, "chuo": 1}
    assert set(Programme.objects.values_list("position", flat=True)) == {2, 5}


def test_a_repeat_rate_rests_on_the_smaller_of_those_who_came_again_and_those_who_came_once(
    school_district: Area,
) -> None:
    people = [UserFactory(school_district=school_district) for _ in range(5)]
    for person in people:
        attended(person, school_district, 1)
    for person in people[:4]:
        attended(person, school_district, 2)

    feeds_run(fiscal_year=2025)

    # 80% of five: the one who came once is a group of one.
    assert counted("SYS-07")[None] == 1


def test_matches_rest_on_those_who_asked_a_resident_or_an_organisation(
    school_district: Area, sibling: Area
) -> None:
    resident = UserFactory(school_district=school_district)
    organisation = OrganisationFactory(area=school_district)
    staff = [UserFactory() for _ in range(2)]
    for member in staff:
        MembershipFactory(user=member, organisation=organisation)
    needs = [
        NeedFactory(requester=resident, school_district=school_district),
        NeedFactory(requester=resident, school_district=sibling),
        *(
            NeedFactory(requester=member, organisation=organisation, school_district=sibling)
            for member in staff
        ),
    ]
    decided = dt.datetime(2025, 6, 1, 10, tzinfo=JST)
    for need in needs:
        match = MatchFactory(need=need, proposed_at=decided, status="confirmed")
        MatchDecisionFactory(match=match, action="confirm", decided_at=decided)

    feeds_run(fiscal_year=2025)

    # Four matches: the resident (in two districts) and the organisation (two staff asked).
    assert counted("KPI4-02") == {None: 2, "chuo": 2, "chuo-dla-1": 2, "chuo-01": 1, "chuo-02": 2}
    assert counted("SYS-09") == counted("KPI4-02")
    assert counted("SYS-11") == counted("KPI4-02")
    assert IndicatorValue.objects.get(indicator__code="KPI4-02", fiscal_year=2025, area=None).value == 4
