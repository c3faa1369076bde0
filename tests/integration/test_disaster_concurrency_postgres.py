"""What disaster mode's receptions guarantee under real concurrency on PostgreSQL: many scanning
devices at one shelter or one volunteer centre door, each its own connection, released together.
The household row lock and the centre row lock (with the unique constraints behind them) must keep
one household in one stay, one volunteer in one reception a day, and a day's receptions within its
quota; the headcounts must stay equal to the rows."""

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils import timezone

from disaster import errors, services
from disaster.models import (
    AgeGroup,
    CallUp,
    CentreReception,
    Disaster,
    Evacuee,
    Household,
    Shelter,
    ShelterStay,
    VolunteerCentre,
)
from disaster.selectors import headcounts
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.factories import (
    CallUpFactory,
    CentreRegistrationFactory,
    DisasterFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    QualificationFactory,
    QualificationTypeFactory,
    ShelterFactory,
    StaffRoleFactory,
    UserFactory,
    VolunteerCentreFactory,
)
from volunteer.models import QualificationType, StaffRole, User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DEVICES = 8


def race(count: int, work: Callable[[int], Any], meanwhile: Callable[[], None] = lambda: None) -> list[Any]:
    """`work(i)` in `count` threads released together; each result or raised exception.
    `meanwhile` runs in this thread once they are started."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    meanwhile()
    for thread in threads:
        thread.join()
    return results


@contextmanager
def row_held(model: type[models.Model], pk: int) -> Iterator[Callable[[], None]]:
    """Another connection holds the row's lock until the function yielded is called (or the block
    ends): whoever waits for it has already made every check taken before the lock."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                model._default_manager.select_for_update().get(pk=pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    try:
        yield release.set
    finally:
        release.set()
        holder.join()


def released_once_waiting(release: Callable[[], None], count: int) -> Callable[[], None]:
    """Releases the held lock once `count` connections wait for a lock (or after ten seconds)."""

    def wait_then_release() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0] >= count:
                    break
            time.sleep(0.02)
        release()

    return wait_then_release


@pytest.fixture
def disaster(ward: Area) -> Disaster:
    return DisasterFactory.create(wards=[ward])


@pytest.fixture
def shelter(school_district: Area, disaster: Disaster) -> Shelter:
    return ShelterFactory.create(
        school_district=school_district, status=Shelter.Status.OPEN, disaster=disaster
    )


@pytest.fixture
def shelter_staff(ward: Area) -> User:
    user = UserFactory.create(display_name="避難所 花子")
    StaffRoleFactory.create(user=user, role=StaffRole.Role.SHELTER_STAFF, areas=[ward])
    return user


@pytest.fixture
def centre_staff(ward: Area) -> User:
    user = UserFactory.create(display_name="災害VC 次郎")
    StaffRoleFactory.create(user=user, role=StaffRole.Role.CENTRE_STAFF, areas=[ward])
    return user


@pytest.fixture
def insurance() -> QualificationType:
    """The insurance type; a transactional test starts with the catalogue emptied."""
    return QualificationTypeFactory.create(code=settings.DISASTER_INSURANCE_CODE, kind="insurance")


# --- shelters -------------------------------------------------------------------------------------


def _household(school_district: Area, members: int) -> User:
    head = UserFactory.create(school_district=school_district)
    household = HouseholdFactory.create(head=head)
    for _ in range(members):
        HouseholdMemberFactory.create(household=household, age_group=AgeGroup.CHILD)
    return head


def _shelter_receive(shelter_id: int, staff_id: int, reception: services.Reception) -> Any:
    """One device's request: its own rows read on its own connection, as a view would."""
    shelter = Shelter.objects.select_related("disaster").get(pk=shelter_id)
    return services.shelter_receive(shelter=shelter, staff=User.objects.get(pk=staff_id), reception=reception)


def _reception(head: User, reception_id: uuid.UUID | None = None) -> services.Reception:
    now = timezone.now()
    return services.Reception(
        reception_id=reception_id or uuid.uuid4(),
        scanned_at=now,
        stay_type=ShelterStay.StayType.SHELTER,
        code=services.shelter_code_make(person=head, at=now)[0],
    )


def _counts_equal_rows(shelter: Shelter) -> tuple[int, int]:
    """(people, households) the headcounts give, checked against the rows for the shelter and the city."""
    rows, city = headcounts()
    [count] = [count for each, count in rows if each.pk == shelter.pk]
    open_people = Evacuee.objects.filter(stay__left_at__isnull=True).count()
    open_stays = ShelterStay.objects.filter(left_at__isnull=True).count()
    assert (count.people, count.households) == (city.people, city.households) == (open_people, open_stays)
    assert sum(count.by_stay_type.values()) == sum(count.by_age_group.values()) == open_people
    return count.people, count.households


