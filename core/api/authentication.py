"""The app's session token, answered with 401 when missing or no longer valid; and whether the
person signed in (or confirmed their password) just now, which what cannot be undone asks."""

import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.contrib.sessions.backends.base import SessionBase
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from core.errors import ReauthenticationRequired

if TYPE_CHECKING:
    # django-stubs' name for AUTH_USER_MODEL: the type checker sees the project's user model
    # while core imports no app.
    from django.contrib.auth.models import _User


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's class as shipped lets a dead token fall through to a 403 from the permission
    check; refusing it here gives the app a 401 with `WWW-Authenticate: X-Session-Token`, the
    signal to sign in again."""

    allow_anonymous_users = False
    allow_invalid_session_tokens = False


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The session token from /_allauth/app/v1/auth/login or /auth/signup.",
        }


def signed_in_user(request: Request) -> "_User":
    """The request's person; views behind IsAuthenticated never see an anonymous one."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated()
    return user


def require_recent_sign_in(request: Request) -> None:
    """Refuses unless the person signed in, or confirmed their password through allauth's
    reauthentication (`/_allauth/app/v1/auth/reauthenticate`), within ACCOUNT_REAUTHENTICATION_TIMEOUT:
    a token left on a lost phone must not be enough to erase an account. The app's token carries
    its own session (request.auth); a browser's is the cookie's."""
    user = signed_in_user(request)
    session = (
        request.auth if isinstance(request.auth, SessionBase) else getattr(request._request, "session", None)
    )
    records = (
        get_authentication_records(SimpleNamespace(session=session), user) if session is not None else []
    )
    newest = max((record.get("at", 0) for record in records), default=0)
    if time.time() - newest > account_settings.REAUTHENTICATION_TIMEOUT:
        raise ReauthenticationRequired()
