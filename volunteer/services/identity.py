"""Identity verification with the My Number card through OpenID Connect.

The provider is configured as django-allauth's `openid_connect` provider (IDENTITY_OIDC_*); its
discovery, token exchange and key handling are allauth's. The flow is driven here rather than by
allauth's own login views because the resident starts it from the app, signed in by session
token, while the provider answers in a browser that has no such session:

1. `verification_start` stores an attempt (random state, nonce and PKCE verifier) and returns
   the provider's authorization URL (code flow, S256 challenge).
2. The provider redirects the browser to `/identity/callback/`; `verification_complete` takes
   the attempt by its state exactly once (a replayed state is refused), exchanges the code with
   the verifier, and accepts the ID token only if its signature verifies against the provider's
   published keys and its issuer, audience, expiry and nonce are this attempt's. Only then is
   the identity linked: subject, assurance level (acr), when, the verified birth date and name.
   A subject linked to another account is refused. Nothing is kept from a refused answer.

Allauth's own social login endpoints are closed for this provider (`accounts.NoSocialLoginAdapter`):
they would neither check the nonce nor keep only what is needed.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from allauth.socialaccount.adapter import get_adapter as get_socialaccount_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from requests import RequestException

from volunteer import errors
from volunteer.models import IdentityEvent, IdentityVerificationAttempt, User, VerifiedIdentity
from volunteer.selectors import identity_status
from volunteer.services.people import consent_require

ATTEMPT_MINUTES = 10


@dataclass(frozen=True)
class Started:
    authorization_url: str
    expires_at: dt.datetime


def _provider(request: HttpRequest) -> Any:
    if not settings.IDENTITY_OIDC_ISSUER:
        raise errors.IdentityProviderNotConfigured()
    app = get_socialaccount_adapter().get_app(request, provider=settings.IDENTITY_OIDC_PROVIDER_ID)
    return app.get_provider(request)


def _callback_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('identity-callback')}"


def identity_use_record(*, person: User, identity: VerifiedIdentity, purpose: str) -> None:
    """Every use of a verified identity is kept: what for, at which assurance level."""
    IdentityEvent.objects.create(
        person=person,
        action=IdentityEvent.Action.USED,
        purpose=purpose,
        assurance_level=identity.assurance_level,
        at=timezone.now(),
    )


def verification_start(*, request: HttpRequest, person: User) -> Started:
    consent_require(person=person)
    provider = _provider(request)
    if identity_status(person=person)[0] == "verified":
        raise errors.IdentityAlreadyVerified()
    try:
        authorize_url = provider.get_oauth2_adapter(request).authorize_url  # reads its discovery document
    except (RequestException, ValueError) as unreachable:
        raise errors.IdentityProviderUnreachable() from unreachable
    pkce = generate_code_challenge()
    now = timezone.now()
    attempt = IdentityVerificationAttempt.objects.create(
        person=person,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=pkce["code_verifier"],
        created_at=now,
        expires_at=now + dt.timedelta(minutes=ATTEMPT_MINUTES),
    )
    query = {
        "response_type": "code",
        "client_id": provider.app.client_id,
        "redirect_uri": _callback_url(),
        "scope": " ".join(settings.IDENTITY_OIDC_SCOPE),
        "state": attempt.state,
        "nonce": attempt.nonce,
        "code_challenge": pkce["code_challenge"],
        "code_challenge_method": pkce["code_challenge_method"],
    }
    return Started(f"{authorize_url}?{urlencode(query)}", attempt.expires_at)


def verification_complete(*, request: HttpRequest, state: str, code: str) -> VerifiedIdentity:
    attempt = _attempt_take(state)
    try:
        claims = _verified_claims(request, attempt, code)
        identity = _link(attempt.person, claims)
    except errors.IdentityVerificationRefused as refused:
        _finish(attempt, refused.reason)
        raise
    _finish(attempt, "linked")
    return identity


def verification_abandon(*, state: str, reason: str) -> str:
    """The provider answered with an error (the resident cancelled, or it refused): the attempt
    ends with that outcome. Returns the code the app is told."""
    code = "provider_" + "".join(c for c in reason if c.isalnum() or c == "_")[:40]
    try:
        attempt = _attempt_take(state)
    except errors.IdentityVerificationRefused as refused:
        return refused.reason
    _finish(attempt, code)
    return code


def _attempt_take(state: str) -> IdentityVerificationAttempt:
    """The attempt of this state, marked as taken under its row lock, so that the same answer
    delivered twice (at once or later) finds it taken the second time."""
    now = timezone.now()
    with transaction.atomic():
        attempt = IdentityVerificationAttempt.objects.select_for_update().filter(state=state).first()
        if attempt is None:
            raise errors.IdentityVerificationRefused("state_unknown")
        replayed = attempt.finished_at is not None
        if not replayed:
            attempt.finished_at = now
            attempt.outcome = "in_progress"
            attempt.save(update_fields=["finished_at", "outcome"])
    if replayed:
        # Kept for the resident's record (a double tap, or someone replaying the answer); the
        # attempt's own outcome stays as it was.
        IdentityEvent.objects.create(
            person=attempt.person, action=IdentityEvent.Action.REFUSED, code="state_replayed", at=now
        )
        raise errors.IdentityVerificationRefused("state_replayed")
    if attempt.expires_at <= now:
        _finish(attempt, "state_expired")
        raise errors.IdentityVerificationRefused("state_expired")
    return attempt


def _verified_claims(request: HttpRequest, attempt: IdentityVerificationAttempt, code: str) -> dict[str, Any]:
    try:
        provider = _provider(request)
        adapter = provider.get_oauth2_adapter(request)
        client = adapter.client_class(
            request,
            provider.app.client_id,
            provider.app.secret,
            adapter.access_token_method,
            adapter.access_token_url,  # the provider's discovery document, read here
            _callback_url(),
            basic_auth=adapter.basic_auth,
        )
        token = client.get_access_token(code, pkce_code_verifier=attempt.code_verifier)
    except errors.IdentityProviderNotConfigured as off:
        raise errors.IdentityVerificationRefused("provider_not_configured") from off
    except (OAuth2Error, RequestException, ValueError) as failed:
        raise errors.IdentityVerificationRefused("token_exchange_failed") from failed
    id_token = token.get("id_token") if isinstance(token, dict) else None
    if not id_token:
        raise errors.IdentityVerificationRefused("id_token_missing")
    config = adapter.openid_config
    try:
        # Always the signature too, although the token came straight from the provider: the
        # published keys are the one thing a man in the middle of a misconfigured TLS cannot fake.
        claims = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=config["jwks_uri"],
            issuer=config["issuer"],
            audience=provider.app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
    except (OAuth2Error, RequestException, KeyError) as failed:
        raise errors.IdentityVerificationRefused("id_token_invalid") from failed
    if not secrets.compare_digest(str(claims.get("nonce", "")), attempt.nonce):
        raise errors.IdentityVerificationRefused("nonce_mismatch")
    if not claims.get("sub"):
        raise errors.IdentityVerificationRefused("subject_missing")
    return _with_userinfo(adapter, config, token, claims)


def _with_userinfo(
    adapter: Any, config: dict[str, Any], token: dict[str, Any], claims: dict[str, Any]
) -> dict[str, Any]:
    """The userinfo endpoint's attributes (券面事項), for the same subject only."""
    if not config.get("userinfo_endpoint") or not token.get("access_token"):
        return claims
    try:
        info = adapter._fetch_user_info(token["access_token"])
    except RequestException:
        return claims
    if str(info.get("sub")) != str(claims["sub"]):
        raise errors.IdentityVerificationRefused("userinfo_subject_mismatch")
    return {**info, **claims}


