"""Activity certificates: issued from verified participation, signed with the city's current key,
revocable, verifiable by anyone holding one (the credential) or its serial (the public page).

The signing core is `points.credentials` (pure); this module stores keys and certificates. Private
keys are kept encrypted with a key derived from DJANGO_SECRET_KEY, so a database dump alone
cannot sign; rotating DJANGO_SECRET_KEY therefore needs the keys re-encrypted (or rotated).
"""

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import required_reason
from core.fonts import JapaneseFontMissing, japanese_font_path
from events.models import Participation
from plan_registry.fiscal_year import FiscalYear, fiscal_year_of
from points import certificate_pdf as certificate_pdf_module
from points import credentials, errors
from points.models import Certificate, CertificateKey, CertificateKeyPublication
from volunteer.models import User

SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"points.certificate-keys:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def issuer() -> credentials.Issuer:
    host = urlsplit(settings.PUBLIC_BASE_URL).netloc
    return credentials.Issuer(
        did=credentials.did_web_for(host=host),
        name=settings.CERTIFICATE_ISSUER_NAME,
        url=settings.PUBLIC_BASE_URL,
    )


def status_list_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}/credentials/status/1"


def verification_url(serial: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{serial}/"


@transaction.atomic
def signing_key_rotate() -> CertificateKey:
    """A new signing key, published under the current identifier; the previous ones are retired
    but stay published under the identifiers they were published under."""
    now = timezone.now()
    CertificateKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    key = credentials.key_generate(key_id=f"key-{now:%Y%m%d}-{secrets.token_hex(3)}")
    record = CertificateKey.objects.create(
        key_id=key.key_id,
        private_pem_encrypted=_fernet().encrypt(key.private_pem).decode(),
        public_jwk=key.public_jwk(),
        created_at=now,
    )
    _publication_record(key=record, did=issuer().did)
    return record


def _publication_record(*, key: CertificateKey, did: str) -> None:
    # get_or_create: two certificates signed at once under a new identifier record it once (the
    # unique constraint decides, and the loser reads the winner's row).
    CertificateKeyPublication.objects.get_or_create(
        key=key, issuer_did=did, defaults={"published_at": timezone.now()}
    )


def signing_key_current() -> tuple[CertificateKey, credentials.SigningKey]:
    record = CertificateKey.objects.filter(retired_at__isnull=True).first() or signing_key_rotate()
    return record, credentials.SigningKey(
        record.key_id, _fernet().decrypt(record.private_pem_encrypted.encode())
    )


def public_keys() -> dict[str, dict[str, Any]]:
    """What the verifier accepts, by verification-method id: exactly the DID document's keys, each
    only under the identifiers it was published under, so a move of PUBLIC_BASE_URL leaves the
    certificates signed before it verifiable and lends a key no identifier it never had."""
    return credentials.did_document_public_keys(document=did_document())


def did_document() -> dict[str, Any]:
    """The current identifier's DID document: the key signing now, every key published under this
    identifier, and those published under the earlier ones (alsoKnownAs)."""
    current = issuer().did
    # The current key is listed even before it signs a certificate under a new identifier: the
    # status list is signed with it on every request.
    signing = CertificateKey.objects.filter(retired_at__isnull=True).first()
    pairs = [(current, signing)] if signing else []
    publications = CertificateKeyPublication.objects.select_related("key")
    pairs += [(publication.issuer_did, publication.key) for publication in publications]
    published: dict[tuple[str, str], credentials.PublishedKey] = {}
    for did, key in pairs:
        published.setdefault(
            (did, key.key_id), credentials.PublishedKey(did=did, key_id=key.key_id, public_jwk=key.public_jwk)
        )
    # sorted is stable: the current identifier's keys first, newest first within each identifier.
    keys = sorted(published.values(), key=lambda key: key.did != current)
    return credentials.did_document_published(did=current, keys=keys)


def _activity(participation: Participation) -> credentials.Activity:
    activity = participation.activity
    organiser = activity.organisation.name if activity.organisation else settings.CERTIFICATE_ISSUER_NAME
    return credentials.Activity(
        date=timezone.localtime(activity.starts_at).date(),
        place=activity.school_district.name,
        content=activity.title,
        minutes=participation.minutes or 0,
        organiser=organiser,
    )


def _verified_for(person: User) -> Any:
    """Verified participations with time to certify (a participation of 0 minutes certifies nothing)."""
    return (
        Participation.objects.filter(person=person, verified_at__isnull=False, minutes__gt=0)
        .select_related("activity__organisation", "activity__school_district")
        .order_by("activity__starts_at", "pk")
    )


@transaction.atomic
def certificate_issue(
    *, person: User, participation: Participation | None = None, fiscal_year: int | None = None
) -> Certificate:
    """A certificate of one verified participation, or of a fiscal year's. Asking again for the
    same activities returns the certificate already issued."""
    User.objects.select_for_update().filter(pk=person.pk).first()  # one issuance per person at a time
    if (participation is None) == (fiscal_year is None):
        raise errors.CertificateTargetRequired()
    if participation is not None:
        chosen = list(_verified_for(person).filter(pk=participation.pk))
        if not chosen:
            raise errors.NotVerifiedParticipation()
        title, kind = f"活動証明書（{chosen[0].activity.title}）", Certificate.Kind.PARTICIPATION
    else:
        year = FiscalYear(int(fiscal_year or 0))
        chosen = list(
            _verified_for(person).filter(
                activity__starts_at__gte=year.start, activity__starts_at__lt=year.end
            )
        )
        if not chosen:
            raise errors.NoActivitiesInYear()
        title, kind = f"{year.japanese_label} 活動証明書", Certificate.Kind.FISCAL_YEAR
    ids = [p.pk for p in chosen]
    existing = Certificate.objects.filter(
        person=person, kind=kind, participation_ids=ids, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    return _certificate_sign(person, kind, title, chosen, participation, fiscal_year)


def _certificate_sign(
    person: User,
    kind: str,
    title: str,
    chosen: list[Participation],
    participation: Participation | None,
    fiscal_year: int | None,
) -> Certificate:
    activities = tuple(_activity(p) for p in chosen)
    now = timezone.now()
    certificate = Certificate.objects.create(
        serial=_serial(now),
        person=person,
        kind=kind,
        participation=participation,
        fiscal_year=fiscal_year,
        title=title,
        activities=[_activity_json(a) for a in activities],
        participation_ids=[p.pk for p in chosen],
        total_minutes=sum(a.minutes for a in activities),
        recipient_salt=secrets.token_hex(16),
        credential="",
        issued_at=now,
    )
    record, key = signing_key_current()
    claims = credentials.CertificateClaims(
        serial=certificate.serial,
        recipient_hash=credentials.recipient_hash(
            identity=person.email.lower(), salt=certificate.recipient_salt
        ),
        recipient_salt=certificate.recipient_salt,
        recipient_name=person.display_name or None,
        title=title,
        fiscal_year=fiscal_year
        if fiscal_year is not None
        else fiscal_year_of(chosen[0].activity.starts_at).year,
        activities=activities,
        total_minutes=certificate.total_minutes,
        issued_at=now,
        status_list_url=status_list_url(),
        status_index=certificate.status_index,
        verification_url=verification_url(certificate.serial),
    )
    city = issuer()
    certificate.credential = credentials.credential_sign(
        credential=credentials.credential_build(claims=claims, issuer=city), key=key, issuer=city
    )
    # The first certificate signed under a new PUBLIC_BASE_URL adds its identifier to the key's
    # history, so this certificate still verifies after the next move.
    _publication_record(key=record, did=city.did)
    certificate.key = record
    certificate.save(update_fields=["credential", "key"])
    return certificate


def _serial(now: dt.datetime) -> str:
    """Unguessable, so the public page cannot be walked through: KV2025-XXXX-XXXX."""
    random_part = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
    return f"KV{fiscal_year_of(now).year}-{random_part[:4]}-{random_part[4:]}"


def _activity_json(activity: credentials.Activity) -> dict[str, Any]:
    return {
        "date": activity.date.isoformat(),
        "place": activity.place,
        "content": activity.content,
        "minutes": activity.minutes,
        "organiser": activity.organiser,
    }


def certificate_activities(certificate: Certificate) -> tuple[credentials.Activity, ...]:
    return tuple(
        credentials.Activity(
            date=dt.date.fromisoformat(a["date"]),
            place=a["place"],
            content=a["content"],
            minutes=a["minutes"],
            organiser=a["organiser"],
        )
        for a in certificate.activities
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, staff: User, reason: str) -> Certificate:
    reason = required_reason(reason)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise errors.AlreadyRevoked()
    locked.revoked_at, locked.revoked_by, locked.revoked_reason = timezone.now(), staff, reason.strip()
    locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked


def status_list_token() -> str:
    """The signed revocation list every certificate points at (recomputed on each request)."""
    revoked = Certificate.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
    encoded = credentials.status_list_encode(revoked=revoked)
    city = issuer()
    unsigned = credentials.status_list_credential(
        issuer=city, url=status_list_url(), encoded=encoded, valid_from=timezone.now()
    )
    _, key = signing_key_current()
    return credentials.credential_sign(credential=unsigned, key=key, issuer=city)


@dataclass(frozen=True)
class Verification:
    valid: bool
    code: (
        str | None
    )  # why not: malformed, unknown_key, bad_signature, wrong_type, revoked, unknown_certificate
    credential: dict[str, Any] | None
    certificate: Certificate | None


def certificate_verify(*, token: str) -> Verification:
    """Checks the signature against the published keys, then the revocation list."""
    try:
        credential = credentials.credential_verify(token=token, public_keys=public_keys())
    except credentials.CredentialInvalid as invalid:
        return Verification(False, invalid.code, None, None)
    serial = credential.get("credentialSubject", {}).get("serial")
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        return Verification(False, "unknown_certificate", credential, None)
    index = int(credential.get("credentialStatus", {}).get("statusListIndex", -1))
    revoked = Certificate.objects.filter(pk=index, revoked_at__isnull=False).exists()
    return Verification(not revoked, "revoked" if revoked else None, credential, certificate)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    try:
        font = japanese_font_path(override=settings.CERTIFICATE_FONT_PATH)
    except JapaneseFontMissing as missing:
        raise errors.CertificateFontMissing() from missing
    issued = timezone.localtime(certificate.issued_at).date()
    year = FiscalYear(certificate.fiscal_year) if certificate.fiscal_year is not None else None
    document = certificate_pdf_module.CertificateDocument(
        title="活動証明書",
        fiscal_year_label=year.label if year else None,
        recipient_name=certificate.person.display_name or certificate.person.email,
        activities=certificate_activities(certificate),
        total_minutes=certificate.total_minutes,
        issuing_body=settings.CERTIFICATE_ISSUER_NAME,
        issued_on_label=f"{japanese_date(issued)}（{issued.year}年{issued.month}月{issued.day}日）",
        serial=certificate.serial,
        verification_url=verification_url(certificate.serial),
    )
    return certificate_pdf_module.certificate_pdf_render(document=document, font_path=font)


def japanese_date(day: dt.date) -> str:
    """令和7年11月27日; the first year of an era is 元年."""
    era, first = (
        ("令和", dt.date(2019, 5, 1)) if day >= dt.date(2019, 5, 1) else ("平成", dt.date(1989, 1, 8))
    )
    number = day.year - first.year + 1
    return f"{era}{'元' if number == 1 else number}年{day.month}月{day.day}日"
