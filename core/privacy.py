"""Keeping individual numbers (個人番号) out: a city app must not collect or keep one.

- `IndividualNumberMiddleware` refuses any request whose query, form fields or JSON body carries
  one, before a view runs, so nothing typed anywhere (the app's API, allauth's endpoints, the
  staff pages, the admin) is stored: 400 with the code `individual_number_refused` and the field.
- `refuse_individual_numbers` is the same check at the database's door, for writes that do not
  come from a request (commands, tasks): `CoreConfig.ready` connects it to `pre_save` of every
  model of the project's own apps (`project_models`, found by where their code lives, so a new
  app is guarded without being named) and it refuses, changing nothing.
- `RedactIndividualNumbers` is a logging filter: a log line never contains one.
"""

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.individual_number import contains_individual_number, redact
from core.limits import JSON_PATHS

CODE = "individual_number_refused"
# Fields the service fills with hashes, keys, tokens and signatures, never anything a person
# typed (a random one may hold twelve digits that happen to pass the check).
# A model lists here the fields the service fills with hashes, keys, tokens and signatures, never
# anything a person typed (a random one may hold twelve digits that happen to pass the check).
EXEMPT_ATTRIBUTE = "individual_number_exempt"


def _message() -> str:
    return _(
        "An individual number (マイナンバー) cannot be entered here: this service must not collect it. "
        "Remove it and send again."
    )


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
    body = request.body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            yield from _leaves(json.loads(body), "")
            return
        except ValueError:
            pass  # not JSON after all: the view will say so; still look at the text
    yield "", body


class IndividualNumberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = next(
            (path for path, text in request_inputs(request) if contains_individual_number(text)), None
        )
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


def refuse_individual_numbers(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    for field in scanned_fields(sender):
        value = getattr(instance, field.attname)
        texts = (t for _path, t in _leaves(value, "")) if isinstance(field, models.JSONField) else [value]
        if any(isinstance(text, str) and contains_individual_number(text) for text in texts):
            raise ValidationError({field.name: _message()}, code="individual_number")


class RedactIndividualNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and record.exc_info[1] is not None:
            exception_text = redact(str(record.exc_info[1]))
            if exception_text != str(record.exc_info[1]):
                record.exc_info = None
                record.exc_text = None
                record.msg = f"{record.msg} ({exception_text})"
        return True
