"""Activity certificates (活動証明書) as signed credentials, and the list that revokes them. Pure: no ORM.

A certificate is an Open Badges 3.0 OpenBadgeCredential, which is also a W3C Verifiable Credential
2.0, secured as a compact JWS per W3C VC-JOSE-COSE (the payload is the credential JSON itself).
We chose JOSE over a Data Integrity proof because any standard JOSE library can check it on its
own, without the RDF canonicalisation a Data Integrity proof needs. Keys are Ed25519, published
in a did:web DID document; revocation is a W3C Bitstring Status List.
"""

import base64
import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError, UnsupportedAlgorithmError
from joserfc.jwa import EdDSAAlgorithm, JWSAlgModel
from joserfc.jwk import OKPKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1")
CERTIFICATE_TYPE = "OpenBadgeCredential"
STATUS_LIST_TYPE = "BitstringStatusListCredential"
# The spec's minimum length (16 KB): one revoked certificate hides among many (herd privacy).
STATUS_LIST_SIZE = 131072
JWS_ALGORITHM = "EdDSA"
JWS_TYPE = "vc+jwt"
JWS_CONTENT_TYPE = "vc"


class CredentialInvalid(Exception):
    """A token that does not prove a credential; code is one of CREDENTIAL_INVALID_CODES."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


CREDENTIAL_INVALID_CODES = frozenset({"malformed", "unknown_key", "bad_signature", "wrong_type"})


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_pem: bytes = field(repr=False)  # kept out of logs and tracebacks

    def public_jwk(self) -> dict[str, str]:
        """The public part only, picked by name so the private "d" can never slip through."""
        jwk = OKPKey.import_key(self.private_pem).as_dict(private=False)
        return {"kty": str(jwk["kty"]), "crv": str(jwk["crv"]), "x": str(jwk["x"])}


@dataclass(frozen=True)
class Activity:
    date: dt.date
    place: str
    content: str
    minutes: int
    organiser: str


@dataclass(frozen=True)
class CertificateClaims:
    serial: str
    recipient_hash: str
    recipient_salt: str
    recipient_name: str | None
    title: str
    fiscal_year: int | None
    activities: tuple[Activity, ...]
    total_minutes: int
    issued_at: dt.datetime
    status_list_url: str
    status_index: int
    verification_url: str

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be aware: validFrom carries its offset")
        # A printed total that disagrees with its rows would be signed for ever.
        if self.total_minutes != sum(activity.minutes for activity in self.activities):
            raise ValueError("total_minutes must be the sum of the activities' minutes")


class _QuietEdDSA(EdDSAAlgorithm):
    # RFC 9864 deprecates the name "EdDSA" for "Ed25519", and joserfc warns on every use. We keep
    # "EdDSA" because it is the name VC-JOSE-COSE verifiers and PyJWT accept today. (Empty, not
    # None: the base class types it str, and joserfc warns only when it is truthy.)
    security_warning = ""


class _CertificateRegistry(jws.JWSRegistry):
    # Only our one algorithm exists here, so a token can never talk us into "none" or HMAC.
    algorithms: dict[str, JWSAlgModel] = {JWS_ALGORITHM: _QuietEdDSA()}


_REGISTRY = _CertificateRegistry(algorithms=[JWS_ALGORITHM])


def key_generate(*, key_id: str) -> SigningKey:
    key = OKPKey.generate_key("Ed25519", private=True)
    return SigningKey(key_id=key_id, private_pem=key.as_pem(private=True))


def verification_method_id(*, issuer: Issuer, key_id: str) -> str:
    return f"{issuer.did}#{key_id}"


def recipient_hash(*, identity: str, salt: str) -> str:
    """Open Badges' salted identityHash, so the recipient is never named in the clear."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def credential_build(*, claims: CertificateClaims, issuer: Issuer) -> dict[str, Any]:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        # The verification page is unique to the certificate and resolvable by whoever holds it.
        "id": claims.verification_url,
        "type": ["VerifiableCredential", CERTIFICATE_TYPE],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": claims.issued_at.isoformat(timespec="seconds"),
        "name": claims.title,
        "credentialSubject": _subject(claims=claims, issuer=issuer),
        "credentialStatus": _status_entry(url=claims.status_list_url, index=claims.status_index),
    }


