import base64
import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import string
from typing import Any

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc.jwk import OKPKey

from points.credentials import (
    STATUS_LIST_SIZE,
    STATUS_LIST_TYPE,
    Activity,
    CertificateClaims,
    CredentialInvalid,
    Issuer,
    PublishedKey,
    SigningKey,
    credential_build,
    credential_sign,
    credential_verify,
    did_document,
    did_document_public_keys,
    did_document_published,
    did_web_for,
    key_generate,
    recipient_hash,
    status_list_credential,
    status_list_encode,
    status_list_is_set,
)

JST = dt.timezone(dt.timedelta(hours=9))
ISSUER = Issuer(
    did=did_web_for(host="volunteer.example.jp"),
    name="熊本市ボランティアセンター",
    url="https://volunteer.example.jp/",
)
IDENTITY = "hanako.kumamoto@example.jp"
SALT = "b7c1e0d2a9f34e6c"
STATUS_LIST_URL = "https://volunteer.example.jp/credentials/status/1"
KEY_2024 = key_generate(key_id="2024-04")
KEY_2025 = key_generate(key_id="2025-04")
BASE64URL = string.ascii_letters + string.digits + "-_"


def certificate_claims(**changes: Any) -> CertificateClaims:
    claims = CertificateClaims(
        serial="KV-2025-000123",
        recipient_hash=recipient_hash(identity=IDENTITY, salt=SALT),
        recipient_salt=SALT,
        recipient_name="熊本 花子",
        title="活動証明書",
        fiscal_year=2025,
        activities=(
            Activity(
                date=dt.date(2025, 6, 8),
                place="白川河川敷",
                content="河川清掃",
                minutes=150,
                organiser="白川の会",
            ),
            Activity(
                date=dt.date(2025, 10, 5),
                place="北区のサロン",
                content="お茶会",
                minutes=45,
                organiser="北区社協",
            ),
        ),
        total_minutes=195,
        issued_at=dt.datetime(2025, 11, 27, 10, 0, tzinfo=JST),
        status_list_url=STATUS_LIST_URL,
        status_index=7,
        verification_url="https://volunteer.example.jp/certificates/verify/KV-2025-000123",
    )
    return dataclasses.replace(claims, **changes)


def public_keys(*keys: SigningKey) -> dict[str, dict[str, Any]]:
    return did_document_public_keys(document=did_document(issuer=ISSUER, keys=keys))


def signed(claims: CertificateClaims | None = None, key: SigningKey = KEY_2025) -> tuple[dict[str, Any], str]:
    credential = credential_build(claims=claims or certificate_claims(), issuer=ISSUER)
    return credential, credential_sign(credential=credential, key=key, issuer=ISSUER)


def payload_text(token: str) -> str:
    segment = token.split(".")[1]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")


def with_character_changed(token: str, position: int) -> str:
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


def test_a_signed_certificate_verifies_to_the_same_credential() -> None:
    credential, token = signed()

    assert credential_verify(token=token, public_keys=public_keys(KEY_2025)) == credential
    assert jwt.get_unverified_header(token) == {
        "alg": "EdDSA",
        "typ": "vc+jwt",
        "cty": "vc",
        "kid": "did:web:volunteer.example.jp#2025-04",
    }


def test_the_credential_is_an_open_badge_with_its_status_entry() -> None:
    credential, _ = signed()

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == ISSUER.did
    assert credential["validFrom"] == "2025-11-27T10:00:00+09:00"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["criteria"]["narrative"]
    assert [activity["minutes"] for activity in subject["activities"]] == [150, 45]
    assert subject["totalMinutes"] == 195
    assert credential["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": STATUS_LIST_URL,
    }


def test_changing_any_character_of_the_payload_or_the_signature_is_refused() -> None:
    _, token = signed()
    header_length = token.index(".") + 1
    codes = set()
    for position in range(header_length, len(token)):
        if token[position] == ".":
            continue
        with pytest.raises(CredentialInvalid) as refusal:
            credential_verify(
                token=with_character_changed(token, position), public_keys=public_keys(KEY_2025)
            )
        codes.add(refusal.value.code)

    assert codes <= {"bad_signature", "malformed"}
    assert "bad_signature" in codes


