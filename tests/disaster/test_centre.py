"""The disaster volunteer centre: pre-registration with the residence rule, daily quotas and
call-ups with replies, reception at the door with the insurance check (natural disaster plan, in
force from the day after joining, or at once under the special measure), insurance taken out on
the spot, offline batches."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import OwnCaseRefusal
from disaster import services
from disaster.models import CallUp, CentreReception, CentreRegistration, Disaster, VolunteerCentre
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.factories import QualificationFactory, UserFactory
from volunteer.models import Notification, Qualification, QualificationType, User

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]
TODAY = timezone.localdate


def _register(client: APIClient, centre: VolunteerCentre, **fields: Any) -> Any:
    body = {"home_prefecture": 43, "days": [(TODAY() + dt.timedelta(days=2)).isoformat()], **fields}
    return client.put(f"/api/v1/disaster-centres/{centre.pk}/registration/", body, format="json")


def _insured(person: User, insurance: QualificationType, days_ago: int = 3) -> Qualification:
    joined = TODAY() - dt.timedelta(days=days_ago)
    return QualificationFactory(
        user=person, qualification_type=insurance, obtained_on=joined, expires_on=None
    )


def _scan(person: User, **fields: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "reception_id": str(uuid.uuid4()),
        "scanned_at": now.isoformat(),
        "code": checkin_resident_token(person=person, at=now),
        **fields,
    }


def _receive(client: APIClient, centre: VolunteerCentre, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/staff/centres/{centre.pk}/receptions/", body, format="json")


def test_a_resident_registers_with_skills_licences_vehicle_and_days(
    client_for: Client, resident: User, centre: VolunteerCentre, chainsaw: QualificationType
) -> None:
    days = [(TODAY() + dt.timedelta(days=n)).isoformat() for n in (2, 3)]
    response = _register(
        client_for(resident), centre, licences=["chainsaw"], vehicle="light_truck", days=days
    )

    assert response.status_code == 200, response.content
    assert response.json()["licences"] == ["chainsaw"]
    assert response.json()["days"] == days
    assert response.json()["vehicle"] == "light_truck"
    public = APIClient().get("/api/v1/disaster-centres/").json()
    assert [(c["name"], c["accepted_residence"]) for c in public] == [
        ("中央区災害ボランティアセンター", "city")
    ]


@pytest.mark.parametrize(
    ("accepted", "prefecture", "ok"),
    [
        ("city", 43, False),
        ("prefecture", 43, True),
        ("prefecture", 40, False),
        ("kyushu", 40, True),
        ("kyushu", 13, False),
        ("anywhere", 13, True),
    ],
)
def test_the_residence_rule_of_the_disaster(
    accepted: str, prefecture: int, ok: bool, client_for: Client, centre: VolunteerCentre, disaster: Disaster
) -> None:
    Disaster.objects.filter(pk=disaster.pk).update(accepted_residence=accepted)
    outsider = UserFactory(school_district=None)  # not a city resident on record
    response = _register(client_for(outsider), centre, home_prefecture=prefecture)

    if ok:
        assert response.status_code == 200
    else:
        assert response.status_code == 409
        assert response.json()["code"] == "residence_not_accepted"
    assert CentreRegistration.objects.filter(person=outsider).exists() is ok


def test_city_residents_are_always_accepted(
    client_for: Client, resident: User, centre: VolunteerCentre
) -> None:
    assert _register(client_for(resident), centre, home_prefecture=13).json()["home_prefecture"] == 43


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"days": [(dt.date(2000, 1, 1)).isoformat()]}, "days_out_of_range"),
        ({"days": []}, "invalid_input"),
        ({"licences": ["no-such-licence"]}, "unknown_skill_or_licence"),
        ({"home_prefecture": 48}, "invalid_input"),
        ({"vehicle": "helicopter"}, "invalid_input"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(
    fields: dict[str, Any], code: str, client_for: Client, resident: User, centre: VolunteerCentre
) -> None:
    response = _register(client_for(resident), centre, **fields)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not CentreRegistration.objects.exists()


def test_call_ups_fill_the_quota_two_days_ahead_and_a_decline_calls_the_next(
    client_for: Client, centre: VolunteerCentre, school_district: Area
) -> None:
    volunteers = [UserFactory(school_district=school_district) for _ in range(5)]
    for volunteer in volunteers:
        assert _register(client_for(volunteer), centre).status_code == 200
    day = TODAY() + dt.timedelta(days=2)

    assert services.call_ups_due() == 3  # the centre's quota
    assert services.call_ups_due() == 0  # a second run finds nothing free
    called = CallUp.objects.filter(day=day).order_by("pk")
    assert [c.registration.person for c in called] == volunteers[:3]  # registered first
    assert Notification.objects.filter(kind="centre_call_up").count() == 3

    first = called[0]
    mine = client_for(volunteers[0]).get("/api/v1/me/call-ups/").json()
    assert [c["id"] for c in mine] == [first.pk]
    reply = client_for(volunteers[0]).post(
        f"/api/v1/me/call-ups/{first.pk}/reply/", {"coming": False}, format="json"
    )
    assert reply.status_code == 200
    assert reply.json()["status"] == "not_coming"
    assert CallUp.objects.get(registration__person=volunteers[3], day=day).status == "called"
    assert CallUp.objects.filter(day=day).exclude(status="not_coming").count() == 3
    others = client_for(volunteers[1]).post(
        f"/api/v1/me/call-ups/{first.pk}/reply/", {"coming": True}, format="json"
    )
    assert others.status_code == 404


def test_a_volunteer_who_declined_comes_back_only_while_the_day_has_room(
    client_for: Client, centre: VolunteerCentre, school_district: Area
) -> None:
    """Declining gives the place to the next; changing one's mind afterwards must not overbook the
    day, and declining twice calls nobody extra."""
    volunteers = [UserFactory(school_district=school_district) for _ in range(4)]
    for volunteer in volunteers:
        assert _register(client_for(volunteer), centre).status_code == 200
    day = TODAY() + dt.timedelta(days=2)
    services.call_ups_due()
    first = CallUp.objects.get(registration__person=volunteers[0], day=day)
    url = f"/api/v1/me/call-ups/{first.pk}/reply/"

    assert client_for(volunteers[0]).post(url, {"coming": False}, format="json").status_code == 200
    assert client_for(volunteers[0]).post(url, {"coming": False}, format="json").status_code == 200
    assert CallUp.objects.filter(day=day).count() == 4  # the fourth called once, nobody else
    back = client_for(volunteers[0]).post(url, {"coming": True}, format="json")

    assert back.status_code == 409
    assert back.json()["code"] == "call_up_place_given"
    assert CallUp.objects.get(pk=first.pk).status == "not_coming"
    assert CallUp.objects.filter(day=day).exclude(status="not_coming").count() == 3

    CallUp.objects.filter(registration__person=volunteers[3], day=day).update(status="not_coming")
    again = client_for(volunteers[0]).post(url, {"coming": True}, format="json")
    assert again.status_code == 200
    assert again.json()["status"] == "coming"


def test_reception_checks_registration_and_insurance_and_is_one_a_day(
    client_for: Client,
    centre_staff: User,
    resident: User,
    centre: VolunteerCentre,
    disaster_insurance: QualificationType,
) -> None:
    staff = client_for(centre_staff)
    unregistered = _receive(staff, centre, _scan(resident))
    assert unregistered.json()["code"] == "not_registered_with_centre"
    _register(client_for(resident), centre, days=[TODAY().isoformat()])
    uninsured = _receive(staff, centre, _scan(resident))
    assert uninsured.status_code == 409
    assert uninsured.json()["code"] == "insurance_not_in_force"
    assert not CentreReception.objects.exists()

    insurance = _insured(resident, disaster_insurance)
    body = _scan(resident)
    first, again = _receive(staff, centre, body), _receive(staff, centre, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert CentreReception.objects.get().insurance == insurance
    twice = _receive(staff, centre, _scan(resident))
    assert twice.json()["code"] == "volunteer_already_received"
    assert CentreReception.objects.count() == 1


def test_insurance_is_in_force_from_the_day_after_joining_or_at_once_under_the_special_measure(
    client_for: Client,
    centre_staff: User,
    resident: User,
    centre: VolunteerCentre,
    disaster: Disaster,
    disaster_insurance: QualificationType,
) -> None:
    _register(client_for(resident), centre, days=[TODAY().isoformat()])
    staff = client_for(centre_staff)
    scan = {"scanned_at": timezone.now().isoformat(), "code": checkin_resident_token(person=resident)}
    taken = staff.post(f"/api/v1/staff/centres/{centre.pk}/insurance/", scan, format="json")

    assert taken.status_code == 201, taken.content
    assert taken.json()["obtained_on"] == TODAY().isoformat()
    assert taken.json()["in_force_today"] is False
    assert _receive(staff, centre, _scan(resident)).json()["code"] == "insurance_not_in_force"
    tomorrow = TODAY() + dt.timedelta(days=1)
    assert services.insurance_in_force(person=resident, day=tomorrow, special_measure=False) is not None
    expiry = Qualification.objects.get(user=resident).expires_on
    assert expiry is not None
    assert (expiry.month, expiry.day) == (3, 31)  # the fiscal year's end

    Disaster.objects.filter(pk=disaster.pk).update(insurance_special_measure=True)
    assert _receive(staff, centre, _scan(resident)).status_code == 201


def test_nobody_records_their_own_insurance_at_the_desk(
    client_for: Client, centre_staff: User, centre: VolunteerCentre, disaster_insurance: QualificationType
) -> None:
    """A member of staff recording that they paid would let themselves through the door."""
    scan = {"scanned_at": timezone.now().isoformat(), "code": checkin_resident_token(person=centre_staff)}
    taken = client_for(centre_staff).post(
        f"/api/v1/staff/centres/{centre.pk}/insurance/", scan, format="json"
    )

    assert taken.status_code == 403, taken.content
    assert taken.json()["code"] == "own_case"
    assert not Qualification.objects.filter(user=centre_staff).exists()
    assert OwnCaseRefusal.objects.filter(actor=centre_staff).count() == 1


def test_insurance_missing_from_the_catalogue_is_said_plainly_and_records_nothing(
    client_for: Client, centre_staff: User, resident: User, centre: VolunteerCentre
) -> None:
    """A server whose qualification catalogue lacks the insurance (no `disaster_insurance`
    fixture here) answers 503 with its code, not a 500, and stores no qualification."""
    _register(client_for(resident), centre, days=[TODAY().isoformat()])
    scan = {"scanned_at": timezone.now().isoformat(), "code": checkin_resident_token(person=resident)}
    taken = client_for(centre_staff).post(
        f"/api/v1/staff/centres/{centre.pk}/insurance/", scan, format="json"
    )

    assert taken.status_code == 503, taken.content
    assert taken.json()["code"] == "insurance_type_missing"
    assert not Qualification.objects.filter(user=resident).exists()


def test_walk_ins_only_while_the_days_quota_has_room(
    client_for: Client,
    centre_staff: User,
    centre: VolunteerCentre,
    disaster_insurance: QualificationType,
    school_district: Area,
) -> None:
    volunteers = [UserFactory(school_district=school_district) for _ in range(4)]
    for volunteer in volunteers:
        _register(client_for(volunteer), centre, days=[TODAY().isoformat()])
        _insured(volunteer, disaster_insurance)
    staff = client_for(centre_staff)
    results = [_receive(staff, centre, _scan(v)).status_code for v in volunteers]

    assert results == [201, 201, 201, 409]
    assert _receive(staff, centre, _scan(volunteers[3])).json()["code"] == "centre_full_today"
    raised = staff.put(
        f"/api/v1/staff/centres/{centre.pk}/days/{TODAY().isoformat()}/", {"quota": 4}, format="json"
    )
    assert raised.json()["quota"] == 4
    assert raised.json()["received"] == 3
    assert _receive(staff, centre, _scan(volunteers[3])).status_code == 201


def test_an_offline_batch_replayed_twice_stores_each_reception_once(
    client_for: Client,
    centre_staff: User,
    centre: VolunteerCentre,
    disaster_insurance: QualificationType,
    school_district: Area,
) -> None:
    volunteers = [UserFactory(school_district=school_district) for _ in range(2)]
    for volunteer in volunteers:
        _register(client_for(volunteer), centre, days=[TODAY().isoformat()])
        _insured(volunteer, disaster_insurance)
    uninsured = UserFactory(school_district=school_district)
    _register(client_for(uninsured), centre, days=[TODAY().isoformat()])
    batch = {
        "receptions": [_scan(volunteers[0]), _scan(volunteers[1]), _scan(volunteers[0]), _scan(uninsured)]
    }
    url = f"/api/v1/staff/centres/{centre.pk}/receptions/batch/"
    first = client_for(centre_staff).post(url, batch, format="json").json()
    second = client_for(centre_staff).post(url, batch, format="json").json()

    assert [r["result"] for r in first] == ["new", "new", "refused", "refused"]
    assert [r["code"] for r in first][2:] == ["volunteer_already_received", "insurance_not_in_force"]
    assert [r["result"] for r in second] == ["known", "known", "refused", "refused"]
    assert CentreReception.objects.count() == 2


def test_only_the_areas_centre_staff_receive(
    client_for: Client,
    shelter_staff: User,
    coordinator: User,
    resident: User,
    centre: VolunteerCentre,
    other_school_district: Area,
) -> None:
    for who, status in ((shelter_staff, 403), (coordinator, 403), (resident, 403)):
        assert _receive(client_for(who), centre, _scan(resident)).status_code == status
    assert not CentreReception.objects.exists()
