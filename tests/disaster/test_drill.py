"""The disaster drill: one heavy-rain disaster from declaration to end, through the JSON API as the
apps and staff devices use it. Day 0: the headquarters declares and opens a volunteer centre, a
shelter takes people in, volunteers pre-register and the call-ups for the day after tomorrow go out.
Day 2: the door receives the volunteers, needs come in and are triaged, teams go out with their
work orders; six hours later they report, points and certificates follow; the headquarters ends
the disaster. The server's clock is moved on between the days, as tests/points/test_journey.py
moves it (the project has no freezegun); the services' own `now=` is used for the periodic job."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from disaster import services
from disaster.models import (
    CallUp,
    CentreReception,
    CentreRegistration,
    Disaster,
    DisasterNeed,
    Evacuee,
    Household,
    Shelter,
    ShelterStay,
)
from events.models import Participation
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.disaster.pages import freshly_signed_in
from tests.factories import (
    ActivityCategoryFactory,
    QualificationFactory,
    ShelterFactory,
    SkillFactory,
    UserFactory,
)
from volunteer.models import Notification, QualificationType, User

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]
API = "/api/v1"


class Clock:
    """The server's clock, moved on as the drill's days go (django.utils.timezone.now, which every
    service and view reads)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # The drill starts at noon of today (Japan time), whatever the hour of the run: a scan held
        # offline for twenty minutes must not fall on the day before when CI runs just after midnight.
        real = timezone.now
        started = real()
        noon = timezone.localtime(started).replace(hour=12, minute=0, second=0, microsecond=0)
        self.offset = noon - started
        monkeypatch.setattr(timezone, "now", lambda: real() + self.offset)

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@dataclass
class Drill:
    """Who takes part and what the day has made so far."""

    client_for: Client
    clock: Clock
    hq: User
    centre_staff: User
    shelter_staff: User
    resident: User
    other_resident: User
    school_district: Area
    volunteers: dict[str, User] = field(default_factory=dict)
    disaster_id: int = 0
    centre_id: int = 0
    day: dt.date = dt.date.min
    need_ids: dict[str, int] = field(default_factory=dict)
    teams: list[dict[str, Any]] = field(default_factory=list)

    def staff(self) -> APIClient:
        return self.client_for(self.centre_staff)

    def receive(self, body: dict[str, Any]) -> Any:
        return self.staff().post(f"{API}/staff/centres/{self.centre_id}/receptions/", body, format="json")


def _app_code(drill: Drill, person: User) -> str:
    """The volunteer's personal code, as their app shows it (GET /me/qr/)."""
    return str(drill.client_for(person).get(f"{API}/me/qr/").json()["token"])


def _scan(drill: Drill, person: User) -> dict[str, Any]:
    return {
        "reception_id": str(uuid.uuid4()),
        "scanned_at": timezone.now().isoformat(),
        "code": _app_code(drill, person),
    }


def _kumamoto_points(drill: Drill, person: User) -> int:
    balances = drill.client_for(person).get(f"{API}/points/").json()
    return sum(row["balance"] for row in balances if row["scheme"] == "kumamoto")


# --- day 0 --------------------------------------------------------------------------------------


def declare_and_open_a_centre(drill: Drill) -> None:
    hq = freshly_signed_in(drill.hq)
    declaration = {
        "name": "令和8年7月豪雨",
        "wards": ["chuo"],
        "reason": "大雨特別警報",
        "accepted_residence": "prefecture",
    }
    declared = hq.post(f"{API}/staff/disasters/", declaration, format="json")
    assert declared.status_code == 201, declared.content
    assert declared.json()["active"] is True
    assert [d["action"] for d in declared.json()["decisions"]] == ["declared"]
    drill.disaster_id = declared.json()["id"]
    assert [d["id"] for d in APIClient().get(f"{API}/disasters/").json()] == [drill.disaster_id]
    # The national council issues the large-scale disaster special measure; no API sets it (the
    # admin does), as in test_centre.py.
    Disaster.objects.filter(pk=drill.disaster_id).update(insurance_special_measure=True)

    centre = {"name": "中央区災害ボランティアセンター", "school_district": "chuo-01", "daily_quota": 3}
    opened = hq.post(f"{API}/staff/disasters/{drill.disaster_id}/centres/", centre, format="json")
    assert opened.status_code == 201, opened.content
    assert opened.json()["accepted_residence"] == "prefecture"
    drill.centre_id = opened.json()["id"]
    listed = APIClient().get(f"{API}/disaster-centres/").json()
    assert [c["id"] for c in listed] == [drill.centre_id]