def test_a_token_that_is_no_jws_is_malformed() -> None:
    for token in ("", "not-a-token", "a.b", "€.€.€"):
        with pytest.raises(CredentialInvalid) as refusal:
            credential_verify(token=token, public_keys=public_keys(KEY_2025))
        assert refusal.value.code == "malformed"


def test_a_key_missing_from_the_map_is_unknown() -> None:
    _, token = signed(key=KEY_2025)

    with pytest.raises(CredentialInvalid) as refusal:
        credential_verify(token=token, public_keys=public_keys(KEY_2024))
    assert refusal.value.code == "unknown_key"


def test_another_issuers_key_cannot_vouch_for_our_certificate() -> None:
    elsewhere = Issuer(
        did=did_web_for(host="elsewhere.example"), name="他団体", url="https://elsewhere.example/"
    )
    credential, _ = signed()
    kid = f"{elsewhere.did}#{KEY_2024.key_id}"
    forged = jwt.encode(
        credential, KEY_2024.private_pem, algorithm="EdDSA", headers={"kid": kid, "typ": "vc+jwt"}
    )
    both_issuers = {**public_keys(KEY_2025), kid: KEY_2024.public_jwk()}

    with pytest.raises(CredentialInvalid) as refusal:
        credential_verify(token=forged, public_keys=both_issuers)
    assert refusal.value.code == "unknown_key"


def test_a_token_of_another_type_is_refused() -> None:
    credential, _ = signed()
    kid = f"{ISSUER.did}#{KEY_2025.key_id}"
    plain_jwt = jwt.encode(
        credential, KEY_2025.private_pem, algorithm="EdDSA", headers={"kid": kid, "typ": "JWT"}
    )
    status_list = status_list_credential(
        issuer=ISSUER,
        url=STATUS_LIST_URL,
        encoded=status_list_encode(revoked=[]),
        valid_from=dt.datetime.now(JST),
    )
    status_token = credential_sign(credential=status_list, key=KEY_2025, issuer=ISSUER)

    for token in (plain_jwt, status_token):
        with pytest.raises(CredentialInvalid) as refusal:
            credential_verify(token=token, public_keys=public_keys(KEY_2025))
        assert refusal.value.code == "wrong_type"


def test_after_rotation_old_and_new_certificates_both_verify() -> None:
    old_credential, old_token = signed(key=KEY_2024)
    new_credential, new_token = signed(certificate_claims(serial="KV-2025-000124"), key=KEY_2025)
    rotated = public_keys(KEY_2025, KEY_2024)

    assert credential_verify(token=old_token, public_keys=rotated) == old_credential
    assert credential_verify(token=new_token, public_keys=rotated) == new_credential
    with pytest.raises(CredentialInvalid) as refusal:
        credential_verify(token=old_token, public_keys=public_keys(KEY_2025))
    assert refusal.value.code == "unknown_key"


def test_the_did_document_publishes_no_private_key_material() -> None:
    document = did_document(issuer=ISSUER, keys=[KEY_2025, KEY_2024])
    text = json.dumps(document)

    for method in document["verificationMethod"]:
        assert set(method["publicKeyJwk"]) == {"kty", "crv", "x"}
        assert method["type"] == "JsonWebKey2020"
        assert method["controller"] == ISSUER.did
    for key in (KEY_2025, KEY_2024):
        private_scalar = str(OKPKey.import_key(key.private_pem).as_dict(private=True)["d"])
        assert private_scalar not in text
    assert '"d"' not in text
    assert document["assertionMethod"] == [f"{ISSUER.did}#2025-04", f"{ISSUER.did}#2024-04"]


EARLIER_ISSUER = Issuer(
    did=did_web_for(host="kumamoto-volunteer.example.org"),
    name="熊本市ボランティアセンター",
    url="https://kumamoto-volunteer.example.org/",
)


def published(issuer: Issuer, key: SigningKey) -> PublishedKey:
    return PublishedKey(did=issuer.did, key_id=key.key_id, public_jwk=key.public_jwk())


