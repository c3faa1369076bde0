"""Needs, triage, the morning dispatch by the exact engine, the day's report: the whole loop from
a phone call to points, through the API."""

import datetime as dt
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from core.models import OwnCaseRefusal
from disaster.models import CentreReception, DisasterNeed, Team, TeamMember, VolunteerCentre
from events.models import Participation
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.factories import ActivityCategoryFactory, QualificationFactory, UserFactory
from volunteer.models import QualificationType, User

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]
NEED = {
    "work_type": "mud_removal",
    "school_district": "chuo-01",
    "address": "中央区桜台1-2-3",
    "helpers_needed": 3,
}


@pytest.fixture
def received(
    client_for: Client,
    centre: VolunteerCentre,
    centre_staff: User,
    disaster_insurance: QualificationType,
    school_district: Area,
) -> list[CentreReception]:
    """Five volunteers registered, insured and received today (the centre's quota raised to 10)."""
    ActivityCategoryFactory(code="disaster")
    VolunteerCentre.objects.filter(pk=centre.pk).update(daily_quota=10)
    today = timezone.localdate()
    volunteers = [
        UserFactory(school_district=school_district, display_name=f"ボランティア{i}") for i in range(5)
    ]
    for volunteer in volunteers:
        body = {"home_prefecture": 43, "days": [today.isoformat()]}
        client_for(volunteer).put(f"/api/v1/disaster-centres/{centre.pk}/registration/", body, format="json")
        QualificationFactory(
            user=volunteer, qualification_type=disaster_insurance, obtained_on=today - dt.timedelta(days=5)
        )
        now = timezone.now()
        scan = {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": now.isoformat(),
            "code": checkin_resident_token(person=volunteer, at=now),
        }
        assert (
            client_for(centre_staff)
            .post(f"/api/v1/staff/centres/{centre.pk}/receptions/", scan, format="json")
            .status_code
            == 201
        )
    return list(CentreReception.objects.order_by("pk"))


def _triage(client: APIClient, need_id: int, **fields: Any) -> Any:
    body = {"accept": True, "urgency": 1, "reason": "床上浸水", **fields}
    return client.post(f"/api/v1/staff/disaster-needs/{need_id}/triage/", body, format="json")


def test_a_phone_call_becomes_a_need_with_someone_to_call_back(
    client_for: Client, centre_staff: User, centre: VolunteerCentre
) -> None:
    url = f"/api/v1/staff/centres/{centre.pk}/needs/"
    missing = client_for(centre_staff).post(
        url, {**NEED, "contact_name": " ", "contact_phone": "096-000-0000"}, format="json"
    )
    taken = client_for(centre_staff).post(
        url, {**NEED, "contact_name": "高木 トメ", "contact_phone": "096-000-0000"}, format="json"
    )

    assert missing.status_code == 400
    assert taken.status_code == 201, taken.content
    assert taken.json()["source"] == "phone"
    assert taken.json()["status"] == "new"
    assert DisasterNeed.objects.get().contact_name == "高木 トメ"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"address": "  "}, "invalid_input"),
        ({"school_district": "nowhere"}, "place_required"),
        ({"school_district": "kita-01"}, "need_outside_disaster"),
        ({"helpers_needed": 0}, "invalid_input"),
        ({"work_type": "rescue"}, "invalid_input"),
    ],
)
def test_a_need_without_a_place_in_the_disaster_is_refused(
    change: dict[str, Any],
    code: str,
    client_for: Client,
    resident: User,
    centre: VolunteerCentre,
    other_school_district: Area,
) -> None:
    response = client_for(resident).post(
        f"/api/v1/disaster-centres/{centre.pk}/needs/", {**NEED, **change}, format="json"
    )

    assert response.status_code in {400, 409}
    assert response.json()["code"] == code
    assert not DisasterNeed.objects.exists()


