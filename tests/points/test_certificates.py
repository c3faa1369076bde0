"""Certificates: issued from verified participation, signed, verifiable, revocable, printable."""

import base64
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from points import credentials, errors, services
from points.models import Certificate
from tests.factories import ParticipationFactory
from tests.pdf_fonts import embedded_families, font_names, not_embedded
from tests.points.conftest import Verified
from volunteer.models import User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["totalMinutes"] += 600
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_a_certificate_verifies_and_a_tampered_copy_does_not(senior: User, verified: Verified) -> None:
    participation = verified(senior, minutes=150)
    certificate = services.certificate_issue(person=senior, participation=participation)

    good = services.certificate_verify(token=certificate.credential)
    bad = services.certificate_verify(token=tampered(certificate.credential))

    assert (good.valid, good.code) == (True, None)
    assert good.credential["credentialSubject"]["totalMinutes"] == 150
    assert senior.email not in certificate.credential  # the recipient is a salted hash
    assert (bad.valid, bad.code) == (False, "bad_signature")


def test_asking_twice_returns_the_same_certificate(senior: User, verified: Verified) -> None:
    participation = verified(senior)

    first = services.certificate_issue(person=senior, participation=participation)
    second = services.certificate_issue(person=senior, participation=participation)

    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_a_fiscal_year_summary_adds_up_the_years_activities(senior: User, verified: Verified) -> None:
    first, second = verified(senior, minutes=90), verified(senior, minutes=150)
    year = first.activity.starts_at.astimezone(settings_zone()).year
    fiscal_year = year if first.activity.starts_at.astimezone(settings_zone()).month >= 4 else year - 1

    certificate = services.certificate_issue(person=senior, fiscal_year=fiscal_year)

    assert certificate.total_minutes == 240
    assert certificate.participation_ids == sorted([first.pk, second.pk])
    assert certificate.title.endswith("年度 活動証明書")
    with pytest.raises(errors.NoActivitiesInYear):
        services.certificate_issue(person=senior, fiscal_year=fiscal_year - 3)


def settings_zone():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def test_unverified_or_someone_elses_participation_is_refused(
    senior: User, resident: User, verified: Verified
) -> None:
    with pytest.raises(errors.NotVerifiedParticipation):
        services.certificate_issue(person=senior, participation=ParticipationFactory(person=senior))
    with pytest.raises(errors.NotVerifiedParticipation):
        services.certificate_issue(person=senior, participation=verified(resident))
    assert not Certificate.objects.exists()


def test_a_revoked_certificate_fails_verification(
    senior: User, coordinator: User, verified: Verified
) -> None:
    certificate = services.certificate_issue(person=senior, participation=verified(senior))

    services.certificate_revoke(certificate=certificate, staff=coordinator, reason="出席の誤登録")
    with pytest.raises(errors.AlreadyRevoked):
        services.certificate_revoke(certificate=certificate, staff=coordinator, reason="again")

    result = services.certificate_verify(token=certificate.credential)
    assert (result.valid, result.code) == (False, "revoked")


def test_certificates_signed_before_a_key_rotation_still_verify(senior: User, verified: Verified) -> None:
    old = services.certificate_issue(person=senior, participation=verified(senior))
    call_command("certificate_key_rotate", verbosity=0)
    new = services.certificate_issue(person=senior, participation=verified(senior))

    assert old.key_id != new.key_id
    assert services.certificate_verify(token=old.credential).valid
    assert services.certificate_verify(token=new.credential).valid


def test_the_public_documents(client: object, senior: User, coordinator: User, verified: Verified) -> None:
    from django.test import Client as DjangoClient

    certificate = services.certificate_issue(person=senior, participation=verified(senior))
    services.certificate_revoke(certificate=certificate, staff=coordinator, reason="誤り")
    web = DjangoClient()

    did = web.get("/.well-known/did.json").json()
    status_list = web.get("/credentials/status/1")
    page = web.get(f"/verify/{certificate.serial}/")
    missing = web.get("/verify/KV2025-XXXX-XXXX/")

    assert [m["publicKeyJwk"]["kty"] for m in did["verificationMethod"]] == ["OKP"]
    assert all("d" not in m["publicKeyJwk"] for m in did["verificationMethod"])
    assert status_list["Content-Type"] == "application/vc+jwt"
    listed = credentials.credential_verify(
        token=status_list.content.decode(),
        public_keys=credentials.did_document_public_keys(document=did),
        expected_type="BitstringStatusListCredential",
    )
    encoded = listed["credentialSubject"]["encodedList"]
    assert credentials.status_list_is_set(encoded=encoded, index=certificate.pk)
    assert not credentials.status_list_is_set(encoded=encoded, index=certificate.pk + 1)
    assert "取り消されています" in page.content.decode()
    assert missing.status_code == 404


