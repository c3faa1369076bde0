"""The app's session token, answered with 401 when missing or no longer valid."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's class as shipped lets a dead token fall through to a 403 from the permission
    check; refusing it here gives the app a 401 with `WWW-Authenticate: X-Session-Token`, the
    signal to sign in again."""

    allow_anonymous_users = False
    allow_invalid_session_tokens = False


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The session token from /_allauth/app/v1/auth/login or /auth/signup.",
        }
