"""How often the API may be called: per signed-in person, per address for everyone else, and
tighter scopes for endpoints anyone may call in a loop. The counts live in Django's cache, which
is Redis when REDIS_URL is set, so every worker process counts together.

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at each request (DRF binds them once at
import), so the settings decide them and tests can change them.
"""

import hashlib
import math
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.views import APIView


PageView = TypeVar("PageView", bound=Callable[..., HttpResponse])


class _RateFromSettings(SimpleRateThrottle):
    """The counts live in the cache, which fails soft (core.cache): with Redis unreachable a
    request is let through uncounted rather than answered with a 500."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate else None

    def key_for(self, ident: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PersonRateThrottle(_RateFromSettings):
    """A signed-in person's requests, whichever address they come from."""

    scope = "person"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.key_for(request.user.pk)


class AddressRateThrottle(_RateFromSettings):
    """Requests without a sign-in, per client address (REMOTE_ADDR, or the address the trusted
    proxies name: DRF's NUM_PROXIES)."""

    scope = "address"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.key_for(self.get_ident(request))


class SecretPathThrottle(_RateFromSettings):
    """Requests for one secret address (a calendar feed's `token`), whoever asks: a calendar
    service polls from many shared addresses, so counting per address would let one feed
    starve the others, and counting per feed bounds what a leaked address can draw."""

    scope = "calendar_feed"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        token = (getattr(view, "kwargs", None) or {}).get("token", "")
        return self.key_for(hashlib.sha256(str(token).encode()).hexdigest()) if token else None


class CertificateVerifyThrottle(_RateFromSettings):
    """The public certificate verifier, per address: it checks a signature on every call."""

    scope = "certificate_verify"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        return self.key_for(self.get_ident(request))


class StaffLoginAttemptThrottle(_RateFromSettings):
    """Sign-in attempts on the staff login per address, whichever usernames they try: axes locks
    a username from an address after a few failures, this stops one address spraying a common
    password over many usernames."""

    scope = "staff_login"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        return self.key_for(self.get_ident(request))


DEFAULT = [PersonRateThrottle, AddressRateThrottle]


def throttled_page(
    throttle_class: type[SimpleRateThrottle], methods: tuple[str, ...] | None = None
) -> Callable[[PageView], PageView]:
    """The same counting for a plain Django page anyone may open in a loop (the public certificate
    pages, the staff login's POSTs when `methods` names them): over the rate, 429 with Retry-After
    and a short translated page."""

    def decorate(view: PageView) -> PageView:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            throttle = throttle_class()
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            if throttle.allow_request(cast(Request, request), cast("APIView", None)):
                return view(request, *args, **kwargs)
            message = escape(exceptions.Throttled().detail)
            response = HttpResponse(f"<p>{message}</p>", status=429, content_type="text/html; charset=utf-8")
            wait = throttle.wait()
            if wait is not None:
                response["Retry-After"] = str(math.ceil(wait))
            return response

        return cast(PageView, wrapped)

    return decorate
