"""The register of people who need help to evacuate (避難行動要支援者): local supporters of an area
see the entries of those who consented in normal times, and every entry of a ward under a declared
disaster, without consent; every read is recorded; visibility returns to normal the moment the
disaster ends or lapses, with no job having run."""

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from disaster import services
from disaster.models import Disaster, EvacuationSupport, SupportRegisterRead
from plan_registry.models import Area
from tests.disaster.pages import said, signed_in
from tests.factories import (
    ConsentFactory,
    DisasterFactory,
    EvacuationSupportFactory,
    UserFactory,
)
from volunteer.models import Consent, User

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]
READS = "/api/v1/staff/evacuation-support/reads/"


@pytest.fixture
def register(school_district: Area, other_school_district: Area) -> dict[str, User]:
    """Three people in the commissioner's ward (one who consented), one in another ward."""
    people = {
        "consented": UserFactory(display_name="同意 あり", school_district=school_district),
        "not_consented": UserFactory(display_name="同意 なし", school_district=school_district),
        "withdrew": UserFactory(display_name="同意 撤回", school_district=school_district),
        "elsewhere": UserFactory(display_name="他の区", school_district=other_school_district),
    }
    for person in people.values():
        EvacuationSupportFactory(person=person, needs=["wheelchair"], note="2階で寝ている")
    ConsentFactory(user=people["consented"], document=Consent.Document.SUPPORT_REGISTER, version="2026-04")
    given = timezone.now() - dt.timedelta(days=30)
    ConsentFactory(
        user=people["withdrew"],
        document=Consent.Document.SUPPORT_REGISTER,
        version="2026-04",
        consented_at=given,
        withdrawn_at=given + dt.timedelta(days=1),
    )
    return people


def _read(client: APIClient) -> list[dict[str, object]]:
    response = client.post(READS, {"reason": "見守り訪問"}, format="json")
    assert response.status_code == 200, response.content
    return list(response.json())


def test_in_normal_times_only_those_who_consented(
    client_for: Client, commissioner: User, register: dict[str, User]
) -> None:
    entries = _read(client_for(commissioner))

    assert [(e["name"], e["ground"]) for e in entries] == [("同意 あり", "consent")]
    read = SupportRegisterRead.objects.get()
    assert (read.reader, read.person, read.reason, read.disaster) == (
        commissioner,
        register["consented"],
        "見守り訪問",
        None,
    )


def test_in_a_declared_disaster_everyone_of_the_affected_ward_each_read_recorded(
    client_for: Client, commissioner: User, register: dict[str, User], ward: Area
) -> None:
    disaster = DisasterFactory(wards=[ward])
    entries = _read(client_for(commissioner))

    assert sorted((e["name"], e["ground"]) for e in entries) == [
        ("同意 あり", "consent"),
        ("同意 なし", "disaster"),
        ("同意 撤回", "disaster"),
    ]
    assert "他の区" not in {e["name"] for e in entries}
    reads = SupportRegisterRead.objects.filter(disaster=disaster)
    assert {r.person for r in reads} == {register["not_consented"], register["withdrew"]}


def test_visibility_returns_to_normal_when_the_disaster_ends_or_lapses(
    commissioner: User, register: dict[str, User], ward: Area
) -> None:
    disaster = DisasterFactory(wards=[ward])
    during = services.support_register_read(reader=commissioner, reason="安否確認")
    after_lapse = services.support_register_read(
        reader=commissioner, reason="安否確認", now=disaster.lapses_at + dt.timedelta(seconds=1)
    )
    Disaster.objects.filter(pk=disaster.pk).update(ended_at=timezone.now())
    after_end = services.support_register_read(reader=commissioner, reason="安否確認")

    assert len(during) == 3
    assert [e.support.person for e in after_lapse] == [register["consented"]]
    assert [e.support.person for e in after_end] == [register["consented"]]


def test_a_disaster_elsewhere_opens_nothing_here(
    client_for: Client, commissioner: User, register: dict[str, User], other_ward: Area
) -> None:
    DisasterFactory(wards=[other_ward])
    assert [e["name"] for e in _read(client_for(commissioner))] == ["同意 あり"]


