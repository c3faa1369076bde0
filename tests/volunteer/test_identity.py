"""Identity verification with the My Number card, against a real OpenID Connect provider on
loopback (tests/identity_provider.py): the whole code flow with PKCE, state and nonce, what is
kept, and every refusal leaving nothing linked."""

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from rest_framework.test import APIClient

from tests.identity_provider import ACR, CALLBACK, CLIENT_ID, CLIENT_SECRET, IdentityProvider
from volunteer.models import IdentityEvent, IdentityVerificationAttempt, User, VerifiedIdentity

pytestmark = pytest.mark.django_db
ApiClient = Callable[[User], APIClient]


@pytest.fixture(autouse=True)
def configured(identity_provider: IdentityProvider) -> IdentityProvider:
    return identity_provider


def start(client: APIClient) -> str:
    response = client.post("/api/v1/me/identity/verification/")
    assert response.status_code == 201, response.content
    return str(response.json()["authorization_url"])


def provider_redirect(authorization_url: str) -> str:
    """What the resident's browser does at the provider: it answers with a redirect to us."""
    answer = requests.get(authorization_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK), location
    return location


def back_to_app(callback_url: str) -> dict[str, list[str]]:
    parts = urlsplit(callback_url)
    response = Client().get(parts.path, parse_qs(parts.query))
    assert response.status_code == 302
    assert response["Location"].startswith("kumamoto-volunteer://identity?")
    return parse_qs(urlsplit(response["Location"]).query)


def verify(client: APIClient) -> dict[str, list[str]]:
    return back_to_app(provider_redirect(start(client)))


def nothing_linked() -> bool:
    return (
        not VerifiedIdentity.objects.exists() and not IdentityEvent.objects.filter(action="linked").exists()
    )


def test_a_resident_verifies_and_only_what_the_rules_need_is_kept(
    client_for: ApiClient, resident: User
) -> None:
    client = client_for(resident)
    authorization_url = start(client)
    query = parse_qs(urlsplit(authorization_url).query)

    result = back_to_app(provider_redirect(authorization_url))

    assert result == {"result": ["linked"]}
    assert query["code_challenge_method"] == ["S256"]
    assert all(query[name][0] for name in ("nonce", "state", "code_challenge"))
    identity = client.get("/api/v1/me/identity/").json()
    assert (identity["level"], identity["assurance_level"], identity["birth_date"], identity["name"]) == (
        "verified",
        ACR,
        "1958-06-01",
        "熊本 久美子",
    )
    assert client.get("/api/v1/me/").json()["identity"]["level"] == "verified"
    stored = VerifiedIdentity.objects.get(person=resident)
    assert (stored.issuer, stored.subject) == (configured_issuer(), "jpki-0001")
    assert list(IdentityEvent.objects.values_list("action", flat=True)) == ["linked"]


def configured_issuer() -> str:
    from django.conf import settings

    return str(settings.IDENTITY_OIDC_ISSUER)


@pytest.mark.parametrize("fault", ["bad_signature", "wrong_audience", "wrong_issuer", "expired"])
def test_an_untrustworthy_id_token_links_nothing(
    client_for: ApiClient, resident: User, configured: IdentityProvider, fault: str
) -> None:
    configured.misbehave(fault)

    result = verify(client_for(resident))

    assert result == {"error": ["id_token_invalid"]}
    assert nothing_linked()
    assert IdentityEvent.objects.get().code == "id_token_invalid"


def test_a_replayed_state_is_refused(client_for: ApiClient, resident: User) -> None:
    callback = provider_redirect(start(client_for(resident)))
    assert back_to_app(callback) == {"result": ["linked"]}
    VerifiedIdentity.objects.all().delete()

    assert back_to_app(callback) == {"error": ["state_replayed"]}
    assert not VerifiedIdentity.objects.exists()
    assert IdentityEvent.objects.filter(action="refused", code="state_replayed").count() == 1


def test_a_replayed_nonce_is_refused(
    client_for: ApiClient, resident: User, configured: IdentityProvider
) -> None:
    client = client_for(resident)
    earlier = parse_qs(urlsplit(start(client)).query)["nonce"][0]  # an attempt never finished
    configured.misbehave("stale_nonce", stale_nonce=earlier)

    assert verify(client) == {"error": ["nonce_mismatch"]}
    assert nothing_linked()


def test_an_unknown_or_late_state_is_refused(client_for: ApiClient, resident: User) -> None:
    callback = provider_redirect(start(client_for(resident)))
    IdentityVerificationAttempt.objects.update(expires_at="2000-01-01T00:00:00Z")

    assert back_to_app(callback) == {"error": ["state_expired"]}
    assert back_to_app("/identity/callback/?state=forged&code=x") == {"error": ["state_unknown"]}
    assert nothing_linked()


