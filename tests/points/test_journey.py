"""The issue's whole journey through the API: register, check in and out by QR, verification,
100 くまもとポイント, a Japanese PDF certificate whose credential verifies (a tampered copy does
not), and a reconciliation with no difference."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Activity
from tests.factories import ActivityFactory
from tests.pdf_fonts import embedded_families, not_embedded
from tests.points.test_certificates import tampered
from volunteer.models import Organisation, OrganisationMembership, User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def test_from_registration_to_a_verified_certificate(
    client_for: Client,
    api_client: APIClient,
    resident: User,
    organiser: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    organisation: Organisation = OrganisationMembership.objects.get(user=organiser).organisation
    starts = timezone.now() - dt.timedelta(minutes=10)
    event = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        title="いきいきサロン",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=10,
    )
    me, staff = client_for(resident), client_for(organiser)

    assert me.post(f"/api/v1/events/{event.pk}/register/").status_code == 201
    venue_code = staff.get(f"/api/v1/staff/events/{event.pk}/checkin-token/").json()["token"]
    checked_in = me.post(
        "/api/v1/checkins/", {"event": event.pk, "token": venue_code, "direction": "in"}, format="json"
    )
    later = timezone.now() + dt.timedelta(minutes=150)
    monkeypatch.setattr("events.services.attendance.timezone.now", lambda: later)
    venue_code = staff.get(f"/api/v1/staff/events/{event.pk}/checkin-token/").json()["token"]
    checked_out = me.post(
        "/api/v1/checkins/", {"event": event.pk, "token": venue_code, "direction": "out"}, format="json"
    )
    participation = staff.get(f"/api/v1/staff/events/{event.pk}/participants/").json()["results"][0]
    with django_capture_on_commit_callbacks(execute=True):
        verified = staff.post(
            f"/api/v1/staff/events/{event.pk}/verify/",
            {"participations": [participation["id"]]},
            format="json",
        ).json()
    balances = {row["scheme"]: row["balance"] for row in me.get("/api/v1/points/").json()}
    certificate = me.post(
        "/api/v1/certificates/",
        {"participation": participation["id"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="journey",
    ).json()
    pdf = me.get(certificate["pdf_url"])
    good = api_client.post(
        "/api/v1/certificates/verify/", {"credential": certificate["credential"]}, format="json"
    )
    bad = api_client.post(
        "/api/v1/certificates/verify/", {"credential": tampered(certificate["credential"])}, format="json"
    )

    assert (checked_in.status_code, checked_out.status_code) == (201, 201)
    assert verified == [{"participation": participation["id"], "ok": True, "code": None, "minutes": 150}]
    assert balances["kumamoto"] == 100
    assert certificate["total_minutes"] == 150
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    # Its Japanese text is read back with pdftotext in test_certificates.py.
    assert (embedded_families(pdf.content), not_embedded(pdf.content)) == ({"IPAexGothic"}, set())
    assert good.json()["valid"] is True
    assert (bad.json()["valid"], bad.json()["code"]) == (False, "bad_signature")
    call_command("points_reconcile", stdout=(tmp_path / "out.txt").open("w"))
    assert (tmp_path / "out.txt").read_text().startswith("no difference")
