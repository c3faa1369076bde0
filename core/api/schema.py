"""OpenAPI: every operation documents the error shape it can answer with."""

from typing import Any

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField

from core.api.errors import ErrorSerializer

RETRY_AFTER = {
    "schema": {"type": "integer"},
    "description": "Seconds to wait before the next request (code throttled).",
}


class AutoSchema(openapi.AutoSchema):
    def _get_paginator(self) -> Any:
        """Only a GET answers a page (core.api.views.paginated): a POST beside it on the same view
        that answers a list answers the whole list."""
        return super()._get_paginator() if self.method == "GET" else None

    def _get_response_bodies(self, direction: openapi.Direction = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status_code in self._error_status_codes():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    ErrorSerializer, status_code, direction=direction
                )
        if "429" in responses:
            responses["429"]["headers"] = {"Retry-After": RETRY_AFTER}
        return responses

    def _map_serializer_field(
        self, field: Any, direction: openapi.Direction, bypass_extensions: bool = False
    ) -> Any:
        """A list's maximum length (every input list has one) is part of the contract: maxItems."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        bounded = isinstance(field, serializers.ListSerializer | ManyRelatedField)
        if bounded and getattr(field, "max_length", None) is not None and schema.get("type") == "array":
            schema["maxItems"] = field.max_length
        return schema

    def _error_status_codes(self) -> list[str]:
        codes = []
        if self.method in ("POST", "PUT", "PATCH") or self._has_filter_params():
            codes.append("400")
        open_to_all = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not open_to_all:
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _has_filter_params(self) -> bool:
        return bool(getattr(self.view, "filter_serializer_class", None))
