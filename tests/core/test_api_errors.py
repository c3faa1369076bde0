"""The one handler that turns refusals into HTTP: a domain error's kind gives its status and its
code and translated message stay as they are; a model's own refusal at save (the
individual-number guard) is a 400 naming the field, rather than a server error."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.api.errors import exception_handler
from core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    ReasonRequired,
    Unavailable,
    required_reason,
)
from volunteer.models import User


def test_a_models_refusal_is_a_400_naming_the_field() -> None:
    response = exception_handler(
        ValidationError({"note": ["入力できません。"]}, code="individual_number"), {}
    )

    assert response is not None
    assert response.status_code == 400
    assert response.data["code"] == "invalid_input"
    assert response.data["errors"] == [{"field": "note", "code": "invalid", "message": "入力できません。"}]


class _Busy(Conflict):
    code = "busy"
    message = "busy now"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError(), 400),
        (Forbidden(), 403),
        (NotFound(), 404),
        (_Busy(), 409),
        (Unavailable(), 503),
        (ReasonRequired(), 400),
    ],
)
def test_each_kind_of_refusal_has_its_status_and_keeps_its_code(error: DomainError, status: int) -> None:
    response = exception_handler(error, {})

    assert response is not None
    assert response.status_code == status
    assert response.data == {"code": error.code, "message": str(error.message)}


def test_a_precise_code_given_at_the_raise_replaces_the_class_code() -> None:
    response = exception_handler(DomainError("state_replayed"), {})

    assert response is not None
    assert response.data["code"] == "state_replayed"


def test_the_message_follows_the_language_asked_for() -> None:
    with translation.override("en"):
        english = exception_handler(ReasonRequired(), {})
    with translation.override("ja"):
        japanese = exception_handler(ReasonRequired(), {})

    assert english is not None
    assert japanese is not None
    assert english.data["message"] == "A reason is required."
    assert japanese.data["message"] != english.data["message"]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_empty_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(ReasonRequired):
        required_reason(reason)


def test_a_reason_is_kept_without_surrounding_space() -> None:
    assert required_reason("  本人の申し出  ") == "本人の申し出"


@pytest.mark.django_db
def test_a_write_with_a_session_cookie_and_no_csrf_token_is_refused_in_the_error_shape(
    resident: User,
) -> None:
    """A client that kept a session cookie (as a fuzzer or a browser does) writing where Django's
    CSRF check guards: an unknown API path is its 404, and a refusal is the JSON error there and
    Django's page elsewhere, never HTML on the app's paths."""
    from django.test import Client, RequestFactory

    from core.api.errors import csrf_failure

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)

    unknown = browser.delete("/api/v1/devices/9223372036854775808/")
    refused = csrf_failure(RequestFactory().post("/api/v1/anything/"), reason="CSRF cookie not set.")
    page = csrf_failure(RequestFactory().post("/staff/login/"), reason="CSRF cookie not set.")

    assert (unknown.status_code, unknown["Content-Type"]) == (404, "application/json")
    assert unknown.json()["code"] == "not_found"
    assert (refused.status_code, refused["Content-Type"]) == (403, "application/json")
    assert json.loads(refused.content)["code"] == "permission_denied"
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")