def _subject(*, claims: CertificateClaims, issuer: Issuer) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": claims.recipient_hash,
                "identityType": "identifier",
                "hashed": True,
                "salt": claims.recipient_salt,
            }
        ],
        "achievement": _achievement(claims=claims, issuer=issuer),
        # Our own terms, outside the Open Badges context: the VC 2.0 context's @vocab maps them to
        # issuer-dependent IRIs, so the document stays valid JSON-LD.
        "serial": claims.serial,
        "activities": [_activity_json(activity) for activity in claims.activities],
        "totalMinutes": claims.total_minutes,
    }
    if claims.recipient_name is not None:
        subject["name"] = claims.recipient_name
    if claims.fiscal_year is not None:
        subject["fiscalYear"] = claims.fiscal_year
    return subject


def _achievement(*, claims: CertificateClaims, issuer: Issuer) -> dict[str, Any]:
    # One achievement per fiscal year, shared by every recipient of that year's certificate.
    year_part = f"/{claims.fiscal_year}" if claims.fiscal_year is not None else ""
    year_label = f"（{claims.fiscal_year}年度）" if claims.fiscal_year is not None else ""
    return {
        "id": f"{issuer.url.rstrip('/')}/achievements/activity-certificate{year_part}",
        "type": ["Achievement"],
        "name": f"{claims.title}{year_label}",
        "description": f"{issuer.name}が記録したボランティア活動の参加証明{year_label}",
        "criteria": {"narrative": "記載の各活動に参加し、その参加が主催者により確認されたこと。"},
    }


def _activity_json(activity: Activity) -> dict[str, Any]:
    return {
        "date": activity.date.isoformat(),
        "place": activity.place,
        "content": activity.content,
        "minutes": activity.minutes,
        "organiser": activity.organiser,
    }


def _status_entry(*, url: str, index: int) -> dict[str, str]:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def credential_sign(*, credential: Mapping[str, Any], key: SigningKey, issuer: Issuer) -> str:
    """The compact JWS (VC-JOSE-COSE) of the credential, signed by the issuer's key."""
    if _issuer_id(credential) != issuer.did:
        raise ValueError("the credential names another issuer than the one signing it")
    header = {
        "alg": JWS_ALGORITHM,
        "typ": JWS_TYPE,
        "cty": JWS_CONTENT_TYPE,
        "kid": verification_method_id(issuer=issuer, key_id=key.key_id),
    }
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    private_key = OKPKey.import_key(key.private_pem)
    return jws.serialize_compact(header, payload, private_key, registry=_REGISTRY)


def credential_verify(
    *, token: str, public_keys: Mapping[str, Mapping[str, Any]], expected_type: str = CERTIFICATE_TYPE
) -> dict[str, Any]:
    """The credential a token proves. public_keys maps verification-method ids (did#key) to public
    JWKs; keep retired keys in it, and the certificates they signed still verify."""
    signature = _extract(token)
    kid = signature.headers().get("kid")
    public_jwk = public_keys.get(kid) if isinstance(kid, str) else None
    if public_jwk is None:
        raise CredentialInvalid("unknown_key")
    _check_signature(signature=signature, public_jwk=public_jwk)
    credential = _json_object(signature.payload)
    # A key proves only what its own DID issues, even when the map holds several issuers' keys.
    if _issuer_id(credential) != str(kid).split("#", 1)[0]:
        raise CredentialInvalid("unknown_key")
    types = credential.get("type")
    if signature.headers().get("typ") != JWS_TYPE or not isinstance(types, list):
        raise CredentialInvalid("wrong_type")
    if "VerifiableCredential" not in types or expected_type not in types:
        raise CredentialInvalid("wrong_type")
    return credential


