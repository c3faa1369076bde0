"""Brute-force protection of the staff login (Django admin's, at /staff/login/) with django-axes.

Failures are counted per username *and* address together, in the database (every worker sees
them): a guesser is stopped after a few tries, yet someone who types a coordinator's address
from elsewhere cannot lock the coordinator out. Settings: the axes block of config.settings.
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the other backends. A call to `authenticate()` without a request (the
    test client's `login()`, a management command) is no login over the web: nothing to count,
    and axes would refuse it with an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            super().authenticate(request, username, password, **kwargs)  # raises when locked out


class StaffLoginHandler(AxesDatabaseHandler):
    """Axes' database handler, for the staff login alone. AXES_ONLY_ADMIN_SITE spares the other
    logins axes' check, yet axes would still count their failures and lock the address out of
    them (allauth's app login, which has its own limits, per account)."""

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is not None and self.is_admin_request(request):
            super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        if self.is_admin_request(request):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        if self.is_admin_request(request):
            super().user_logged_out(sender, request, user, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The client's address as the API throttles and allauth see it: REMOTE_ADDR, or with
    TRUSTED_PROXY_COUNT proxies of ours in front, the address the outermost one received from
    (a client can put anything in X-Forwarded-For; only the proxies' own entries count)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(count, len(addresses))]
    return str(request.META.get("REMOTE_ADDR", ""))