def _birth_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _link(person: User, claims: dict[str, Any]) -> VerifiedIdentity:
    now = timezone.now()
    days = settings.IDENTITY_VERIFICATION_VALID_DAYS
    assurance_level = str(claims.get("acr", ""))[:200]
    fields: dict[str, Any] = {
        "assurance_level": assurance_level,
        "verified_at": now,
        "expires_at": now + dt.timedelta(days=days) if days else None,
        "birth_date": _birth_date(claims.get("birthdate")),
        "name": str(claims.get("name", ""))[:200],
    }
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    try:
        with transaction.atomic():
            taken = (
                VerifiedIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
            )
            if taken is not None and taken.person_id != person.pk:
                raise errors.IdentityVerificationRefused("identity_linked_elsewhere")
            VerifiedIdentity.objects.filter(person=person).exclude(issuer=issuer, subject=subject).delete()
            identity, _created = VerifiedIdentity.objects.update_or_create(
                person=person, issuer=issuer, subject=subject, defaults=fields
            )
            IdentityEvent.objects.create(
                person=person,
                action=IdentityEvent.Action.LINKED,
                assurance_level=fields["assurance_level"],
                at=now,
            )
    except IntegrityError as clash:  # the same subject linked at the same moment elsewhere
        raise errors.IdentityVerificationRefused("identity_linked_elsewhere") from clash
    except ValidationError as unstorable:  # e.g. a claim carrying an individual number
        raise errors.IdentityVerificationRefused("claims_refused") from unstorable
    return identity


def _finish(attempt: IdentityVerificationAttempt, outcome: str) -> None:
    IdentityVerificationAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome)
    if outcome != "linked":
        IdentityEvent.objects.create(
            person=attempt.person, action=IdentityEvent.Action.REFUSED, code=outcome, at=timezone.now()
        )


@transaction.atomic
def identity_unlink(*, person: User) -> None:
    deleted, _ = VerifiedIdentity.objects.filter(person=person).delete()
    if not deleted:
        raise errors.IdentityNotVerified()
    IdentityEvent.objects.create(person=person, action=IdentityEvent.Action.UNLINKED, at=timezone.now())


def identity_attempts_purge(*, now: dt.datetime | None = None) -> int:
    """Attempts a day past their expiry are deleted: their nonce and verifier serve nothing any
    more, and what came of each is kept in IdentityEvent."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=1)
    deleted, _ = IdentityVerificationAttempt.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