def test_the_day_from_need_to_points(
    client_for: Client,
    resident: User,
    centre_staff: User,
    centre: VolunteerCentre,
    received: list[CentreReception],
) -> None:
    staff = client_for(centre_staff)
    need = (
        client_for(resident)
        .post(f"/api/v1/disaster-centres/{centre.pk}/needs/", {**NEED, "helpers_needed": 5}, format="json")
        .json()
    )
    nothing = staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json")
    assert nothing.status_code == 409  # not triaged yet
    assert nothing.json()["code"] == "no_teams_to_form"
    assert _triage(staff, need["id"]).status_code == 200

    formed = staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json")
    assert formed.status_code == 201, formed.content
    [team] = formed.json()
    assert sorted(m["role"] for m in team["members"]) == [
        "leader",
        "member",
        "member",
        "member",
        "sub_leader",
    ]
    assert "緊急度1" in team["reasons"]
    assert (
        staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json").status_code == 409
    )  # nobody free

    report = staff.post(f"/api/v1/staff/teams/{team['id']}/report/", {"outcome": "done"}, format="json")
    assert report.status_code == 201
    assert report.json()["need_status"] == "done"
    verified = Participation.objects.filter(activity__disaster_team__pk=team["id"], verified_at__isnull=False)
    assert verified.count() == 5
    again = staff.post(f"/api/v1/staff/teams/{team['id']}/report/", {"outcome": "done"}, format="json")
    assert again.json()["code"] == "team_already_reported"
    mine = client_for(resident).get("/api/v1/me/disaster-needs/").json()
    assert [n["status"] for n in mine] == ["done"]


def test_more_work_needed_keeps_the_need_open_with_the_helpers_still_needed(
    client_for: Client,
    resident: User,
    centre_staff: User,
    centre: VolunteerCentre,
    received: list[CentreReception],
) -> None:
    staff = client_for(centre_staff)
    need = (
        client_for(resident).post(f"/api/v1/disaster-centres/{centre.pk}/needs/", NEED, format="json").json()
    )
    _triage(staff, need["id"], urgency=2)
    [team] = staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json").json()
    staff.post(
        f"/api/v1/staff/teams/{team['id']}/report/",
        {"outcome": "more_needed", "helpers_still_needed": 6},
        format="json",
    )

    saved = DisasterNeed.objects.get(pk=need["id"])
    assert saved.status == "accepted"
    assert saved.helpers_needed == 6


def test_a_team_never_grows_past_its_size(
    client_for: Client,
    resident: User,
    centre_staff: User,
    centre: VolunteerCentre,
    received: list[CentreReception],
    settings: Any,
) -> None:
    settings.TEAM_SIZE = 3
    staff = client_for(centre_staff)
    need = (
        client_for(resident).post(f"/api/v1/disaster-centres/{centre.pk}/needs/", NEED, format="json").json()
    )
    _triage(staff, need["id"])
    [team] = staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json").json()
    free = CentreReception.objects.filter(team_member__isnull=True).first()
    assert free is not None
    full = staff.post(
        f"/api/v1/staff/teams/{team['id']}/members/", {"reception_id": str(free.reception_id)}, format="json"
    )

    assert full.status_code == 409
    assert full.json()["code"] == "team_full"
    assert TeamMember.objects.filter(team_id=team["id"]).count() == 3
    assert Team.objects.count() == 1


def test_the_work_order_is_a_printable_pdf_for_the_leader(
    client_for: Client,
    resident: User,
    centre_staff: User,
    centre: VolunteerCentre,
    received: list[CentreReception],
) -> None:
    staff = client_for(centre_staff)
    body = {**NEED, "note": "1階の床下に泥"}
    need = (
        client_for(resident).post(f"/api/v1/disaster-centres/{centre.pk}/needs/", body, format="json").json()
    )
    _triage(staff, need["id"])
    [team] = staff.post(f"/api/v1/staff/centres/{centre.pk}/teams/", format="json").json()
    response = staff.get(f"/api/v1/staff/teams/{team['id']}/work-order/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    leader = next(m["name"] for m in team["members"] if m["role"] == "leader")
    for expected in (
        "活動指示書",
        "泥出し",
        "中央区桜台1-2-3",
        "1階の床下に泥",
        leader,
        "リーダー",
        "活動報告",
    ):
        assert expected in text, expected
    elsewhere = UserFactory()
    assert client_for(elsewhere).get(f"/api/v1/staff/teams/{team['id']}/work-order/").status_code == 403


def test_nobody_triages_a_need_they_asked_for_and_nothing_changes(
    client_for: Client, centre_staff: User, centre: VolunteerCentre
) -> None:
    own = (
        client_for(centre_staff)
        .post(f"/api/v1/disaster-centres/{centre.pk}/needs/", NEED, format="json")
        .json()
    )
    response = _triage(client_for(centre_staff), own["id"])

    assert response.status_code == 403
    assert response.json()["code"] == "own_case"
    need = DisasterNeed.objects.get(pk=own["id"])
    assert (need.status, need.urgency, need.triaged_by) == ("new", 3, None)
    assert OwnCaseRefusal.objects.filter(actor_id=centre_staff.pk).exists()
