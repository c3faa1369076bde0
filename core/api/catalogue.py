"""The catalogue of error codes: every `code` the API can answer at the top of an error body, with
its HTTP status and its message in Japanese and English.

Two kinds: the framework's refusals, which any operation may answer as they apply (a body that
cannot be read, no session, a throttle, a busy database), and the business rules' refusals, the
`DomainError` subclasses each app declares in its `errors.py` (with their `variants`). The schema
lists, on each operation, the codes it can answer per status (core.api.schema); `GET
/api/v1/errors/` answers the whole catalogue.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from core import privacy, text
from core.api.errors import METHOD_NOT_ALLOWED, PAGE_ERRORS, STATUS_OF, TOP_LEVEL_CODES
from core.db import BUSY_CODE, BUSY_MESSAGE
from core.errors import DomainError
from core.limits import MAX_JSON_DEPTH
from core.load import OVERLOADED_CODE


@dataclass(frozen=True)
class Entry:
    code: str
    status: int
    message: Any  # lazily translated

    def __lt__(self, other: "Entry") -> bool:
        return (self.status, self.code) < (other.status, other.code)


def _fill(message: Any, values: dict[str, Any]) -> str:
    return str(message) % values


_lazy_fill = lazy(_fill, str)


def _filled(message: Any, **values: Any) -> Any:
    """A message whose placeholders are filled when it is read, in the language of the moment."""
    return _lazy_fill(message, values)


def _framework() -> dict[str, Entry]:
    top = dict(TOP_LEVEL_CODES.values())
    entries = [
        Entry("invalid_input", 400, top["invalid_input"]),
        Entry("malformed_request", 400, top["malformed_request"]),
        Entry("bad_request", 400, PAGE_ERRORS[400][1]),
        Entry(
            "json_too_deep",
            400,
            _filled(
                _("The request body is nested too deeply (at most %(depth)d levels)."), depth=MAX_JSON_DEPTH
            ),
        ),
        Entry(privacy.CODE, 400, privacy.MESSAGE),
        Entry(text.CODE, 400, text.MESSAGE),
        Entry("not_authenticated", 401, top["not_authenticated"]),
        Entry("invalid_session", 401, top["invalid_session"]),
        Entry("permission_denied", 403, exceptions.PermissionDenied.default_detail),
        Entry("not_found", 404, PAGE_ERRORS[404][1]),
        Entry("method_not_allowed", 405, METHOD_NOT_ALLOWED),
        Entry("not_acceptable", 406, exceptions.NotAcceptable.default_detail),
        Entry("unsupported_media_type", 415, exceptions.UnsupportedMediaType.default_detail),
        Entry(
            "unsupported_charset",
            415,
            _filled(
                _("This request's character set (%(charset)s) is not accepted: send JSON in UTF-8."),
                charset="…",
            ),
        ),
        Entry("throttled", 429, exceptions.Throttled.default_detail),
        Entry(BUSY_CODE, 503, BUSY_MESSAGE),
        Entry(OVERLOADED_CODE, 503, BUSY_MESSAGE),
    ]
    return {entry.code: entry for entry in entries}


def framework_entry(code: str) -> Entry:
    return _framework()[code]


def permission_entry(permission: Any) -> Entry | None:
    """A permission class's own refusal (`code` and `message`, as DRF answers them), if it has one."""
    code = getattr(permission, "code", None)
    return None if code is None else Entry(code, 403, permission.message)


def domain_entries(error: type[DomainError]) -> list[Entry]:
    """The error's own code and its variants, at the status its kind answers."""
    status = STATUS_OF[error.kind]
    return [Entry(code, status, error.message) for code in (error.code, *error.variants)]


def _import_each_apps(module: str) -> None:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.{module}")
        except ModuleNotFoundError as missing:
            if missing.name is None or not f"{config.name}.{module}".startswith(missing.name):
                raise


def _subclasses(root: type) -> Iterator[type]:
    """The root's subclasses declared in an installed app (not a test's own)."""
    seen: set[type] = set()
    stack = list(root.__subclasses__())
    while stack:
        found = stack.pop()
        if found not in seen:
            seen.add(found)
            stack.extend(found.__subclasses__())
            if apps.get_containing_app_config(found.__module__) is not None:
                yield found


def domain_errors() -> Iterator[type[DomainError]]:
    """Every DomainError subclass of every app (each app's `errors` module imported first)."""
    _import_each_apps("errors")
    yield from _subclasses(DomainError)


def permission_entries() -> Iterator[Entry]:
    """The refusals of the permission classes that name their own code (the staff roles')."""
    _import_each_apps("permissions")
    _import_each_apps("api.permissions")
    for permission in _subclasses(BasePermission):
        if isinstance(getattr(permission, "code", None), str):
            entry = permission_entry(permission)
            if entry is not None:
                yield entry


def catalogue() -> list[Entry]:
    """Every code once (a code two errors share keeps the first, by status), sorted by status."""
    entries: dict[str, Entry] = dict(_framework())
    for error in sorted(domain_errors(), key=lambda error: (error.__module__, error.__qualname__)):
        for entry in domain_entries(error):
            entries.setdefault(entry.code, entry)
    for entry in permission_entries():
        entries.setdefault(entry.code, entry)
    return sorted(entries.values())