def take_in_evacuees(drill: Drill) -> None:
    """A shelter opens; two households come by shelter code (one of three people, one alone, in a
    car), staff enter a person without a phone; the headcounts equal the rows; one leaves."""
    shelter = ShelterFactory.create(name="桜台小学校体育館", school_district=drill.school_district)
    staff = drill.client_for(drill.shelter_staff)
    opened = staff.post(
        f"{API}/staff/shelters/{shelter.pk}/open/", {"disaster": drill.disaster_id}, format="json"
    )
    assert opened.status_code == 200, opened.content
    assert opened.json()["status"] == Shelter.Status.OPEN

    def by_code(person: User, stay_type: str) -> Any:
        code = drill.client_for(person).get(f"{API}/me/shelter-code/").json()["code"]
        body = {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": timezone.now().isoformat(),
            "stay_type": stay_type,
            "code": code,
        }
        return staff.post(f"{API}/staff/shelters/{shelter.pk}/receptions/", body, format="json")

    family, alone = by_code(drill.resident, "shelter"), by_code(drill.other_resident, "car")
    entered = staff.post(
        f"{API}/staff/shelters/{shelter.pk}/receptions/",
        {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": timezone.now().isoformat(),
            "stay_type": "shelter",
            "people": [{"name": "高木 トメ", "age_group": "elder"}],
        },
        format="json",
    )
    assert (family.status_code, alone.status_code, entered.status_code) == (201, 201, 201)
    assert len(family.json()["people"]) == 3  # the head and the two members registered
    assert (alone.json()["method"], entered.json()["method"]) == ("app_code", "staff_entry")
    assert _headcount(drill, shelter) == (5, 3, {"shelter": 4, "car": 1, "home": 0})

    left = staff.post(f"{API}/staff/shelter-stays/{alone.json()['reception_id']}/leave/", format="json")
    assert left.status_code == 200
    assert _headcount(drill, shelter) == (4, 2, {"shelter": 4, "car": 0, "home": 0})


def _headcount(drill: Drill, shelter: Shelter) -> tuple[int, int, dict[str, int]]:
    """The shelter's count from GET headcounts, once it is checked to equal the city's and the rows."""
    counts = drill.client_for(drill.centre_staff).get(f"{API}/staff/shelters/headcounts/").json()
    [row] = [row["count"] for row in counts["shelters"] if row["id"] == shelter.pk]
    people = Evacuee.objects.filter(stay__left_at__isnull=True).count()
    households = ShelterStay.objects.filter(left_at__isnull=True).count()
    assert (row["people"], row["households"]) == (counts["city"]["people"], counts["city"]["households"])
    assert (row["people"], row["households"]) == (people, households)
    return row["people"], row["households"], row["by_stay_type"]


