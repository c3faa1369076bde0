"""One JSON shape for every API error, with a stable code and a translated message.

    {"code": "invalid_input", "message": "入力内容に誤りがあります。",
     "errors": [{"field": "birth_date", "code": "invalid", "message": "…"}]}

Services raise `core.errors.DomainError` subclasses, declared in each app's `errors.py`; this
handler is the one place that turns their kind of refusal into an HTTP status.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.db import BUSY_CODE, BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_unavailable
from core.errors import DomainError, Refusal
from core.limits import JSON_PATHS

STATUS_OF: dict[Refusal, int] = {
    Refusal.INVALID: status.HTTP_400_BAD_REQUEST,
    Refusal.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    Refusal.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    Refusal.CONFLICT: status.HTTP_409_CONFLICT,
    Refusal.UNAVAILABLE: status.HTTP_503_SERVICE_UNAVAILABLE,
}


class DatabaseBusy(exceptions.APIException):
    """A transient or unavailable database (core.db): try again shortly."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = BUSY_CODE
    default_detail = BUSY_MESSAGE


class DomainRefusal(exceptions.APIException):
    """A domain error as DRF sees it: its status from the kind, its code and message as they are."""

    def __init__(self, error: DomainError) -> None:
        self.status_code = STATUS_OF[error.kind]
        super().__init__(detail=error.message, code=error.code)


TOP_LEVEL_CODES: dict[type[exceptions.APIException], tuple[str, Any]] = {
    exceptions.ValidationError: ("invalid_input", _("The input is not valid.")),
    exceptions.ParseError: ("malformed_request", _("The request body could not be read.")),
    exceptions.NotAuthenticated: ("not_authenticated", _("Sign in to use this endpoint.")),
    exceptions.AuthenticationFailed: (
        "invalid_session",
        _("The session token is missing, expired or signed out. Sign in again."),
    ),
}


class ErrorDetailSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        allow_null=True, help_text="Dotted path of the field, or null for the whole input."
    )
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable machine-readable code.")
    message = serializers.CharField(help_text="Translated message (Accept-Language: ja or en).")
    errors = ErrorDetailSerializer(many=True, required=False)  # type: ignore[assignment]  # (the JSON key is "errors")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        exc = DomainRefusal(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif is_unavailable(exc):
        exc = DatabaseBusy()
    elif isinstance(exc, DjangoValidationError):
        # A model's own check (the individual-number guard at save): a 400 naming the field.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc)
    if isinstance(exc, DatabaseBusy):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_body(exc: exceptions.APIException | DomainError) -> dict[str, Any]:
    if isinstance(exc, DomainError):
        return {"code": exc.code, "message": str(exc.message)}
    code, message = _top_level(exc)
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = list(_flatten(exc.get_full_details(), path=None))
    return body


def _top_level(exc: exceptions.APIException) -> tuple[str, Any]:
    for exc_type, (code, message) in TOP_LEVEL_CODES.items():
        if isinstance(exc, exc_type):
            return code, message
    detail = exc.detail
    detail_code = detail.code if isinstance(detail, exceptions.ErrorDetail) else None
    return str(detail_code or exc.default_code), str(detail)


def _flatten(details: Any, path: str | None) -> Any:
    """Walks DRF's nested error details, yielding one flat error per leaf."""
    if isinstance(details, dict) and set(details) == {"message", "code"}:
        yield {"field": path, "code": details["code"], "message": str(details["message"])}
    elif isinstance(details, dict):
        for key, value in details.items():
            yield from _flatten(value, path if key == "non_field_errors" else _join(path, str(key)))
    elif isinstance(details, list):
        for index, value in enumerate(details):
            is_leaf = isinstance(value, dict) and set(value) == {"message", "code"}
            yield from _flatten(value, path if is_leaf else _join(path, str(index)))


def _join(path: str | None, key: str) -> str:
    return key if path is None else f"{path}.{key}"


# Django's own error pages (a path no view answers, a body too large, a server error) as the API
# answers them on the app's paths, and the usual pages elsewhere: config.urls names these.
PAGE_ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _("The request could not be read.")),
    403: ("forbidden", _("You may not do this.")),
    404: ("not_found", _("Not found.")),
    500: ("server_error", _("Something went wrong on our side. Please try again later.")),
}
METHOD_NOT_ALLOWED = _("This method is not allowed here.")


def _page_error(status_code: int) -> JsonResponse:
    code, message = PAGE_ERRORS[status_code]
    return JsonResponse({"code": code, "message": str(message)}, status=status_code)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PATHS):
        return _page_error(400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PATHS):
        return _page_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PATHS):
        return _page_error(404)
    return defaults.page_not_found(request, exception)


@csrf_exempt  # an unknown path is a 404 whatever cookie came with it
def api_path_not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    """The last route under the app's paths: an unknown one answers the JSON 404 even with DEBUG on
    (Django's handler404 runs only with DEBUG off, and the app team works against `make run`)."""
    return page_not_found(request, Http404())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A write carrying a session cookie but no CSRF token (a browser's, or a client that kept a
    cookie): on the app's paths the error shape, as DRF's own CSRF refusal answers it."""
    if request.path.startswith(JSON_PATHS):
        body = {"code": "permission_denied", "message": str(exceptions.PermissionDenied.default_detail)}
        return JsonResponse(body, status=403)
    return csrf.csrf_failure(request, reason=reason)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(JSON_PATHS):
        return _page_error(500)
    return defaults.server_error(request)


class MethodNotAllowedMiddleware:
    """Django has no handler for 405: a view that is not DRF's (allauth's) answers an empty page.
    On the app's paths it becomes the error shape, keeping the `Allow` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and request.path.startswith(JSON_PATHS)
            and not response.content
        ):
            body = {"code": "method_not_allowed", "message": str(METHOD_NOT_ALLOWED)}
            return JsonResponse(body, status=405, headers={"Allow": response.get("Allow", "")})
        return response