def test_a_subject_already_linked_to_another_account_is_refused(
    client_for: ApiClient, resident: User, other_resident: User
) -> None:
    assert verify(client_for(other_resident)) == {"result": ["linked"]}

    assert verify(client_for(resident)) == {"error": ["identity_linked_elsewhere"]}
    assert list(VerifiedIdentity.objects.values_list("person", flat=True)) == [other_resident.pk]


def test_a_cancelled_verification_is_recorded_and_links_nothing(
    client_for: ApiClient, resident: User
) -> None:
    state = parse_qs(urlsplit(start(client_for(resident))).query)["state"][0]

    assert back_to_app(f"/identity/callback/?state={state}&error=access_denied") == {
        "error": ["provider_access_denied"]
    }
    assert nothing_linked()


def test_unlinking_is_recorded_and_the_profile_says_unverified(client_for: ApiClient, resident: User) -> None:
    client = client_for(resident)
    verify(client)

    assert client.delete("/api/v1/me/identity/").status_code == 204
    assert client.get("/api/v1/me/identity/").json()["level"] == "unverified"
    assert client.delete("/api/v1/me/identity/").json()["code"] == "identity_not_verified"
    assert list(IdentityEvent.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "linked",
        "unlinked",
    ]


def test_verification_expires_after_the_configured_time(
    client_for: ApiClient, resident: User, settings: Any
) -> None:
    settings.IDENTITY_VERIFICATION_VALID_DAYS = 365
    client = client_for(resident)
    verify(client)
    VerifiedIdentity.objects.update(expires_at="2001-01-01T00:00:00Z")

    assert client.get("/api/v1/me/identity/").json()["level"] == "expired"
    assert client.post("/api/v1/me/identity/verification/").status_code == 201  # may verify again


def test_without_a_provider_verification_is_unavailable(
    client_for: ApiClient, resident: User, settings: Any
) -> None:
    settings.IDENTITY_OIDC_ISSUER = ""

    response = client_for(resident).post("/api/v1/me/identity/verification/")

    assert (response.status_code, response.json()["code"]) == (503, "identity_provider_not_configured")
    assert not IdentityVerificationAttempt.objects.exists()


def test_allauths_own_provider_login_is_closed_even_with_a_genuine_token(
    configured: IdentityProvider,
) -> None:
    from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge

    pkce = generate_code_challenge()
    authorization = requests.get(
        f"{configured.issuer}/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": CALLBACK,
            "scope": "openid name birthdate",
            "state": "s",
            "nonce": "n",
            "code_challenge": pkce["code_challenge"],
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlsplit(authorization.headers["Location"]).query)["code"][0]
    token = requests.post(
        f"{configured.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": pkce["code_verifier"],
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    ).json()

    response = APIClient().post(
        "/_allauth/app/v1/auth/provider/token",
        {
            "provider": "my-number",
            "process": "login",
            "token": {
                "client_id": CLIENT_ID,
                "id_token": token["id_token"],
                "access_token": token["access_token"],
            },
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "use_identity_verification"
    assert not User.objects.exists()
    assert nothing_linked()


def test_an_unreachable_provider_is_a_clear_error_and_leaves_no_attempt(
    client_for: ApiClient, resident: User, settings: Any
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["server_url"] = (
        "http://127.0.0.1:9"
    )

    response = client_for(resident).post("/api/v1/me/identity/verification/")

    assert (response.status_code, response.json()["code"]) == (503, "identity_provider_unreachable")
    assert not IdentityVerificationAttempt.objects.exists()


def test_a_provider_switched_off_mid_flow_refuses_the_answer_cleanly(
    client_for: ApiClient, resident: User, settings: Any
) -> None:
    callback = provider_redirect(start(client_for(resident)))
    settings.IDENTITY_OIDC_ISSUER = ""

    assert back_to_app(callback) == {"error": ["provider_not_configured"]}
    assert nothing_linked()


def test_a_name_claim_carrying_an_individual_number_is_refused_and_nothing_kept(
    client_for: ApiClient, resident: User, configured: IdentityProvider
) -> None:
    from tests.identity_provider import Cardholder

    configured.signs_in_next(
        Cardholder(subject="jpki-0002", name="熊本 123456789018", birthdate="1950-01-01")
    )

    assert verify(client_for(resident)) == {"error": ["claims_refused"]}
    assert nothing_linked()


def test_old_attempts_are_purged_with_their_nonce_and_verifier(resident: User) -> None:
    import datetime as dt

    from django.utils import timezone

    from core.tasks import personal_data_purge_task
    from tests.factories import IdentityVerificationAttemptFactory

    now = timezone.now()
    old = IdentityVerificationAttemptFactory(person=resident, expires_at=now - dt.timedelta(days=2))
    recent = IdentityVerificationAttemptFactory(person=resident, expires_at=now - dt.timedelta(hours=1))

    assert personal_data_purge_task.delay().get()["volunteer.identity_attempts"] == 1
    assert personal_data_purge_task.delay().get()["volunteer.identity_attempts"] == 0
    assert list(IdentityVerificationAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk not in IdentityVerificationAttempt.objects.values_list("pk", flat=True)
