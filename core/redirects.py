"""Where a page may send the browser after a form: only to this site's own paths.

A `next` taken from the request as it came would let a link or a forged form send staff to
another site that looks like this one (an open redirect, useful for phishing a password).
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_path_or(request: HttpRequest, *, fallback: str, field: str = "next") -> str:
    """The `next` of the form (or query) if it is a path on this site, else the fallback."""
    asked = request.POST.get(field) or request.GET.get(field) or ""
    own_path = asked.startswith("/") and not asked.startswith(("//", "/\\"))
    if own_path and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return fallback