def test_the_api_issues_lists_and_verifies_without_sign_in(
    client_for: Client, senior: User, verified: Verified, api_client: APIClient
) -> None:
    participation = verified(senior)

    created = client_for(senior).post(
        "/api/v1/certificates/", {"participation": participation.pk}, format="json", HTTP_IDEMPOTENCY_KEY="c1"
    )
    listed = client_for(senior).get("/api/v1/certificates/").json()["results"]
    good = api_client.post(
        "/api/v1/certificates/verify/", {"credential": created.json()["credential"]}, format="json"
    )
    bad = api_client.post(
        "/api/v1/certificates/verify/", {"credential": tampered(created.json()["credential"])}, format="json"
    )

    assert created.status_code == 201
    assert [c["serial"] for c in listed] == [created.json()["serial"]]
    assert good.json()["valid"] is True
    assert good.json()["total_minutes"] == 150
    assert (bad.json()["valid"], bad.json()["code"]) == (False, "bad_signature")


def test_someone_else_cannot_read_my_certificate(client_for: Client, senior: User, resident: User,
                                                 verified: Verified) -> None:  # fmt: skip
    certificate = services.certificate_issue(person=senior, participation=verified(senior))

    assert client_for(resident).get(f"/api/v1/certificates/{certificate.pk}/").status_code == 404
    assert client_for(resident).get(f"/api/v1/certificates/{certificate.pk}/pdf/").status_code == 404


def test_the_pdf_embeds_the_packaged_japanese_font(
    client_for: Client, senior: User, verified: Verified
) -> None:
    certificate = services.certificate_issue(person=senior, participation=verified(senior, minutes=150))

    response = client_for(senior).get(f"/api/v1/certificates/{certificate.pk}/pdf/")

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert embedded_families(response.content) == {"IPAexGothic"}, font_names(response.content)
    assert not_embedded(response.content) == set()


def test_without_the_font_the_pdf_is_a_503_that_says_so(
    client_for: Client, senior: User, verified: Verified, settings: Any, tmp_path: Path
) -> None:
    certificate = services.certificate_issue(person=senior, participation=verified(senior, minutes=150))
    settings.CERTIFICATE_FONT_PATH = str(tmp_path / "moved-away.ttf")

    english = client_for(senior).get(f"/api/v1/certificates/{certificate.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="en")
    japanese = client_for(senior).get(
        f"/api/v1/certificates/{certificate.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="ja"
    )

    assert (english.status_code, english.json()["code"]) == (503, "certificate_font_missing")
    assert "CERTIFICATE_FONT_PATH names no file" in english.json()["message"]
    assert japanese.json()["message"].startswith("証明書用の日本語フォントがサーバーにありません。")
    assert Certificate.objects.get().pk == certificate.pk  # the certificate itself stays issued


@pytest.mark.pdf_text
def test_the_pdf_is_japanese_text_with_the_name_and_hours(
    client_for: Client, senior: User, verified: Verified, tmp_path: Path
) -> None:
    certificate = services.certificate_issue(person=senior, participation=verified(senior, minutes=150))

    response = client_for(senior).get(f"/api/v1/certificates/{certificate.pk}/pdf/")
    (tmp_path / "c.pdf").write_bytes(response.content)
    pdftotext = [shutil.which("pdftotext") or "pdftotext", "-layout", str(tmp_path / "c.pdf"), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our own file

    assert response["Content-Type"] == "application/pdf"
    assert "熊本 花子" in text
    assert "2時間30分" in text
    assert certificate.serial in text
