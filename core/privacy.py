"""Keeping individual numbers (個人番号) out: a city app must not collect or keep one.

- `IndividualNumberMiddleware` refuses any request whose query, form fields or JSON body carries
  one, before a view runs, so nothing typed anywhere (the app's API, allauth's endpoints, the
  staff pages, the admin) is stored: 400 with the code `individual_number_refused` and the field.
- `refuse_individual_numbers` is the same check at the database's door, for writes that do not
  come from a request (commands, tasks): `CoreConfig.ready` connects it to `pre_save` of every
  model of the project's own apps (`project_models`, found by where their code lives, so a new
  app is guarded without being named) and it refuses, changing nothing.
- `install_log_redaction` makes every log record redact one as it is made: no log line of any
  logger (Django's, gunicorn's access log, Celery's) contains one.
"""

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote_plus

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Expression, Value
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from core.individual_number import ANY_DIGIT, contains_individual_number, redact
from core.limits import JSON_PATHS, body_text

CODE = "individual_number_refused"
# A model lists here the fields the service fills with hashes, keys, tokens and signatures, never
# anything a person typed (a random one may hold twelve digits that happen to pass the check).
EXEMPT_ATTRIBUTE = "individual_number_exempt"


MESSAGE = gettext_lazy(
    "An individual number (マイナンバー) cannot be entered here: this service must not collect it. "
    "Remove it and send again."
)


def _message() -> str:
    return str(MESSAGE)


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}.{index}" if path else str(index))
    elif value is not None and not isinstance(value, bool):
        yield path, str(value)


# A short number, a date, a time or a date and time: not read together with the other inputs.
_MACHINE_VALUE = re.compile(
    r"-?[0-9]{1,4}(?:\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
)
# A Japanese telephone number in its usual grouping, in a field for one (a need taken by phone has
# a number to call back): ten digits (landline, 0X-XXXX-XXXX and the like) or eleven (a mobile,
# 0X0-XXXX-XXXX), never twelve. Read on its own, not together with the other inputs, whose block
# numbers and counts would otherwise make twelve digits with it in one post of ten.
_TELEPHONE = re.compile(r"0[5789]0-[0-9]{4}-[0-9]{4}|(?=[0-9()-]{12}$)\(?0[0-9]{1,4}\)?-?[0-9]{1,4}-[0-9]{4}")
TELEPHONE_FIELDS = frozenset({"contact_phone"})
MAX_READ_TOGETHER = 40  # inputs with digits read two by two: 780 pairs at most

# Inputs that carry a token rather than anything a person typed, where digits that touch letters
# are part of the token (core.individual_number, tokens=True): the codes this service signs (the
# venue's rotating one, a resident's own QR, a household's shelter code), the keys of allauth's
# e-mail confirmation and password reset links, and the identity provider's one-time code and our state on its
# callback. Each is read and checked, never stored as typed. A bare number there is still refused.
SCANNED_CODE = frozenset({"code"})  # a code a staff device scanned from a resident's app
ISSUED_TOKENS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"^/api/v1/checkins/$"), frozenset({"token"})),
    (re.compile(r"^/api/v1/staff/events/[0-9]+/checkins/$"), frozenset({"token"})),
    (re.compile(r"^/api/v1/staff/shelters/[0-9]+/receptions/(?:batch/)?$"), SCANNED_CODE),
    (re.compile(r"^/api/v1/staff/centres/[0-9]+/(?:receptions/(?:batch/)?|insurance/)$"), SCANNED_CODE),
    (re.compile(r"^/staff/disaster-mode/centres/[0-9]+/door/(?:receive|insurance)/$"), SCANNED_CODE),
    (re.compile(r"^/_allauth/(?:app|browser)/v1/auth/(?:email/verify|password/reset)$"), frozenset({"key"})),
    (re.compile(r"^/identity/callback/$"), frozenset({"code", "state"})),
)


def _token_fields(path: str) -> frozenset[str]:
    return next((fields for pattern, fields in ISSUED_TOKENS if pattern.match(path)), frozenset())


def request_inputs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """Every text a request carries with the field it came in (dotted for JSON): query and form
    keys and values, JSON keys and values, or the body as it is."""
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            yield key, key
            for value in values:
                yield key, value
        return
    body = body_text(request)
    if "json" in content_type:
        try:
            yield from _leaves(json.loads(body), "")
            return
        except ValueError:
            pass  # not JSON after all: the view will say so; still look at the text
    yield "", body


def refused_field(request: HttpRequest) -> str | None:
    """The first input holding an individual number ("" for a body that is not JSON), or None.

    Each input is read on its own; then, so that a number split across two fields of one post is
    found, every two of the texts a person may have typed digits into are read together, one
    after the other, in both orders. Not read together: tokens, what is only a short number (a
    count, an amount, an id) or a date or a time, whose digits would otherwise add up to twelve
    with a telephone number's, and a telephone number in a field for one."""
    tokens = _token_fields(request.path)
    typed: list[tuple[str, str]] = []
    for field, text in request_inputs(request):
        leaf = field.rsplit(".", 1)[-1]
        if contains_individual_number(text, tokens=leaf in tokens):
            return field
        if leaf not in tokens and ANY_DIGIT.search(text) and not _read_alone(leaf, text.strip()):
            typed.append((field, text))
    typed = typed[:MAX_READ_TOGETHER]
    for first, (field, text) in enumerate(typed):
        for _other_field, other in typed[first + 1 :]:
            if any(contains_individual_number(pair) for pair in (f"{text}\n{other}", f"{other}\n{text}")):
                return field
    return None


