"""Individual numbers (個人番号) are never collected or kept: the check digit of the Cabinet
Order, found in the ways people type them; refused in every input before a view runs and at
the database's door; redacted from logs."""

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.individual_number import (
    REDACTED,
    check_digit,
    find_individual_numbers,
    is_individual_number,
    redact,
)
from core.privacy import project_models, scanned_fields
from tests.factories import PASSWORD, UserFactory
from volunteer.models import Area, Organisation, User

ApiClient = Callable[[User], APIClient]
eleven_digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


def number(first_eleven: str) -> str:
    return first_eleven + str(check_digit(first_eleven))


FORMATS: dict[str, Callable[[str], str]] = {
    "plain": lambda n: n,
    "spaced": lambda n: f"{n[:4]} {n[4:8]} {n[8:]}",
    "hyphenated": lambda n: f"{n[:4]}-{n[4:8]}-{n[8:]}",
    "full-width": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in n),
    "full-width hyphens": lambda n: f"{n[:4]}－{n[4:8]}－{n[8:]}",
}


def test_the_check_digit_of_the_cabinet_order() -> None:
    # From the right, 1 0 9 8 7 6 | 5 4 3 2 1 weigh 2 3 4 5 6 7 | 2 3 4 5 6: Σ = 212, 212 mod 11 = 3.
    assert check_digit("12345678901") == 11 - 3
    assert is_individual_number("123456789018")
    assert not is_individual_number("123456789011")
    assert check_digit("00000000000") == 0  # remainder 0 gives 0
    assert check_digit("00000000006") == 0  # 6 × 2 = 12, remainder 1 gives 0
    assert check_digit("00000000005") == 1  # 5 × 2 = 10: 11 − 10
    assert check_digit("00000000010") == 8  # the second digit weighs 3: 11 − 3


@given(first=eleven_digits, form=st.sampled_from(sorted(FORMATS)), before=st.text(), after=st.text())
def test_a_number_is_found_however_it_is_typed(first: str, form: str, before: str, after: str) -> None:
    typed = FORMATS[form](number(first))
    text = f"{before} {typed} {after}"

    assert number(first) in find_individual_numbers(text)
    assert number(first) not in find_individual_numbers(redact(text))
    assert REDACTED in redact(text)


@given(first=eleven_digits, code=st.sampled_from(["a", "f0", "Zq", "x9"]))
def test_digits_inside_a_code_of_letters_and_digits_are_not_one(first: str, code: str) -> None:
    # A password hash, a hex salt or a signed token may hold twelve digits that pass the check.
    assert find_individual_numbers(f"{code}{number(first)}") == []
    assert find_individual_numbers(f"{number(first)}{code}") == []
    assert find_individual_numbers(f"番号:{number(first)}。") == [number(first)]


@given(first=eleven_digits, wrong=st.integers(min_value=1, max_value=9))
def test_twelve_digits_with_another_last_digit_are_not_one(first: str, wrong: int) -> None:
    digits = first + str((check_digit(first) + wrong) % 10)

    assert find_individual_numbers(f"注文番号 {digits}") == []


@given(first=eleven_digits, extra=st.sampled_from("0123456789"))
def test_a_longer_run_of_digits_is_not_one(first: str, extra: str) -> None:
    assert find_individual_numbers(extra + number(first)) == []
    assert find_individual_numbers(number(first) + extra) == []


VALID = number("12345678901")


@pytest.mark.django_db
def test_the_profile_refuses_one_and_changes_nothing(client_for: ApiClient, resident: User) -> None:
    response = client_for(resident).patch("/api/v1/me/", {"display_name": f"田中 {VALID}"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "individual_number_refused"
    assert response.json()["errors"][0]["field"] == "display_name"
    resident.refresh_from_db()
    assert resident.display_name == "田中 勝"


@pytest.mark.django_db
def test_query_strings_allauth_and_the_staff_pages_refuse_one_too(planner: User) -> None:
    api = APIClient()
    signup = api.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "new@example.com", "password": f"pw-{FORMATS['spaced'](VALID)}-x"},
        format="json",
    )
    browser = Client()
    assert browser.login(email=planner.email, password=PASSWORD)
    page = browser.post("/staff/plan/values/", {"action": "value", "note": FORMATS["full-width"](VALID)})

    assert (signup.status_code, signup.json()["code"]) == (400, "individual_number_refused")
    assert not User.objects.filter(email="new@example.com").exists()
    assert api.get(f"/api/v1/events/?q={VALID}").status_code == 400
    assert page.status_code == 400
    assert "マイナンバー" in page.content.decode()