@pytest.mark.parametrize("members", [2, None], ids=["registered household", "head never registered one"])
def test_one_household_scanned_by_eight_devices_at_once_is_one_stay(
    members: int | None, shelter: Shelter, shelter_staff: User, school_district: Area
) -> None:
    """Without a registered household the first scan makes the row: the devices race to make it too."""
    head = _household(school_district, members) if members is not None else UserFactory.create()

    results = race(DEVICES, lambda i: _shelter_receive(shelter.pk, shelter_staff.pk, _reception(head)))

    received = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if not isinstance(result, tuple)]
    assert [created for _, created in received] == [True], results
    assert all(isinstance(result, errors.HouseholdAlreadyReceived) for result in refused), results
    assert len(refused) == DEVICES - 1
    household = Household.objects.get(head=head)
    (stay,) = ShelterStay.objects.filter(household=household, left_at__isnull=True)
    assert stay.pk == received[0][0].pk
    people = 1 + (members or 0)
    assert Evacuee.objects.filter(stay=stay).count() == people
    assert _counts_equal_rows(shelter) == (people, 1)


def test_one_reception_id_sent_by_eight_threads_at_once_answers_the_one_stay(
    shelter: Shelter, shelter_staff: User, school_district: Area
) -> None:
    """A device retrying a scan while its first upload is still in flight. The household's lock is
    held until every retry waits for it, so all of them have looked for the id before the first
    stay is written: the interleaving a slow first request gives, every time."""
    head = _household(school_district, members=2)
    reception = _reception(head)

    with row_held(Household, Household.objects.get(head=head).pk) as release:
        results = race(
            DEVICES,
            lambda i: _shelter_receive(shelter.pk, shelter_staff.pk, reception),
            released_once_waiting(release, DEVICES),
        )

    assert ShelterStay.objects.count() == 1
    assert Evacuee.objects.count() == 3
    assert all(isinstance(result, tuple) for result in results), results
    assert sum(created for _, created in results) == 1
    assert {stay.reception_id for stay, _ in results} == {reception.reception_id}


def test_one_staff_entry_sent_by_eight_threads_at_once_answers_the_one_stay(
    shelter: Shelter, shelter_staff: User
) -> None:
    """The same retry for people staff entered by hand (no household to lock): the unique
    reception id alone keeps it to one stay."""
    reception = services.Reception(
        reception_id=uuid.uuid4(),
        scanned_at=timezone.now(),
        stay_type=ShelterStay.StayType.SHELTER,
        people=(
            services.MemberInput(name="高木 トメ", age_group=AgeGroup.ELDER),
            services.MemberInput(name="高木 一郎", age_group=AgeGroup.ADULT),
        ),
    )

    results = race(DEVICES, lambda i: _shelter_receive(shelter.pk, shelter_staff.pk, reception))

    assert all(isinstance(result, tuple) for result in results), results
    assert sum(created for _, created in results) == 1
    assert {stay.reception_id for stay, _ in results} == {reception.reception_id}
    assert ShelterStay.objects.count() == 1
    assert _counts_equal_rows(shelter) == (2, 1)


def test_thirty_households_scanned_by_ten_devices_each_twice_are_thirty_stays(
    shelter: Shelter, shelter_staff: User, school_district: Area, ward: Area
) -> None:
    """Each device scans its own three households and its neighbour's three (a queue at two doors),
    so every household is scanned twice at once by different devices."""
    heads = [_household(school_district, members=i % 4) for i in range(30)]
    ShelterFactory.create(
        school_district=school_district, status=Shelter.Status.OPEN, disaster=shelter.disaster
    )

    def device(i: int) -> list[Any]:
        mine = heads[3 * i : 3 * i + 3] + heads[3 * ((i + 1) % 10) : 3 * ((i + 1) % 10) + 3][::-1]
        answers: list[Any] = []
        for head in mine:
            try:
                answers.append(_shelter_receive(shelter.pk, shelter_staff.pk, _reception(head)))
            except errors.HouseholdAlreadyReceived as refused:
                answers.append(refused)
        return answers

    results = race(10, device)

    answers = [answer for result in results for answer in (result if isinstance(result, list) else [result])]
    assert len(answers) == 60, results
    assert sum(isinstance(answer, tuple) and answer[1] for answer in answers) == 30
    assert sum(isinstance(answer, errors.HouseholdAlreadyReceived) for answer in answers) == 30
    stays = ShelterStay.objects.filter(left_at__isnull=True)
    assert sorted(stays.values_list("household__head_id", flat=True)) == sorted(h.pk for h in heads)
    people = sum(1 + i % 4 for i in range(30))
    assert Evacuee.objects.count() == people
    assert _counts_equal_rows(shelter) == (people, 30)


# --- the volunteer centre door ----------------------------------------------------------------------


