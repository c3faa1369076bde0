"""The identity provider's redirect back to the service, in the resident's browser."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from volunteer import errors
from volunteer.services import identity


class AppRedirect(HttpResponseRedirect):
    # The app's own scheme (kumamoto-volunteer://) as well as https.
    allowed_schemes = ["https", "http", settings.IDENTITY_APP_RETURN_URL.split(":", 1)[0]]


@require_GET
def identity_callback(request: HttpRequest) -> HttpResponse:
    """Links the identity (or refuses, recording why) and sends the browser back to the app."""
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if request.GET.get("error") or not code:
        outcome = identity.verification_abandon(state=state, reason=request.GET.get("error", "code_missing"))
        return _back({"error": outcome})
    try:
        identity.verification_complete(request=request, state=state, code=code)
    except errors.IdentityVerificationRefused as refused:
        return _back({"error": refused.reason})
    return _back({"result": "linked"})


def _back(query: dict[str, str]) -> HttpResponse:
    return AppRedirect(f"{settings.IDENTITY_APP_RETURN_URL}?{urlencode(query)}")
