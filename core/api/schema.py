"""OpenAPI: every operation documents each status it can answer, with the error codes of each.

The framework's refusals are added where they apply (400 to a body or filters, 401 and 403 where
a session is needed, 404 to an object's path or a page, 415 to a body, 429 to a throttled view,
503 everywhere); a view method names the business rules' refusals it can answer with
`@refuses(errors.X, …)`. Each error status gets the error shape with its codes as an enum, and
a description listing them with their messages (the whole catalogue: GET /api/v1/errors/). The
test suite checks every response it receives against this (tests/contract.py), so an error a
view answers but does not declare fails a test.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField

from core.api import catalogue
from core.api.errors import ErrorSerializer
from core.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.api.idempotency import REPLAYED_HEADER
from core.errors import DomainError, IdempotencyKeyRequired, IdempotencyKeyReused

RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "description": "Seconds to wait before trying again.",
}
REPLAYED = {
    "schema": {"type": "string", "enum": ["true"]},
    "description": "Present when this is the stored answer to an earlier request with the same "
    "Idempotency-Key: the write was not done again.",
}
BODY_METHODS = ("POST", "PUT", "PATCH")

View = TypeVar("View", bound=Callable[..., Any])


def refuses(*errors: type[DomainError]) -> Callable[[View], View]:
    """Declares the business rules' refusals a view method (or every method of a view class, for
    a method its subclasses share) can answer with: the schema lists their codes under their
    statuses. Stacks with `extend_schema` in any order."""

    def declare(method_or_view: View) -> View:
        already = method_or_view.__dict__.get("refusals", ())
        method_or_view.refusals = (*already, *errors)  # type: ignore[attr-defined]
        return method_or_view

    return declare


class AutoSchema(openapi.AutoSchema):
    def _get_paginator(self) -> Any:
        """Only a GET answers a page (core.api.views.paginated): a POST beside it on the same view
        that answers a list answers the whole list."""
        return super()._get_paginator() if self.method == "GET" else None

    def _map_serializer_field(
        self, field: Any, direction: openapi.Direction, bypass_extensions: bool = False
    ) -> Any:
        """A list's maximum length (every input list has one) is part of the contract: maxItems."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        bounded = isinstance(field, serializers.ListSerializer | ManyRelatedField)
        if bounded and getattr(field, "max_length", None) is not None and schema.get("type") == "array":
            schema["maxItems"] = field.max_length
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        if any(branch.get("maxLength") == 0 for branch in schema.get("oneOf", [])):
            # A format that may be blank: drf-spectacular's oneOf of the format and "" matches ""
            # twice (an email's format does not refuse it), which oneOf forbids; anyOf says it.
            schema["anyOf"] = schema.pop("oneOf")

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        headers = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "header"}
        idempotency = headers.get(IDEMPOTENCY_HEADER)
        responses = operation["responses"]
        if idempotency is not None:
            for status_code, response in responses.items():
                if status_code.startswith("2"):
                    response.setdefault("headers", {})[REPLAYED_HEADER] = REPLAYED
        queried = any(
            p.get("in") == "query" and p["name"] not in ("page", "page_size")
            for p in operation.get("parameters", [])
        )
        download = any(
            media_type != "application/json"
            for status_code, response in responses.items()
            if status_code.startswith("2")
            for media_type in response.get("content", {})
        )
        for status_code, entries in sorted(self._refusals(idempotency, queried, download).items()):
            responses[str(status_code)] = self._error_response(status_code, entries)
        return operation

    def _refusals(
        self, idempotency: dict[str, Any] | None, queried: bool, download: bool
    ) -> dict[int, list[catalogue.Entry]]:
        # What the person typed, in a body or any query (even one the operation does not take),
        # is read before any view: no individual number, no hidden control or direction marks.
        codes: list[str] = ["individual_number_refused", "hidden_characters"]
        body = self.method in BODY_METHODS
        if body or queried:
            codes.append("invalid_input")
        if body:
            codes += ["malformed_request", "bad_request", "json_too_deep"]
            codes += ["unsupported_media_type", "unsupported_charset"]
        if self.view.get_authenticators():
            codes.append("invalid_session")  # a token that is not (or no longer) valid, on any path
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["not_authenticated", "permission_denied"]
        if "{" in self.path or self._get_paginator() is not None or download:
            codes.append("not_found")  # no such object, no such page, or no such `format`
        if download:
            codes.append("not_acceptable")  # an Accept that is neither the file's type nor JSON
        if self.view.get_throttles():
            codes.append("throttled")
        codes += ["database_busy", "overloaded"]
        entries = [catalogue.framework_entry(code) for code in codes]
        for permission in self.view.get_permissions():
            entry = catalogue.permission_entry(permission)
            if entry is not None:
                entries.append(entry)
        declared: list[type[DomainError]] = [
            *getattr(type(self.view), "refusals", ()),
            *getattr(self._view_method(), "refusals", ()),
        ]
        if idempotency is not None:
            declared.append(IdempotencyKeyReused)
            if idempotency.get("required"):
                declared.append(IdempotencyKeyRequired)
        for error in declared:
            entries += catalogue.domain_entries(error)
        by_status: dict[int, list[catalogue.Entry]] = {}
        for entry in entries:
            if all(entry.code != known.code for known in by_status.get(entry.status, [])):
                by_status.setdefault(entry.status, []).append(entry)
        return by_status

    def _view_method(self) -> Any:
        return getattr(self.view, self.method.lower(), None)

    def _error_response(self, status_code: int, entries: list[catalogue.Entry]) -> dict[str, Any]:
        """The Error shape, its code narrowed to this operation's codes for this status."""
        error = self.resolve_serializer(ErrorSerializer, "response")
        listed = sorted(entries, key=lambda entry: entry.code)
        lines = "\n".join(f"- `{entry.code}`: {entry.message}" for entry in listed)
        codes = {"type": "string", "enum": [entry.code for entry in listed]}
        narrowed = {"type": "object", "properties": {"code": codes}}
        response: dict[str, Any] = {
            "description": f"{HTTPStatus(status_code).phrase}.\n\n{lines}",
            "content": {"application/json": {"schema": {"allOf": [error.ref, narrowed]}}},
        }
        if status_code in (429, 503):
            response["headers"] = {"Retry-After": RETRY_AFTER}
        return response
