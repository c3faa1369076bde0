"""Individual numbers (個人番号) are never collected or kept: the check digit of the Cabinet
Order, found in the ways people type them; refused in every input before a view runs and at
the database's door; redacted from logs."""

import hashlib
import io
import logging
import random
import string
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

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


def _grouped(separator: str) -> Callable[[str], str]:
    return lambda n: f"{n[:4]}{separator}{n[4:8]}{separator}{n[8:]}"


# Every way of typing one that a reviewer found stored, and those the guard knew already.
FORMATS: dict[str, Callable[[str], str]] = {
    "plain": lambda n: n,
    "spaced": _grouped(" "),
    "hyphenated": _grouped("-"),
    "full-width": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in n),
    "full-width hyphens": _grouped("－"),
    "two spaces": _grouped("  "),
    "dots": _grouped("."),
    "slashes": _grouped("/"),
    "commas": _grouped(","),
    "nakaguro": _grouped("・"),
    "en dash": _grouped("–"),
    "em dash": _grouped("—"),
    "katakana long sound": _grouped("ー"),
    "ideographic space": _grouped("\u3000"),
    "tab": _grouped("\t"),
    "newline": _grouped("\n"),
    "zero-width spaces": _grouped("\u200b"),
    "zero-width joiner and soft hyphen": lambda n: f"{n[:4]}\u200d{n[4:8]}\u00ad{n[8:]}",
    "brackets": lambda n: f"({n[:4]}){n[4:8]}-{n[8:]}",
    "mixed": lambda n: f"{n[:4]} - {n[4:8]} ・ {n[8:]}",
    "after No": lambda n: f"No{n}",
    "after No.": lambda n: f"No.{n}",
    "after ID": lambda n: f"ID{n}",
    "after MyNumber": lambda n: f"MyNumber{n}",
    "between letters": lambda n: f"abc{n}xyz",
    "a digit added": lambda n: f"{n[:4]} {n[4:8]} {n[8:]} 7",
}
# Random Japanese text around it: kana, kanji, Latin letters and punctuation, no digits.
japanese = st.text(
    alphabet=st.characters(
        categories=["Lo", "Lu", "Ll", "Po", "Ps", "Pe", "Zs"], exclude_characters="+0123456789"
    ),
    max_size=30,
)


def test_the_check_digit_of_the_cabinet_order() -> None:
    # From the right, 1 0 9 8 7 6 | 5 4 3 2 1 weigh 2 3 4 5 6 7 | 2 3 4 5 6: Σ = 212, 212 mod 11 = 3.
    assert check_digit("12345678901") == 11 - 3
    assert is_individual_number("123456789018")
    assert not is_individual_number("123456789011")
    assert check_digit("00000000000") == 0  # remainder 0 gives 0
    assert check_digit("00000000006") == 0  # 6 × 2 = 12, remainder 1 gives 0
    assert check_digit("00000000005") == 1  # 5 × 2 = 10: 11 − 10
    assert check_digit("00000000010") == 8  # the second digit weighs 3: 11 − 3


@given(first=eleven_digits, form=st.sampled_from(sorted(FORMATS)), before=japanese, after=japanese)
def test_a_number_is_found_however_it_is_typed(first: str, form: str, before: str, after: str) -> None:
    text = f"{before}{FORMATS[form](number(first))}{after}"

    assert number(first) in find_individual_numbers(text)
    assert find_individual_numbers(redact(text)) == []
    assert REDACTED in redact(text)


@given(first=eleven_digits, form=st.sampled_from(sorted(FORMATS)), cut=st.integers(min_value=1, max_value=11))
def test_a_number_split_across_two_fields_is_found_when_they_are_read_together(
    first: str, form: str, cut: int
) -> None:
    typed = FORMATS[form](number(first))
    digits_seen = [i for i, c in enumerate(typed) if unicodedata.normalize("NFKC", c).isdigit()]
    at = digits_seen[cut]
    title, body = f"連絡先 {typed[:at]}", f"{typed[at:]} までお願いします"

    assert number(first) in find_individual_numbers(f"{title}\n{body}")


@given(first=eleven_digits, code=st.sampled_from(["a", "f0Z", "Zq", "x9y", "abcdef"]))
def test_in_a_token_the_service_issued_digits_touching_letters_are_the_tokens(first: str, code: str) -> None:
    # A signed check-in code or a confirmation key may hold twelve digits that pass the check.
    assert find_individual_numbers(f"{code}{number(first)}", tokens=True) == []
    assert find_individual_numbers(f"{number(first)}{code}", tokens=True) == []
    assert find_individual_numbers(number(first), tokens=True) == [number(first)]
    assert find_individual_numbers(f" {FORMATS['spaced'](number(first))} ", tokens=True) == [number(first)]
    # A signed check-in code: version, kind, ids and a time window joined by dots, then its MAC.
    assert (
        find_individual_numbers(f"1.v.{first[:4]}.{first[4:]}{check_digit(first)}.{code}", tokens=True) == []
    )
    assert find_individual_numbers(f"{code}{number(first)}") == [number(first)]  # typed text: found


