"""Typed partial updates: only the fields the caller set are changed (None is a value), and a
field the service does not know is refused where it is named rather than dropped in silence."""

import pytest

from core.changes import changed_fields
from events.services import EventChanges
from matching.services import NeedChanges


def test_only_the_fields_given_are_changed_and_none_is_a_value() -> None:
    changes = EventChanges(title="いきいきサロン", programme=None)

    assert changed_fields(changes) == {"title": "いきいきサロン", "programme": None}


def test_nothing_given_changes_nothing() -> None:
    assert changed_fields(NeedChanges()) == {}


def test_a_field_the_service_does_not_take_is_refused_not_dropped() -> None:
    with pytest.raises(TypeError, match="requester"):
        NeedChanges(requester=1)  # type: ignore[call-arg]
