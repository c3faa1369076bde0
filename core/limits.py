"""Bounds on what a request may carry, so no input can make the service fail or crawl.

- `JsonDepthMiddleware` refuses a JSON body nested deeper than `MAX_JSON_DEPTH` before anything
  parses it (the individual-number middleware, DRF's parser, allauth's views): Python's decoder
  recurses, so a body nested about a thousand deep would raise `RecursionError` in each of them.
  No input of this service is deeper than four levels.
- `IdConverter` (`<id:…>` in every URL) matches only ids the database can hold: a larger one
  is a 404, where `<int:…>` handed it to the ORM and the database driver overflowed.
- `MAX_ID` bounds ids sent in bodies and queries the same way.
"""

import codecs
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 32
MAX_ID = 2**63 - 1  # a bigint, the widest primary key of PostgreSQL and SQLite
JSON_PATHS = ("/api/", "/_allauth/")  # the app's paths, answered in the API's error shape

# A JSON string (its closing quote optional, so an unclosed one is consumed once, not retried
# from every quote inside it) or a bracket; everything else is skipped.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than `limit`: one pass, no parsing."""
    depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
    return False


def refusal(
    request: HttpRequest, *, code: str, message: str, field: str | None = None, status: int = 400
) -> HttpResponse:
    """A 4xx before any view runs: the API's error shape on JSON paths, a short page elsewhere."""
    if request.path.startswith(JSON_PATHS):
        return JsonResponse(
            {
                "code": code,
                "message": message,
                "errors": [{"field": field, "code": code, "message": message}],
            },
            status=status,
        )
    return HttpResponse(f"<p>{escape(message)}</p>", status=status, content_type="text/html; charset=utf-8")


class UnsupportedCharset(ValueError):
    """A body in a character set the input checks cannot read: refused, never let through."""


def body_text(request: HttpRequest) -> str:
    """The body as text, in its declared character set (UTF-8 when none is declared). JSON only
    in UTF-8 (RFC 8259): every check of what a request carries reads the body through this."""
    declared = (request.content_params or {}).get("charset", "utf-8")
    try:
        name = codecs.lookup(declared).name
    except LookupError as unknown:
        raise UnsupportedCharset(declared) from unknown
    if "json" in (request.content_type or "") and name != "utf-8":
        raise UnsupportedCharset(declared)
    return request.body.decode(name, errors="replace")


class JsonDepthMiddleware:
    """The first of the checks on what a request carries: its character set, then JSON's depth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            text = body_text(request) if request.method not in ("GET", "HEAD", "OPTIONS") else ""
        except UnsupportedCharset as charset:
            return refusal(
                request,
                code="unsupported_charset",
                message=_("This request's character set (%(charset)s) is not accepted: send JSON in UTF-8.")
                % {"charset": str(charset)[:40]},
                status=415,
            )
        if "json" in (request.content_type or "") and json_too_deep(text):
            return refusal(
                request,
                code="json_too_deep",
                message=_("The request body is nested too deeply (at most %(depth)d levels).")
                % {"depth": MAX_JSON_DEPTH},
            )
        return self.get_response(request)


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("beyond the database's ids")  # the URL does not match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