@pytest.mark.django_db
def test_the_database_door_refuses_writes_that_come_from_no_request(school_district: Area) -> None:
    with pytest.raises(ValidationError) as refused:
        UserFactory(display_name=f"番号{VALID}")
    with pytest.raises(ValidationError):
        Organisation.objects.create(
            name="サロン",
            kind=Organisation.Kind.NEIGHBOURHOOD_ASSOCIATION,
            area=school_district,
            description=FORMATS["hyphenated"](VALID),
        )

    assert "display_name" in refused.value.message_dict
    assert not User.objects.filter(display_name__contains="番号").exists()
    assert not Organisation.objects.filter(name="サロン").exists()


def test_a_log_line_never_carries_one() -> None:
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    stream: Any = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("volunteer.test").warning("resident typed %s in a note", FORMATS["spaced"](VALID))
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]

    written = stream.getvalue()
    assert "resident typed" in written
    assert REDACTED in written
    assert find_individual_numbers(written) == []


def test_celery_workers_log_through_the_same_filter() -> None:
    from celery.signals import setup_logging

    root = logging.getLogger()
    kept = root.handlers[:]
    root.handlers = [logging.StreamHandler(io.StringIO())]  # as a worker's own setup would leave it
    try:
        # A receiver means Celery leaves logging alone; ours applies Django's configuration.
        setup_logging.send(sender=None, loglevel="INFO", logfile=None, format="", colorize=False)
        filters = [type(f).__name__ for handler in root.handlers for f in handler.filters]
    finally:
        root.handlers = kept

    assert "RedactIndividualNumbers" in filters


def _text_fields() -> list[tuple[type[Any], str]]:
    return sorted(
        ((model, field.name) for model in project_models() for field in scanned_fields(model)),
        key=lambda item: (item[0]._meta.label, item[1]),
    )


def test_the_guard_covers_every_app_of_the_project_and_no_installed_package() -> None:
    guarded = {model._meta.app_label for model in project_models()}

    assert guarded >= {"plan_registry", "volunteer", "events", "matching", "points"}
    assert not guarded & {"account", "socialaccount", "sessions", "admin", "auth", "usersessions"}


def test_start_up_fails_when_the_guard_would_cover_nothing(settings: Any) -> None:
    from core.checks import individual_number_guard_covers_the_project

    assert individual_number_guard_covers_the_project() == []
    settings.BASE_DIR = "/nonexistent"

    assert [error.id for error in individual_number_guard_covers_the_project()] == ["core.E001"]


def test_fields_the_service_fills_are_exempt_and_typed_ones_are_not() -> None:
    fields = {f"{model._meta.label}.{name}" for model, name in _text_fields()}

    assert "volunteer.User.password" not in fields
    assert "core.IdempotencyKey.key" not in fields
    assert {"volunteer.User.display_name", "matching.Need.title", "events.Activity.title"} <= fields


@pytest.mark.parametrize("target", _text_fields(), ids=lambda t: f"{t[0]._meta.label}.{t[1]}")
@settings(max_examples=10)
@given(
    first=eleven_digits,
    form=st.sampled_from(sorted(FORMATS)),
    around=st.text(alphabet="あいう 。、:", max_size=8),
)
def test_no_text_field_of_any_model_can_be_saved_holding_one(
    target: tuple[type[Any], str], first: str, form: str, around: str
) -> None:
    from django.db import models as db
    from django.db.models.signals import pre_save

    model, name = target
    typed = f"{around}{FORMATS[form](number(first))}{around}"
    field = model._meta.get_field(name)
    value: Any = {"note": typed} if isinstance(field, db.JSONField) else typed
    instance = model(**{field.attname: value})

    with pytest.raises(ValidationError) as refused:
        pre_save.send(sender=model, instance=instance, raw=False, using="default", update_fields=None)

    assert name in refused.value.message_dict