def _extract(token: str) -> jws.CompactSignature:
    try:
        return jws.extract_compact(token.encode("ascii"), registry=_REGISTRY)
    except (JoseError, ValueError, TypeError, UnicodeError) as error:
        raise CredentialInvalid("malformed") from error


def _check_signature(*, signature: jws.CompactSignature, public_jwk: Mapping[str, Any]) -> None:
    public_key = OKPKey.import_key(dict(public_jwk))
    try:
        valid = jws.validate_compact(signature, public_key, registry=_REGISTRY)
    except (BadSignatureError, UnsupportedAlgorithmError) as error:
        raise CredentialInvalid("bad_signature") from error
    except JoseError as error:
        raise CredentialInvalid("malformed") from error
    if not valid:
        raise CredentialInvalid("bad_signature")


def _json_object(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        raise CredentialInvalid("malformed") from error
    if not isinstance(value, dict):
        raise CredentialInvalid("malformed")
    return value


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def did_web_for(*, host: str) -> str:
    """'did:web:example.org'; a port's colon is percent-encoded, as did:web requires."""
    if not host or "/" in host:
        raise ValueError("did:web here names a bare host (and port), without a path")
    return "did:web:" + host.lower().replace(":", "%3A")


def did_document(*, issuer: Issuer, keys: Sequence[SigningKey]) -> dict[str, Any]:
    """The did.json served at /.well-known/; list retired keys too while their certificates live."""
    published = [PublishedKey(did=issuer.did, key_id=key.key_id, public_jwk=key.public_jwk()) for key in keys]
    return did_document_published(did=issuer.did, keys=published)


@dataclass(frozen=True)
class PublishedKey:
    """A public key as published under one issuer identifier: the current one or an earlier one."""

    did: str
    key_id: str
    public_jwk: Mapping[str, Any]


def did_document_published(*, did: str, keys: Sequence[PublishedKey]) -> dict[str, Any]:
    """The DID document of `did`. Keys published under the issuer's earlier identifiers keep their
    method id (the kid their certificates carry) and controller, and those identifiers are listed
    as alsoKnownAs: a certificate signed before the issuer's host moved still finds its key here."""
    methods = [
        {
            "id": f"{key.did}#{key.key_id}",
            "type": "JsonWebKey2020",
            "controller": key.did,
            # Picked by name, so a private "d" stored by mistake is never published.
            "publicKeyJwk": {name: str(key.public_jwk[name]) for name in ("kty", "crv", "x")},
        }
        for key in keys
    ]
    ids = [method["id"] for method in methods]
    if len(set(ids)) != len(ids):
        raise ValueError("a key is listed twice under the same identifier")
    document: dict[str, Any] = {"@context": list(DID_CONTEXTS), "id": did}
    earlier = list(dict.fromkeys(key.did for key in keys if key.did != did))
    if earlier:
        document["alsoKnownAs"] = earlier
    document["verificationMethod"] = methods
    document["assertionMethod"] = ids
    return document


def did_document_public_keys(*, document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The public_keys map for credential_verify: only keys the document lets assert credentials."""
    assertion_ids = set(document.get("assertionMethod", []))
    return {
        method["id"]: dict(method["publicKeyJwk"])
        for method in document.get("verificationMethod", [])
        if method["id"] in assertion_ids
    }


def status_list_encode(*, revoked: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """Bitstring Status List v1.0 encodedList: index 0 is the highest bit of the first byte."""
    if size <= 0 or size % 8:
        raise ValueError("size must be a positive multiple of 8")
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list of {size}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 so the same revocations always give the same list (and the same signed credential).
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_is_set(*, encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u')")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, issuer: Issuer, url: str, encoded: str, valid_from: dt.datetime
) -> dict[str, Any]:
    """The unsigned status list credential served at url; sign it with credential_sign."""
    if valid_from.tzinfo is None:
        raise ValueError("valid_from must be aware")
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", STATUS_LIST_TYPE],
        "issuer": issuer.did,
        "validFrom": valid_from.isoformat(timespec="seconds"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