@pytest.fixture
def centre(school_district: Area, disaster: Disaster) -> VolunteerCentre:
    return VolunteerCentreFactory.create(disaster=disaster, school_district=school_district, daily_quota=5)


def _volunteer(centre: VolunteerCentre, insurance: QualificationType, school_district: Area) -> User:
    """Registered with the centre and insured since three days ago."""
    person = UserFactory.create(school_district=school_district)
    CentreRegistrationFactory.create(centre=centre, person=person)
    QualificationFactory.create(
        user=person,
        qualification_type=insurance,
        obtained_on=timezone.localdate() - dt.timedelta(days=3),
        expires_on=None,
    )
    return person


def _scan(person: User) -> services.VolunteerScan:
    now = timezone.now()
    return services.VolunteerScan(
        reception_id=uuid.uuid4(), scanned_at=now, code=checkin_resident_token(person=person, at=now)
    )


def _centre_receive(
    centre_id: int, staff_id: int, person: User, scan: services.VolunteerScan | None = None
) -> tuple[CentreReception, bool]:
    """One device's request, on its own connection; a new scan of `person` unless `scan` is given."""
    scan = scan or _scan(person)
    centre = VolunteerCentre.objects.select_related("disaster").get(pk=centre_id)
    return services.centre_receive(centre=centre, staff=User.objects.get(pk=staff_id), scan=scan)


def test_twelve_walk_ins_at_once_never_take_more_than_the_places_left(
    centre: VolunteerCentre, centre_staff: User, insurance: QualificationType, school_district: Area
) -> None:
    """A quota of 5 with two called up (coming, not yet arrived): three places for walk-ins."""
    today = timezone.localdate()
    called = [_volunteer(centre, insurance, school_district) for _ in range(2)]
    for person in called:
        CallUpFactory.create(
            registration=person.centre_registrations.get(), day=today, status=CallUp.Status.COMING
        )
    walk_ins = [_volunteer(centre, insurance, school_district) for _ in range(12)]

    results = race(12, lambda i: _centre_receive(centre.pk, centre_staff.pk, walk_ins[i]))

    received = [result for result in results if isinstance(result, tuple)]
    assert len(received) == 3, results
    assert all(created for _, created in received)
    assert all(isinstance(r, errors.CentreFullToday) for r in results if not isinstance(r, tuple)), results
    assert CentreReception.objects.filter(centre=centre, day=today).count() == 3
    # The called-up volunteers still find their places kept.
    assert [_centre_receive(centre.pk, centre_staff.pk, person)[1] for person in called] == [True, True]
    assert CentreReception.objects.filter(centre=centre, day=today).count() == centre.daily_quota
    late = _volunteer(centre, insurance, school_district)
    with pytest.raises(errors.CentreFullToday):
        _centre_receive(centre.pk, centre_staff.pk, late)


def test_one_volunteer_scanned_by_eight_devices_at_once_is_one_reception(
    centre: VolunteerCentre, centre_staff: User, insurance: QualificationType, school_district: Area
) -> None:
    VolunteerCentre.objects.filter(pk=centre.pk).update(daily_quota=20)
    person = _volunteer(centre, insurance, school_district)

    results = race(DEVICES, lambda i: _centre_receive(centre.pk, centre_staff.pk, person))

    received = [result for result in results if isinstance(result, tuple)]
    assert [created for _, created in received] == [True], results
    refused = [result for result in results if not isinstance(result, tuple)]
    assert all(isinstance(result, errors.VolunteerAlreadyReceived) for result in refused), results
    (reception,) = CentreReception.objects.filter(person=person)
    assert reception.pk == received[0][0].pk


@pytest.mark.parametrize(
    "quota",
    [
        20,
        1,
    ],
    ids=["places to spare", "the last place"],
)
def test_one_reception_id_sent_by_eight_threads_at_once_answers_the_one_reception(
    quota: int,
    centre: VolunteerCentre,
    centre_staff: User,
    insurance: QualificationType,
    school_district: Area,
) -> None:
    """A door device retrying a scan while its first upload is in flight. The centre's lock is held
    until every retry waits for it, so all have looked for the id before the first is written."""
    VolunteerCentre.objects.filter(pk=centre.pk).update(daily_quota=quota)
    person = _volunteer(centre, insurance, school_district)
    scan = _scan(person)

    with row_held(VolunteerCentre, centre.pk) as release:
        results = race(
            DEVICES,
            lambda i: _centre_receive(centre.pk, centre_staff.pk, person, scan),
            released_once_waiting(release, DEVICES),
        )

    (reception,) = CentreReception.objects.filter(person=person)
    assert all(isinstance(result, tuple) for result in results), results
    assert sum(created for _, created in results) == 1
    assert {received.pk for received, _ in results} == {reception.pk}