def signed_under(issuer: Issuer, key: SigningKey) -> tuple[dict[str, Any], str]:
    credential = credential_build(claims=certificate_claims(), issuer=issuer)
    return credential, credential_sign(credential=credential, key=key, issuer=issuer)


def test_a_document_keeps_the_earlier_identifiers_keys_under_their_own_ids() -> None:
    document = did_document_published(
        did=ISSUER.did, keys=[published(ISSUER, KEY_2025), published(EARLIER_ISSUER, KEY_2024)]
    )

    assert document["id"] == ISSUER.did
    assert document["alsoKnownAs"] == [EARLIER_ISSUER.did]
    assert [(method["id"], method["controller"]) for method in document["verificationMethod"]] == [
        (f"{ISSUER.did}#2025-04", ISSUER.did),
        (f"{EARLIER_ISSUER.did}#2024-04", EARLIER_ISSUER.did),
    ]
    assert document["assertionMethod"] == [f"{ISSUER.did}#2025-04", f"{EARLIER_ISSUER.did}#2024-04"]
    assert "alsoKnownAs" not in did_document_published(did=ISSUER.did, keys=[published(ISSUER, KEY_2025)])


def test_a_certificate_signed_under_an_earlier_identifier_verifies_only_with_its_own_key() -> None:
    document = did_document_published(
        did=ISSUER.did, keys=[published(ISSUER, KEY_2025), published(EARLIER_ISSUER, KEY_2024)]
    )
    keys = did_document_public_keys(document=document)
    earlier_credential, earlier_token = signed_under(EARLIER_ISSUER, KEY_2024)
    _, never_published_there = signed_under(EARLIER_ISSUER, KEY_2025)

    assert credential_verify(token=earlier_token, public_keys=keys) == earlier_credential
    with pytest.raises(CredentialInvalid) as refusal:
        credential_verify(token=never_published_there, public_keys=keys)
    assert refusal.value.code == "unknown_key"


def test_a_stored_private_scalar_is_never_published_and_a_key_is_listed_once() -> None:
    private_jwk = OKPKey.import_key(KEY_2025.private_pem).as_dict(private=True)
    leaky = PublishedKey(did=ISSUER.did, key_id=KEY_2025.key_id, public_jwk=private_jwk)

    document = did_document_published(did=ISSUER.did, keys=[leaky])

    assert set(document["verificationMethod"][0]["publicKeyJwk"]) == {"kty", "crv", "x"}
    assert str(private_jwk["d"]) not in json.dumps(document)
    with pytest.raises(ValueError, match="twice"):
        did_document_published(did=ISSUER.did, keys=[leaky, published(ISSUER, KEY_2025)])


def test_pyjwt_verifies_a_certificate_with_the_key_from_the_did_document() -> None:
    credential, token = signed()
    jwk = public_keys(KEY_2025)[f"{ISSUER.did}#2025-04"]
    key = jwt.PyJWK.from_dict(jwk)
    middle_of_payload = token.index(".") + len(token.split(".")[1]) // 2

    assert jwt.decode(token, key, algorithms=["EdDSA"]) == credential
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(with_character_changed(token, middle_of_payload), key, algorithms=["EdDSA"])


def test_the_recipient_is_named_only_by_a_salted_hash() -> None:
    _, token = signed()
    identifier = json.loads(payload_text(token))["credentialSubject"]["identifier"]

    expected = "sha256$" + hashlib.sha256((IDENTITY + SALT).encode("utf-8")).hexdigest()
    assert identifier == [
        {
            "type": "IdentityObject",
            "identityHash": expected,
            "identityType": "identifier",
            "hashed": True,
            "salt": SALT,
        }
    ]
    assert IDENTITY not in payload_text(token)
    assert IDENTITY not in token


def test_the_display_name_is_left_out_when_not_given() -> None:
    credential, token = signed(certificate_claims(recipient_name=None))

    assert "name" not in credential["credentialSubject"]
    assert "熊本 花子" not in payload_text(token)