def _read_alone(leaf: str, text: str) -> bool:
    if _MACHINE_VALUE.fullmatch(text):
        return True
    return leaf in TELEPHONE_FIELDS and _TELEPHONE.fullmatch(text) is not None


class IndividualNumberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = refused_field(request)
        if field is None:
            return self.get_response(request)
        logging.getLogger(__name__).warning(
            "refused a request carrying an individual number: %s", request.path
        )
        if request.path.startswith(JSON_PATHS):
            return JsonResponse(
                {
                    "code": CODE,
                    "message": _message(),
                    "errors": [{"field": field or None, "code": "individual_number", "message": _message()}],
                },
                status=400,
            )
        return HttpResponse(
            f"<p>{escape(_message())}</p>", status=400, content_type="text/html; charset=utf-8"
        )


def project_models() -> Iterator[type[models.Model]]:
    """Every model of the project's own apps: those whose code lives in the project, not in an
    installed package."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and "site-packages" not in path.parts:
            yield from config.get_models()


def scanned_fields(model: type[models.Model]) -> Iterator[models.Field[Any, Any]]:
    """The fields a person could have typed text into."""
    exempt: frozenset[str] = getattr(model, EXEMPT_ATTRIBUTE, frozenset())
    for field in model._meta.concrete_fields:
        if field.name not in exempt and isinstance(
            field, models.CharField | models.TextField | models.JSONField
        ):
            yield field


def _texts(field: models.Field[Any, Any], value: Any) -> Iterator[str]:
    if isinstance(value, Expression):  # Value("…"), Concat(Value("1234 5678"), Value(" 9012")): read as one
        yield "".join(_expression_texts(value))
    elif isinstance(field, models.JSONField):
        yield from (text for _path, text in _leaves(value, ""))
    elif isinstance(value, str):
        yield value


def _expression_texts(expression: Any) -> Iterator[str]:
    if isinstance(expression, Value) and isinstance(expression.value, str):
        yield expression.value
    for source in (
        expression.get_source_expressions() if hasattr(expression, "get_source_expressions") else ()
    ):
        if source is not None:
            yield from _expression_texts(source)


def refused_value(model: type[models.Model], values: dict[str, Any]) -> str | None:
    """The first field (by name or attname) of `values` that would write an individual number into
    one of the model's scanned fields, or None."""
    for field in scanned_fields(model):
        for name in {field.name, field.attname} & values.keys():
            if any(contains_individual_number(text) for text in _texts(field, values[name])):
                return field.name
    return None


def refuse_individual_numbers(
    sender: type[models.Model], instance: models.Model, fields: Iterable[str] | None = None, **kwargs: Any
) -> None:
    """The database's door: refuses an instance about to be saved (or bulk-written) with one."""
    names = set(fields) if fields is not None else None
    values = {
        field.name: getattr(instance, field.attname)
        for field in scanned_fields(sender)
        if names is None or field.name in names or field.attname in names
    }
    refused = refused_value(sender, values)
    if refused is not None:
        raise ValidationError({refused: _message()}, code="individual_number")


_M = TypeVar("_M", bound=models.Model, covariant=True)  # as QuerySet's own


class GuardedQuerySet(models.QuerySet[_M]):
    """The writes that send no `pre_save` (bulk_create, bulk_update, update) pass the same door.
    Every model of the project's apps is managed through it (`core.models.GuardedModel`), so no
    write through the ORM can skip the guard; raw SQL writes are listed in a test."""

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        for obj in objs:
            refuse_individual_numbers(self.model, obj)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[_M], fields: Iterable[str], *args: Any, **kwargs: Any) -> int:
        objs, fields = list(objs), list(fields)
        for obj in objs:
            refuse_individual_numbers(self.model, obj, fields=fields)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        refused = refused_value(self.model, kwargs)
        if refused is not None:
            raise ValidationError({refused: _message()}, code="individual_number")
        return super().update(**kwargs)


def _redacted(text: str) -> str:
    """The text with every individual number replaced, found in its URL-decoded form too (an
    access log's request line carries the query as the browser encoded it: "1234%205678%20…")."""
    cleaned = redact(text)
    if "%" in cleaned or "+" in cleaned:
        decoded = unquote_plus(cleaned)
        if decoded != cleaned and contains_individual_number(decoded):
            cleaned = redact(decoded)
    return cleaned


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed logging call: logging reports it when it formats
        return
    cleaned = _redacted(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[1] is not None:
        # Formatted now (only when an exception is logged) so that its text can be looked at; every
        # formatter prints exc_text when it is set.
        text = logging.Formatter().formatException(record.exc_info)
        cleaned = _redacted(text)
        if cleaned != text:
            record.exc_info, record.exc_text = None, cleaned


def install_log_redaction() -> None:
    """Every log record of the process is redacted as it is made, whichever logger and handler it
    goes through: Django's own (the development server's request lines, django.request),
    gunicorn's access and error logs, Celery's, the project's. Installed once, by CoreConfig."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_individual_numbers", False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    make.redacts_individual_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)