@given(first=eleven_digits, wrong=st.integers(min_value=1, max_value=9))
def test_twelve_digits_with_another_last_digit_are_not_one(first: str, wrong: int) -> None:
    digits = first + str((check_digit(first) + wrong) % 10)

    assert find_individual_numbers(f"注文番号 {digits}") == []


@given(first=eleven_digits, extra=st.sampled_from("0123456789"))
def test_a_longer_run_of_digits_is_not_one(first: str, extra: str) -> None:
    assert find_individual_numbers(extra + number(first)) == []
    assert find_individual_numbers(number(first) + extra) == []


# What people and the service write that must still pass.
ORDINARY = [
    "096-328-2111",
    "090-1234-5678",
    "(096)328-2111",
    "0120-123-456",
    "+81 90-1234-5678",
    "+81-96-328-2111",
    "〒860-8601 熊本市中央区手取本町1-1",
    "2026-12-03",
    "2026/12/03 10:00",
    "2026-12-03〜2026-12-05",
    "2026.12.3〜2026.12.24 毎週火曜",
    "令和8年12月3日（木）10:00〜12:00",
    "12/3(木)10:00-12:00",
    "参加費1,000円、交通費3,000円まで",
    "1,234,567円",
    "定員 20 名、3 班に分かれて 90 分",
    "2026-12-03T10:00:00+09:00\n2026-12-03T11:00:00+09:00",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_telephone_numbers_postal_codes_dates_and_amounts_pass(text: str) -> None:
    assert find_individual_numbers(text) == []


@settings(max_examples=200)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_what_the_service_issues_passes(seed: int) -> None:
    """Password hashes, session tokens, UUIDs, hashes and signed codes: none reads as a number."""
    from django.contrib.auth.hashers import make_password
    from django.core import signing

    rng = random.Random(seed)
    issued = [
        make_password(f"pw{seed}", salt=f"{rng.getrandbits(64):016x}", hasher="md5"),
        secrets_from(rng, 43),
        str(uuid.UUID(int=rng.getrandbits(128))),
        hashlib.sha256(str(seed).encode()).hexdigest(),
        signing.dumps({"event": rng.randrange(10**6), "at": rng.randrange(10**10)}),
    ]
    for text in issued:
        assert find_individual_numbers(text) == [], text


def secrets_from(rng: random.Random, length: int) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(rng.choice(alphabet) for _ in range(length))


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


def test_celery_workers_redact_too_whatever_handlers_they_set_up() -> None:
    from celery.signals import setup_logging

    root = logging.getLogger()
    kept = root.handlers[:]
    stream: Any = io.StringIO()
    root.handlers = [logging.StreamHandler(stream)]  # as a worker's own setup would leave it
    try:
        setup_logging.send(sender=None, loglevel="INFO", logfile=None, format="", colorize=False)
        root.handlers.append(logging.StreamHandler(stream))
        logging.getLogger("celery.app.trace").warning("task args (%r,)", FORMATS["dots"](VALID))
    finally:
        root.handlers = kept

    assert REDACTED in stream.getvalue()
    assert find_individual_numbers(stream.getvalue()) == []


@pytest.mark.parametrize(
    ("logger", "message"),
    [
        (
            "django.server",
            f'"GET /api/v1/events/?q={VALID[:4]}%20{VALID[4:8]}%20{VALID[8:]} HTTP/1.1" 400 120',
        ),
        ("django.server", f'"GET /verify/No{VALID}/ HTTP/1.1" 404 0'),
        ("gunicorn.access", f'127.0.0.1 - - "GET /api/v1/needs/?title={VALID[:6]}+{VALID[6:]} HTTP/1.1" 400'),
        ("django.request", f"Not Found: /api/v1/people/{FORMATS['hyphenated'](VALID)}/"),
    ],
)
def test_request_lines_are_redacted_in_every_logger_even_url_encoded(logger: str, message: str) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    target = logging.getLogger(logger)
    target.addHandler(handler)
    level = target.level
    target.setLevel(logging.INFO)
    try:
        target.info("%s", message)
    finally:
        target.removeHandler(handler)
        target.setLevel(level)

    line = records[0].getMessage()
    assert REDACTED in line
    assert find_individual_numbers(unquote_plus(line)) == []


def test_an_exception_logged_with_one_in_its_message_is_redacted() -> None:
    stream: Any = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("volunteer.test.exceptions")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"bad value {FORMATS['spaced'](VALID)}")
        except ValueError:
            logger.exception("could not save")
    finally:
        logger.removeHandler(handler)

    assert "could not save" in stream.getvalue()
    assert "ValueError" in stream.getvalue()
    assert find_individual_numbers(stream.getvalue()) == []


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
