"""The disaster drill again, every staff step through the staff pages a browser uses (the
residents' side through their app's API): the headquarters declares with its password, records the
large-scale disaster special measure and opens a centre; shelter staff open a shelter and enter a
person without a phone while a family is scanned; centre staff set the day's quota (the call-ups
go), receive at the door (insurance taken out at the desk), take a phone call, triage, form teams,
print work orders and record the reports; points and certificates follow; the headquarters ends
the disaster and the door stops. Forms are posted as the pages send them (tests/disaster/
test_centre_pages_browser.py clicks the same forms in a real browser)."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from disaster.models import (
    CallUp,
    CentreReception,
    Disaster,
    DisasterNeed,
    Evacuee,
    Household,
    Shelter,
    ShelterStay,
    Team,
    VolunteerCentre,
)
from events.models import Participation
from plan_registry.models import Area
from tests.disaster.pages import said, signed_in
from tests.disaster.test_drill import API, Clock
from tests.disaster.test_drill import Client as ApiClientFor
from tests.factories import (
    PASSWORD,
    ActivityCategoryFactory,
    QualificationFactory,
    ShelterFactory,
    UserFactory,
)
from volunteer.models import QualificationType, User

pytestmark = pytest.mark.django_db


def points(client_for: ApiClientFor, person: User) -> int:
    balances = client_for(person).get(f"{API}/points/").json()
    return sum(row["balance"] for row in balances if row["scheme"] == "kumamoto")


def test_the_whole_day_through_the_staff_pages(
    client_for: ApiClientFor,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    city_schemes_configured: None,
    disaster_office: User,
    centre_staff: User,
    shelter_staff: User,
    resident: User,
    household: Household,
    ward: Area,
    school_district: Area,
    disaster_insurance: QualificationType,
) -> None:
    ActivityCategoryFactory(code="disaster", name="災害ボランティア")
    clock = Clock(monkeypatch)
    hq, shelter_desk, centre_desk = (
        signed_in(disaster_office),
        signed_in(shelter_staff),
        signed_in(centre_staff),
    )

    # --- day 0: the headquarters declares, applies the special measure, opens a centre ----------
    declared = hq.post(
        reverse("staff-disaster-declare-page"),
        {
            "name": "令和8年7月豪雨",
            "wards": [ward.pk],
            "accepted_residence": "prefecture",
            "reason": "大雨特別警報",
            "password": PASSWORD,
        },
        follow=True,
    )
    disaster = Disaster.objects.get()
    assert disaster.is_active(timezone.now()), said(declared)
    hq.post(
        reverse("staff-disaster-switch-page", args=[disaster.pk, "special-measure"]),
        {"reason": "全社協の適用通知", "password": PASSWORD},
    )
    hq.post(
        reverse("staff-centre-open-page"),
        {
            "disaster": disaster.pk,
            "name": "中央区災害ボランティアセンター",
            "school_district": school_district.code,
            "address": "桜台1-1",
            "daily_quota": "3",
        },
    )
    centre = VolunteerCentre.objects.get()
    assert Disaster.objects.get().insurance_special_measure is True
    assert [d["id"] for d in client_for(resident).get(f"{API}/disaster-centres/").json()] == [centre.pk]

    # --- a shelter opens; a family scanned by its app code, a person without a phone entered ---
    shelter = ShelterFactory(name="桜台小学校体育館", school_district=school_district)
    shelter_desk.post(
        reverse("staff-shelter-switch-page", args=[shelter.pk, "open"]), {"disaster": disaster.pk}
    )
    assert Shelter.objects.get().status == Shelter.Status.OPEN
    code = client_for(resident).get(f"{API}/me/shelter-code/").json()["code"]
    scanned = client_for(shelter_staff).post(
        f"{API}/staff/shelters/{shelter.pk}/receptions/",
        {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": timezone.now().isoformat(),
            "stay_type": "shelter",
            "code": code,
        },
        format="json",
    )
    assert scanned.status_code == 201, scanned.content
    form = shelter_desk.get(reverse("staff-shelter-roster-page", args=[shelter.pk])).context["entry"]
    entry = {
        "reception_id": form["reception_id"],
        "stay_type": "car",
        "name_0": "高木 トメ",
        "age_group_0": "elder",
    }
    for _ in range(2):  # sent twice (a double click): one reception
        shelter_desk.post(reverse("staff-shelter-entry-page", args=[shelter.pk]), entry)
    counts = shelter_desk.get(reverse("staff-shelter-headcounts-status")).json()
    assert (counts["city"]["people"], counts["city"]["households"], counts["city"]["car"]) == (4, 2, 1)
    assert Evacuee.objects.filter(stay__left_at__isnull=True).count() == 4  # the count is the rows
    assert ShelterStay.objects.count() == 2

    # --- volunteers register in the app; the quota page calls them up ---------------------------
    day = timezone.localdate() + dt.timedelta(days=2)
    volunteers = [
        UserFactory(school_district=school_district, display_name=f"ボランティア{i}") for i in range(5)
    ]
    for volunteer in volunteers:
        body = {"home_prefecture": 43, "days": [day.isoformat()]}
        registered = client_for(volunteer).put(
            f"{API}/disaster-centres/{centre.pk}/registration/", body, format="json"
        )
        assert registered.status_code == 200, registered.content
    quota = centre_desk.post(
        reverse("staff-centre-quota-page", args=[centre.pk]),
        {"day": day.isoformat(), "quota": "4"},
        follow=True,
    )
    assert any("4人を呼び出しました" in m for m in said(quota))
    declining = CallUp.objects.filter(day=day).order_by("pk").first()
    assert declining is not None
    reply = client_for(declining.registration.person).post(
        f"{API}/me/call-ups/{declining.pk}/reply/", {"coming": False}, format="json"
    )
    assert reply.status_code == 200
    coming = [c.registration.person for c in CallUp.objects.filter(day=day).exclude(status="not_coming")]
    assert len(coming) == 4
    assert set(coming) == set(volunteers) - {declining.registration.person}

    # --- day 2: the door -------------------------------------------------------------------------
    clock.advance(days=2)
    insured, uninsured = coming[:3], coming[3]
    for person in insured:
        QualificationFactory(
            user=person,
            qualification_type=disaster_insurance,
            obtained_on=day - dt.timedelta(days=7),
            expires_on=None,
        )
    door = reverse("staff-centre-receive-page", args=[centre.pk])
    for person in coming:
        token = client_for(person).get(f"{API}/me/qr/").json()["token"]
        answer = centre_desk.post(door, {"code": token, "reception_id": str(uuid.uuid4())}, follow=True)
        if person is uninsured:
            pending = answer.context["pending"]
            desk = {key: pending[key] for key in ("code", "scanned_at", "reception_id")}
            answer = centre_desk.post(
                reverse("staff-centre-insurance-page", args=[centre.pk]), desk, follow=True
            )
        assert any(f"{person.display_name} さんを受付しました" in m for m in said(answer)), said(answer)
    assert CentreReception.objects.filter(day=day).count() == 4

    # --- needs: one from the app, one by phone; triage on the page ----------------------------
    asked = client_for(resident).post(
        f"{API}/disaster-centres/{centre.pk}/needs/",
        {
            "work_type": "mud_removal",
            "school_district": school_district.code,
            "address": "桜台2-2",
            "helpers_needed": 2,
        },
        format="json",
    )
    assert asked.status_code == 201, asked.content
    centre_desk.post(
        reverse("staff-centre-phone-page", args=[centre.pk]),
        {
            "work_type": "furniture_removal",
            "school_district": school_district.code,
            "address": "桜台3-3",
            "helpers_needed": "2",
            "contact_name": "玉名 スミ",
            "contact_phone": "096-111-2222",
        },
    )
    assert DisasterNeed.objects.count() == 2
    for need in DisasterNeed.objects.all():
        centre_desk.post(
            reverse("staff-need-triage-page", args=[need.pk]),
            {"accept": "true", "urgency": "1", "reason": "床上浸水"},
        )
    assert set(DisasterNeed.objects.values_list("status", flat=True)) == {"accepted"}

    # --- teams, work orders, reports; points and certificates ---------------------------------
    centre_desk.post(reverse("staff-teams-form-page", args=[centre.pk]))
    teams = list(Team.objects.order_by("number"))
    assert len(teams) == 2
    assert sorted(t.members.count() for t in teams) == [2, 2]
    for team in teams:
        pdf = centre_desk.get(reverse("staff-team-work-order-page", args=[team.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    before = {person.pk: points(client_for, person) for person in coming}
    clock.advance(hours=6)
    for team in teams:
        with django_capture_on_commit_callbacks(execute=True):
            centre_desk.post(reverse("staff-team-report-page", args=[team.pk]), {"outcome": "done"})
    assert set(DisasterNeed.objects.values_list("status", flat=True)) == {"done"}
    assert Participation.objects.filter(verified_at__isnull=False).count() == 4
    for person in coming:
        assert points(client_for, person) == before[person.pk] + 100
        [participation] = client_for(person).get(f"{API}/me/participations/").json()["results"]
        issued = client_for(person).post(
            f"{API}/certificates/",
            {"participation": participation["id"]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"page-drill-{person.pk}",
        )
        assert issued.status_code == 201, issued.content

    # --- the headquarters ends the disaster; the door stops -------------------------------------
    hq.post(
        reverse("staff-disaster-switch-page", args=[disaster.pk, "end"]),
        {"reason": "避難指示解除", "password": PASSWORD},
    )
    assert not Disaster.objects.get().is_active(timezone.now())
    late = UserFactory(school_district=school_district)
    token = client_for(late).get(f"{API}/me/qr/").json()["token"]
    stopped = centre_desk.post(door, {"code": token, "reception_id": str(uuid.uuid4())}, follow=True)
    assert said(stopped)[-1] == "このボランティアセンターは閉所しているか、災害が終了しています。"
    assert CentreReception.objects.count() == 4
