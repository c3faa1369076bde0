"""Typed partial updates. A service that changes some fields of a row takes a frozen dataclass
whose fields default to `UNCHANGED`; `changed_fields` gives the ones the caller set, so a PATCH
that names a field the dataclass lacks fails loudly instead of being dropped in silence."""

import dataclasses
import enum
from typing import Any


class Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def changed_fields(changes: Any) -> dict[str, Any]:
    """The fields of a changes dataclass that were given a value (None included)."""
    return {
        field.name: getattr(changes, field.name)
        for field in dataclasses.fields(changes)
        if getattr(changes, field.name) is not UNCHANGED
    }


def asdict_shallow(values: Any) -> dict[str, Any]:
    """A dataclass's fields as they are (dataclasses.asdict would copy model instances)."""
    return {field.name: getattr(values, field.name) for field in dataclasses.fields(values)}
