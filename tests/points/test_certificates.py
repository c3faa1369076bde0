"""Certificates: issued from verified participation, signed, verifiable, revocable, printable."""

import base64
import importlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client as DjangoClient
from rest_framework.test import APIClient

from points import credentials, errors, services
from points.models import Certificate, CertificateKeyPublication
from points.services.certificates import signing_key_current
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


FIRST_URL, FIRST_DID = "https://volunteer.example.jp", "did:web:volunteer.example.jp"
MOVED_URL, MOVED_DID = "https://kumamoto-volunteer.example.org", "did:web:kumamoto-volunteer.example.org"


def payload(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return value


def signed_as(token: str, *, did: str, key: credentials.SigningKey) -> str:
    """The certificate's credential re-issued under `did` and signed by `key`: a real signature."""
    credential = payload(token)
    credential["issuer"]["id"] = did
    issuer = credentials.Issuer(did=did, name="熊本市ボランティアセンター", url="https://elsewhere.example")
    return credentials.credential_sign(credential=credential, key=key, issuer=issuer)


def history() -> list[tuple[str, str]]:
    return sorted(CertificateKeyPublication.objects.values_list("issuer_did", "key__key_id"))


def test_a_certificate_issued_before_public_base_url_moved_still_verifies(
    settings: Any, senior: User, verified: Verified, api_client: APIClient
) -> None:
    settings.PUBLIC_BASE_URL = FIRST_URL
    before = services.certificate_issue(person=senior, participation=verified(senior))
    settings.PUBLIC_BASE_URL = MOVED_URL
    after = services.certificate_issue(person=senior, participation=verified(senior))
    key_id = before.key.key_id

    api = api_client.post("/api/v1/certificates/verify/", {"credential": before.credential}, format="json")
    page = DjangoClient().get(f"/verify/{before.serial}/")
    did = DjangoClient().get("/.well-known/did.json").json()

    assert jwt.get_unverified_header(before.credential)["kid"] == f"{FIRST_DID}#{key_id}"
    assert (api.json()["valid"], api.json()["code"], api.json()["serial"]) == (True, None, before.serial)
    assert "この証明書は有効です" in page.content.decode()
    assert jwt.get_unverified_header(after.credential)["kid"] == f"{MOVED_DID}#{key_id}"
    assert payload(after.credential)["issuer"]["id"] == MOVED_DID
    assert payload(after.credential)["id"] == f"{MOVED_URL}/verify/{after.serial}/"
    assert services.certificate_verify(token=after.credential).valid
    assert (did["id"], did["alsoKnownAs"]) == (MOVED_DID, [FIRST_DID])
    assert [(m["id"], m["controller"]) for m in did["verificationMethod"]] == [
        (f"{MOVED_DID}#{key_id}", MOVED_DID),
        (f"{FIRST_DID}#{key_id}", FIRST_DID),
    ]
    assert did["assertionMethod"] == [f"{MOVED_DID}#{key_id}", f"{FIRST_DID}#{key_id}"]


def test_a_key_verifies_only_under_the_identifiers_it_was_published_under(
    settings: Any, senior: User, verified: Verified
) -> None:
    settings.PUBLIC_BASE_URL = FIRST_URL
    before = services.certificate_issue(person=senior, participation=verified(senior))
    settings.PUBLIC_BASE_URL = MOVED_URL
    call_command("certificate_key_rotate", verbosity=0)
    after = services.certificate_issue(person=senior, participation=verified(senior))
    first_key, (_, moved_key) = before.key.key_id, signing_key_current()
    published = history()

    # The key that came after the move was never published under the first host.
    result = services.certificate_verify(token=signed_as(after.credential, did=FIRST_DID, key=moved_key))
    did = DjangoClient().get("/.well-known/did.json").json()

    assert (result.valid, result.code) == (False, "unknown_key")
    assert services.certificate_verify(token=before.credential).valid
    assert services.certificate_verify(token=after.credential).valid
    assert published == [(MOVED_DID, moved_key.key_id), (FIRST_DID, first_key)]
    assert history() == published
    assert did["assertionMethod"] == [f"{MOVED_DID}#{moved_key.key_id}", f"{FIRST_DID}#{first_key}"]


def test_forged_issuers_unpublished_keys_and_identifiers_never_ours_are_refused(
    settings: Any, senior: User, verified: Verified, api_client: APIClient
) -> None:
    settings.PUBLIC_BASE_URL = FIRST_URL
    certificate = services.certificate_issue(person=senior, participation=verified(senior))
    settings.PUBLIC_BASE_URL = MOVED_URL
    _, ours = signing_key_current()
    theirs = credentials.key_generate(key_id=ours.key_id)  # an attacker's key under our key's name
    published, credential = history(), certificate.credential
    # Signed by our key under our current identifier, on a credential naming the first one.
    header = {"kid": f"{MOVED_DID}#{ours.key_id}", "typ": "vc+jwt"}
    cross_signed = jwt.encode(payload(credential), ours.private_pem, algorithm="EdDSA", headers=header)

    refusals = {
        "a forged issuer's own key": signed_as(credential, did="did:web:evil.example", key=theirs),
        "someone else's key under our name": signed_as(credential, did=FIRST_DID, key=theirs),
        "a key id never published": signed_as(
            credential, did=FIRST_DID, key=credentials.SigningKey("key-never", ours.private_pem)
        ),
        "our key under an identifier never ours": signed_as(
            credential, did="did:web:elsewhere.example", key=ours
        ),
        "a kid of one identifier on a credential of another": cross_signed,
    }
    results = {name: services.certificate_verify(token=token) for name, token in refusals.items()}
    api = api_client.post(
        "/api/v1/certificates/verify/", {"credential": refusals["a key id never published"]}, format="json"
    )

    assert {name: (result.valid, result.code) for name, result in results.items()} == {
        "a forged issuer's own key": (False, "unknown_key"),
        "someone else's key under our name": (False, "bad_signature"),
        "a key id never published": (False, "unknown_key"),
        "our key under an identifier never ours": (False, "unknown_key"),
        "a kid of one identifier on a credential of another": (False, "unknown_key"),
    }
    assert (api.json()["valid"], api.json()["code"]) == (False, "unknown_key")
    assert history() == published
    assert list(Certificate.objects.values_list("serial", "credential")) == [(certificate.serial, credential)]


def test_a_certificate_revoked_under_an_earlier_identifier_stays_revoked_after_a_move(
    settings: Any, senior: User, coordinator: User, verified: Verified
) -> None:
    settings.PUBLIC_BASE_URL = FIRST_URL
    certificate = services.certificate_issue(person=senior, participation=verified(senior))
    services.certificate_revoke(certificate=certificate, staff=coordinator, reason="出席の誤登録")
    settings.PUBLIC_BASE_URL = MOVED_URL

    result = services.certificate_verify(token=certificate.credential)
    page = DjangoClient().get(f"/verify/{certificate.serial}/")

    assert (result.valid, result.code) == (False, "revoked")
    assert "取り消されています" in page.content.decode()


def test_the_migration_recovers_identifiers_from_certificates_issued_before_it(
    settings: Any, senior: User, verified: Verified
) -> None:
    migration = importlib.import_module("points.migrations.0006_certificate_key_publications")
    settings.PUBLIC_BASE_URL = FIRST_URL
    certificate = services.certificate_issue(person=senior, participation=verified(senior))
    CertificateKeyPublication.objects.all().delete()  # as it was before the migration
    settings.PUBLIC_BASE_URL = MOVED_URL
    unrecorded = services.certificate_verify(token=certificate.credential)

    migration.publications_from_certificates(apps, None)

    assert (unrecorded.valid, unrecorded.code) == (False, "unknown_key")
    assert history() == [(FIRST_DID, certificate.key.key_id)]
    assert services.certificate_verify(token=certificate.credential).valid


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