def test_claims_refuse_a_naive_issue_time_and_a_total_that_is_not_the_sum() -> None:
    with pytest.raises(ValueError, match="aware"):
        certificate_claims(issued_at=dt.datetime(2025, 11, 27, 10, 0))
    with pytest.raises(ValueError, match="sum"):
        certificate_claims(total_minutes=200)


def test_did_web_percent_encodes_the_port() -> None:
    assert did_web_for(host="volunteer.example.jp") == "did:web:volunteer.example.jp"
    assert did_web_for(host="localhost:8000") == "did:web:localhost%3A8000"


@settings(max_examples=50, deadline=None)
@given(revoked=st.sets(st.integers(0, 2047), max_size=64))
def test_a_small_status_list_marks_exactly_the_revoked_indices(revoked: set[int]) -> None:
    encoded = status_list_encode(revoked=revoked, size=2048)

    assert encoded.startswith("u")
    assert {index for index in range(2048) if status_list_is_set(encoded=encoded, index=index)} == revoked


@settings(max_examples=50, deadline=None)
@given(
    revoked=st.sets(st.integers(0, 2047), max_size=64),
    probes=st.sets(st.integers(0, STATUS_LIST_SIZE - 1), max_size=64),
)
def test_a_full_size_status_list_marks_exactly_the_revoked_indices(
    revoked: set[int], probes: set[int]
) -> None:
    encoded = status_list_encode(revoked=revoked)
    neighbours = {
        index + step for index in revoked for step in (-1, 1) if 0 <= index + step < STATUS_LIST_SIZE
    }

    assert encoded.startswith("u")
    for index in revoked | neighbours | probes | {0, STATUS_LIST_SIZE - 1}:
        assert status_list_is_set(encoded=encoded, index=index) == (index in revoked)


def test_the_status_list_puts_index_zero_in_the_highest_bit_and_is_deterministic() -> None:
    encoded = status_list_encode(revoked=[0, 9])
    compressed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(compressed)

    assert len(bits) == STATUS_LIST_SIZE // 8
    assert bits[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert compressed[4:8] == b"\0\0\0\0"  # gzip's mtime
    assert status_list_encode(revoked=[9, 0]) == encoded
    assert "=" not in encoded


def test_the_status_list_refuses_indices_outside_it() -> None:
    with pytest.raises(ValueError, match="outside"):
        status_list_encode(revoked=[STATUS_LIST_SIZE])
    with pytest.raises(ValueError, match="outside"):
        status_list_is_set(encoded=status_list_encode(revoked=[]), index=STATUS_LIST_SIZE)


def test_a_revoked_certificate_shows_in_the_signed_status_list_it_points_at() -> None:
    credential, _ = signed(certificate_claims(status_index=4242))
    status = credential["credentialStatus"]
    encoded = status_list_encode(revoked=[4242])
    status_list = status_list_credential(
        issuer=ISSUER, url=STATUS_LIST_URL, encoded=encoded, valid_from=dt.datetime(2025, 12, 1, tzinfo=JST)
    )
    token = credential_sign(credential=status_list, key=KEY_2025, issuer=ISSUER)

    verified = credential_verify(
        token=token, public_keys=public_keys(KEY_2025), expected_type=STATUS_LIST_TYPE
    )
    assert status["statusListCredential"] == verified["id"] == STATUS_LIST_URL
    assert verified["credentialSubject"] == {
        "id": f"{STATUS_LIST_URL}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": encoded,
    }
    index = int(status["statusListIndex"])
    assert status_list_is_set(encoded=verified["credentialSubject"]["encodedList"], index=index)
    assert not status_list_is_set(encoded=encoded, index=index + 1)


def test_signing_refuses_a_credential_of_another_issuer() -> None:
    elsewhere = Issuer(did="did:web:elsewhere.example", name="他団体", url="https://elsewhere.example/")
    credential = credential_build(claims=certificate_claims(), issuer=elsewhere)

    with pytest.raises(ValueError, match="another issuer"):
        credential_sign(credential=credential, key=KEY_2025, issuer=ISSUER)