def pre_register(drill: Drill, chainsaw: QualificationType) -> None:
    """Six residents register for the day after tomorrow; a volunteer from Tokyo is refused."""
    SkillFactory.create(code="first_aid", name="応急手当")
    drill.day = timezone.localdate() + dt.timedelta(days=2)
    bringing: dict[str, dict[str, Any]] = {
        "林": {"licences": ["chainsaw"], "skills": ["first_aid"]},
        "松本": {"vehicle": "light_truck"},
        "中村": {},
        "小川": {},
        "石井": {},
        "村上": {},
    }
    for name, extra in bringing.items():
        person = UserFactory.create(display_name=name, school_district=drill.school_district)
        body = {"home_prefecture": 43, "days": [drill.day.isoformat()], **extra}
        response = drill.client_for(person).put(
            f"{API}/disaster-centres/{drill.centre_id}/registration/", body, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["days"] == [drill.day.isoformat()]
        drill.volunteers[name] = person
    林 = drill.volunteers["林"]  # the chainsaw declared on registering, no record of it: seen at the door
    saved = CentreRegistration.objects.get(person=林)
    assert [q.code for q in saved.licences.all()] == ["chainsaw"]
    assert CentreRegistration.objects.get(person=drill.volunteers["松本"]).vehicle == "light_truck"

    outsider = UserFactory.create(display_name="東京 太郎", school_district=None)
    refused = drill.client_for(outsider).put(
        f"{API}/disaster-centres/{drill.centre_id}/registration/",
        {"home_prefecture": 13, "days": [drill.day.isoformat()]},
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "residence_not_accepted"
    assert not CentreRegistration.objects.filter(person=outsider).exists()
    assert CentreRegistration.objects.count() == 6


def call_up(drill: Drill) -> None:
    """The periodic job fills the day two days ahead up to the quota of 3; staff raise the day's
    quota to 4; 小川 cannot come, so the next registered, 石井, is called."""
    assert settings.CENTRE_CALL_UP_DAYS_AHEAD == 2
    assert services.call_ups_due(now=timezone.now()) == 3
    assert services.call_ups_due(now=timezone.now() + dt.timedelta(hours=1)) == 0  # nothing free
    raised = drill.staff().put(
        f"{API}/staff/centres/{drill.centre_id}/days/{drill.day.isoformat()}/", {"quota": 4}, format="json"
    )
    assert raised.status_code == 200, raised.content
    assert (raised.json()["quota"], raised.json()["called"]) == (4, 4)
    assert _called(drill) == ["林", "松本", "中村", "小川"]

    for name in ("林", "松本", "中村", "小川"):
        _reply(drill, name, coming=name != "小川")
    assert _called(drill) == ["林", "松本", "中村", "石井"]
    assert Notification.objects.filter(user=drill.volunteers["石井"], kind="centre_call_up").exists()
    _reply(drill, "石井", coming=True)
    summary = drill.staff().get(f"{API}/staff/centres/{drill.centre_id}/days/{drill.day.isoformat()}/")
    assert {k: summary.json()[k] for k in ("called", "coming", "not_coming")} == {
        "called": 0,
        "coming": 4,
        "not_coming": 1,
    }


def _called(drill: Drill) -> list[str]:
    """Who is called and has not declined, for the day, in the order of their call."""
    calls = CallUp.objects.filter(day=drill.day).exclude(status=CallUp.Status.NOT_COMING).order_by("pk")
    return [call.registration.person.display_name for call in calls]


def _reply(drill: Drill, name: str, *, coming: bool) -> None:
    me = drill.client_for(drill.volunteers[name])
    [mine] = me.get(f"{API}/me/call-ups/").json()
    assert (mine["day"], mine["status"]) == (drill.day.isoformat(), "called")
    replied = me.post(f"{API}/me/call-ups/{mine['id']}/reply/", {"coming": coming}, format="json")
    assert replied.status_code == 200, replied.content
    assert replied.json()["status"] == ("coming" if coming else "not_coming")


# --- day 2 --------------------------------------------------------------------------------------


def receive_at_the_door(drill: Drill, insurance: QualificationType) -> None:
    """林 and 松本 hold insurance since last week; 中村 has none and takes it out at the desk; 松本
    and 石井 are scanned by a device without network and uploaded later, twice; 村上, not called,
    finds the day full."""
    for name in ("林", "松本", "石井", "村上"):
        QualificationFactory.create(
            user=drill.volunteers[name],
            qualification_type=insurance,
            obtained_on=drill.day - dt.timedelta(days=7),
            expires_on=None,
        )
    first_scan = _scan(drill, drill.volunteers["林"])
    first, repeat = drill.receive(first_scan), drill.receive(first_scan)
    assert (first.status_code, repeat.status_code) == (201, 200), first.content
    assert repeat.json() == first.json()
    assert first.json()["day"] == drill.day.isoformat()

    中村 = drill.volunteers["中村"]
    uninsured = drill.receive(_scan(drill, 中村))
    assert uninsured.status_code == 409
    assert uninsured.json()["code"] == "insurance_not_in_force"
    assert not CentreReception.objects.filter(person=中村).exists()
    desk = {"scanned_at": timezone.now().isoformat(), "code": _app_code(drill, 中村)}
    taken = drill.staff().post(f"{API}/staff/centres/{drill.centre_id}/insurance/", desk, format="json")
    assert taken.status_code == 201, taken.content
    assert (taken.json()["obtained_on"], taken.json()["in_force_today"]) == (drill.day.isoformat(), True)
    insured = drill.receive(_scan(drill, 中村))
    assert insured.status_code == 201, insured.content
    assert insured.json()["insurance_obtained_on"] == drill.day.isoformat()

    _offline_batch(drill)
    walk_in = drill.receive(_scan(drill, drill.volunteers["村上"]))
    assert walk_in.status_code == 409
    assert walk_in.json()["code"] == "centre_full_today"
    summary = drill.staff().get(f"{API}/staff/centres/{drill.centre_id}/days/{drill.day.isoformat()}/")
    assert summary.json()["received"] == CentreReception.objects.filter(day=drill.day).count() == 4


def _offline_batch(drill: Drill) -> None:
    scanned_at = timezone.now() - dt.timedelta(minutes=20)
    batch = {
        "receptions": [
            {
                "reception_id": str(uuid.uuid4()),
                "scanned_at": scanned_at.isoformat(),
                "code": checkin_resident_token(person=drill.volunteers[name], at=scanned_at),
            }
            for name in ("松本", "石井")
        ]
    }
    url = f"{API}/staff/centres/{drill.centre_id}/receptions/batch/"
    first, again = (
        drill.staff().post(url, batch, format="json"),
        drill.staff().post(url, batch, format="json"),
    )
    assert [r["result"] for r in first.json()] == ["new", "new"], first.content
    assert [r["result"] for r in again.json()] == ["known", "known"]
    assert [r["reception"] for r in again.json()] == [r["reception"] for r in first.json()]
    assert CentreReception.objects.filter(person__display_name__in=["松本", "石井"]).count() == 2


NEED = {"school_district": "chuo-01", "helpers_needed": 2}


def take_needs(drill: Drill) -> None:
    """A resident asks for mud removal needing a truck; staff take a phone call about a fallen tree
    (a chainsaw); a call without a place is refused; staff accept both, the tree first."""
    asked = drill.client_for(drill.resident).post(
        f"{API}/disaster-centres/{drill.centre_id}/needs/",
        {**NEED, "work_type": "mud_removal", "address": "中央区桜台1-2-3", "needs_vehicle": True},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    assert (asked.json()["source"], asked.json()["status"]) == ("resident", "new")
    phone = {
        **NEED,
        "work_type": "clearing",
        "address": "中央区桜台4-5-6",
        "licences": ["chainsaw"],
        "contact_name": "高木 一郎",
        "contact_phone": "096-000-0000",
    }
    url = f"{API}/staff/centres/{drill.centre_id}/needs/"
    called = drill.staff().post(url, phone, format="json")
    assert called.status_code == 201, called.content
    assert (called.json()["source"], called.json()["contact_name"]) == ("phone", "高木 一郎")
    nowhere = drill.staff().post(url, {**phone, "school_district": "nowhere"}, format="json")
    assert nowhere.status_code == 400
    assert nowhere.json()["code"] == "place_required"
    assert DisasterNeed.objects.count() == 2
    drill.need_ids = {"mud": asked.json()["id"], "tree": called.json()["id"]}

    for need, urgency, reason in (("tree", 1, "倒木で道がふさがる"), ("mud", 2, "床上浸水")):
        triaged = drill.staff().post(
            f"{API}/staff/disaster-needs/{drill.need_ids[need]}/triage/",
            {"accept": True, "urgency": urgency, "reason": reason},
            format="json",
        )
        assert triaged.status_code == 200, triaged.content
        assert (triaged.json()["status"], triaged.json()["urgency"]) == ("accepted", urgency)
        assert triaged.json()["triage_reason"] == reason


def form_teams(drill: Drill) -> None:
    formed = drill.staff().post(f"{API}/staff/centres/{drill.centre_id}/teams/", format="json")
    assert formed.status_code == 201, formed.content
    drill.teams = formed.json()
    by_need = {team["need"]: {m["name"] for m in team["members"]} for team in drill.teams}
    assert set(by_need) == set(drill.need_ids.values())
    assert "林" in by_need[drill.need_ids["tree"]]  # the chainsaw licence holder
    assert "松本" in by_need[drill.need_ids["mud"]]  # the light truck
    placed = [m["name"] for team in drill.teams for m in team["members"]]
    assert sorted(placed) == sorted(["林", "松本", "中村", "石井"])  # everyone received, once
    for team in drill.teams:
        assert len(team["members"]) <= settings.TEAM_SIZE
        assert sorted(m["role"] for m in team["members"] if m["role"] != "member") == ["leader", "sub_leader"]
        order = drill.staff().get(
            f"{API}/staff/teams/{team['id']}/work-order/", HTTP_ACCEPT="application/pdf"
        )
        assert order.status_code == 200, order.content
        assert order["Content-Type"] == "application/pdf"
        assert order.content.startswith(b"%PDF")


def report_and_award(drill: Drill, capture_on_commit: Any) -> None:
    """Six hours later each team reports the work done: the needs are done, the members'
    attendance verified, and the awards (enqueued when the verification commits) paid."""
    members = [drill.volunteers[m["name"]] for team in drill.teams for m in team["members"]]
    before = {person.pk: _kumamoto_points(drill, person) for person in members}
    drill.clock.advance(hours=6)
    for team in drill.teams:
        with capture_on_commit(execute=True):
            report = drill.staff().post(
                f"{API}/staff/teams/{team['id']}/report/", {"outcome": "done"}, format="json"
            )
        assert report.status_code == 201, report.content
        assert report.json()["need_status"] == "done"
    assert set(DisasterNeed.objects.values_list("status", flat=True)) == {"done"}
    mine = drill.client_for(drill.resident).get(f"{API}/me/disaster-needs/").json()
    assert [need["status"] for need in mine] == ["done"]

    for person in members:
        me = drill.client_for(person)
        [participation] = me.get(f"{API}/me/participations/").json()["results"]
        assert participation["verified_at"] is not None
        assert participation["minutes"] == 6 * 60
        assert _kumamoto_points(drill, person) == before[person.pk] + 100
        issued = me.post(
            f"{API}/certificates/",
            {"participation": participation["id"]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"drill-{person.pk}",
        )
        assert issued.status_code == 201, issued.content
        [activity] = issued.json()["activities"]
        assert activity["content"].startswith("災害ボランティア")
        assert activity["minutes"] == 6 * 60
        listed = me.get(f"{API}/certificates/").json()["results"]
        assert [c["id"] for c in listed] == [issued.json()["id"]]
    assert Participation.objects.filter(verified_at__isnull=False).count() == len(members) == 4


def end_the_disaster(drill: Drill) -> None:
    ended = freshly_signed_in(drill.hq).post(
        f"{API}/staff/disasters/{drill.disaster_id}/end/", {"reason": "避難指示解除"}, format="json"
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["active"] is False
    assert [d["action"] for d in ended.json()["decisions"]] == ["declared", "ended"]
    assert APIClient().get(f"{API}/disasters/").json() == []  # disaster mode is off
    assert APIClient().get(f"{API}/disaster-centres/").json() == []

    receptions = CentreReception.objects.count()
    late = drill.receive(_scan(drill, drill.volunteers["村上"]))
    assert late.status_code == 409
    assert late.json()["code"] == "centre_closed"
    assert CentreReception.objects.count() == receptions


def test_the_whole_day_of_a_disaster(
    client_for: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    city_schemes_configured: None,
    disaster_office: User,
    centre_staff: User,
    shelter_staff: User,
    resident: User,
    other_resident: User,
    household: Household,
    school_district: Area,
    disaster_insurance: QualificationType,
    chainsaw: QualificationType,
) -> None:
    ActivityCategoryFactory.create(code="disaster", name="災害ボランティア")
    drill = Drill(
        client_for=client_for,
        clock=Clock(monkeypatch),
        hq=disaster_office,
        centre_staff=centre_staff,
        shelter_staff=shelter_staff,
        resident=resident,
        other_resident=other_resident,
        school_district=school_district,
    )

    declare_and_open_a_centre(drill)
    take_in_evacuees(drill)
    pre_register(drill, chainsaw)
    call_up(drill)

    drill.clock.advance(days=2)
    assert timezone.localdate() == drill.day
    receive_at_the_door(drill, disaster_insurance)
    take_needs(drill)
    form_teams(drill)
    report_and_award(drill, django_capture_on_commit_callbacks)
    end_the_disaster(drill)