def test_a_read_needs_a_reason_and_a_supporters_role(
    client_for: Client, commissioner: User, coordinator: User, resident: User, register: dict[str, User]
) -> None:
    no_reason = client_for(commissioner).post(READS, {"reason": "  "}, format="json")
    assert no_reason.status_code == 400
    for other in (coordinator, resident):
        assert client_for(other).post(READS, {"reason": "確認"}, format="json").status_code == 403
    assert not SupportRegisterRead.objects.exists()


def test_a_resident_keeps_their_own_entry(client_for: Client, resident: User) -> None:
    client = client_for(resident)
    put = client.put(
        "/api/v1/me/evacuation-support/", {"needs": ["sight", "lives_alone"], "note": "白杖"}, format="json"
    )
    got = client.get("/api/v1/me/evacuation-support/")
    bad = client.put("/api/v1/me/evacuation-support/", {"needs": ["flying"]}, format="json")

    assert put.status_code == got.status_code == 200
    assert got.json()["needs"] == ["lives_alone", "sight"]
    assert bad.status_code == 400
    assert client.delete("/api/v1/me/evacuation-support/").status_code == 204
    assert not EvacuationSupport.objects.filter(person=resident).exists()
    assert client.get("/api/v1/me/evacuation-support/").status_code == 404


# --- the staff site's page ----------------------------------------------------------------------


def test_the_page_shows_nobody_until_a_reason_is_given_and_records_each_entry_shown(
    commissioner: User, register: dict[str, User]
) -> None:
    client = signed_in(commissioner)
    plain = client.get(reverse("staff-support-register-page"))
    assert plain.status_code == 200
    assert "同意 あり" not in plain.content.decode()
    assert "平常時（同意した人のみ）" in plain.content.decode()
    assert not SupportRegisterRead.objects.exists()

    no_reason = client.post(reverse("staff-support-register-read-page"), {"reason": "  "})
    assert said(no_reason)
    assert not SupportRegisterRead.objects.exists()

    shown = client.post(reverse("staff-support-register-read-page"), {"reason": "見守り訪問"})

    page = shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert [e["name"] for e in shown.context["entries"]] == ["同意 あり"]
    assert "同意 なし" not in page
    assert "本人の同意" in page
    assert list(SupportRegisterRead.objects.values_list("person", "reason")) == [
        (register["consented"].pk, "見守り訪問")
    ]


def test_under_a_declared_disaster_the_csv_lists_the_whole_ward_and_records_the_reads(
    commissioner: User, register: dict[str, User], ward: Area
) -> None:
    disaster = DisasterFactory(wards=[ward])
    client = signed_in(commissioner)
    assert disaster.name in client.get(reverse("staff-support-register-page")).content.decode()

    response = client.post(
        reverse("staff-support-register-read-page"), {"reason": "安否確認", "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["氏名", "校区", "必要な支援", "メモ", "根拠", "閲覧日時"]
    assert sorted(row[0] for row in rows[1:]) == ["同意 あり", "同意 なし", "同意 撤回"]
    grounds = {row[0]: row[4] for row in rows[1:]}
    assert grounds["同意 あり"] == "本人の同意"
    assert grounds["同意 なし"] == grounds["同意 撤回"] == "災害時（同意によらない提供）"
    assert SupportRegisterRead.objects.count() == 3
    assert SupportRegisterRead.objects.filter(disaster=disaster).count() == 2

    Disaster.objects.filter(pk=disaster.pk).update(ended_at=timezone.now())
    after = client.post(reverse("staff-support-register-read-page"), {"reason": "安否確認"})
    assert [e["name"] for e in after.context["entries"]] == ["同意 あり"]  # back to normal at once


@pytest.mark.parametrize("persona", ["disaster_office", "shelter_staff", "resident"])
def test_the_page_is_for_local_supporters_only(request: pytest.FixtureRequest, persona: str) -> None:
    client = signed_in(request.getfixturevalue(persona))

    assert client.get(reverse("staff-support-register-page")).status_code in {302, 403}
    assert client.post(reverse("staff-support-register-read-page"), {"reason": "r"}).status_code in {302, 403}
    assert not SupportRegisterRead.objects.exists()
