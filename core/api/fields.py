"""Fields DRF lacks: a list of related rows with a maximum length; a clock time as "HH:MM"."""

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField


class BoundedManyRelatedField(ManyRelatedField):
    """`ManyRelatedField` looks each item up in the database, one query per item, and has no
    `max_length`: twenty thousand codes took seconds. This one counts the items first."""

    default_error_messages = {
        "max_length": _("Ensure this field has no more than {max_length} elements."),
    }

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


def codes(
    queryset: "QuerySet[Model]",
    *,
    max_length: int,
    error_messages: dict[str, Any] | None = None,
    **kwargs: Any,
) -> BoundedManyRelatedField:
    """A list of at most `max_length` catalogue codes (skills, categories, …), each looked up by
    its `code`; `kwargs` are the list's (`required`, `allow_empty`)."""
    child = serializers.SlugRelatedField(slug_field="code", queryset=queryset, error_messages=error_messages)
    return BoundedManyRelatedField(child_relation=child, max_length=max_length, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as the app shows it, "09:00". (A TimeField is documented as OpenAPI's `time`,
    RFC 3339's "09:00:00Z", which the app's generated validators refuse "09:00" for.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)
