"""Text a person typed carries no hidden characters: control characters and the invisible marks
that reorder or hide what staff read (a name with U+202E shows its end backwards).

- `HiddenCharactersMiddleware` refuses any request whose query, form fields or JSON body (keys
  and values) carries one, on every path (the app's API, allauth's endpoints, the staff pages, the
  admin), before a view runs: 400 with the code `hidden_characters` and the field. Newline,
  carriage return and tab pass here, for multi-line text (notes, reasons, descriptions).
- `validate_single_line` refuses those three too, for names and titles: the fields staff read
  in a list.

Japanese, full-width text, emoji (with their zero-width joiners and variation selectors) and
ideographic variation sequences pass.
"""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from core.limits import refusal
from core.privacy import request_inputs

CODE = "hidden_characters"

# C0 and C1 controls but tab, newline and carriage return; the Arabic letter mark, the
# left-to-right and right-to-left marks, embeddings, overrides and isolates; zero width space,
# word joiner and byte order mark; lone surrogates (no text can hold one).
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")


MESSAGE = gettext_lazy(
    "This text contains control characters or invisible direction marks (such as U+202E). "
    "Remove them and send again."
)


def _message() -> str:
    return str(MESSAGE)


def has_hidden_characters(text: str) -> bool:
    return _HIDDEN.search(text) is not None


def validate_single_line(value: str) -> None:
    if _HIDDEN.search(value) or _LINE_BREAKS.search(value):
        raise ValidationError(_message(), code=CODE)


class HiddenCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = next((path for path, text in request_inputs(request) if has_hidden_characters(text)), None)
        if field is None:
            return self.get_response(request)
        return refusal(request, code=CODE, message=_message(), field=field or None)
