"""One catalogue of error codes, served at /api/v1/errors/ and agreeing with the schema."""

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from core.api import catalogue
from volunteer import errors

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "volunteer", "matching", "events", "points", "plan_registry")


def _schema_codes(api_client: APIClient) -> dict[str, set[int]]:
    """Each code any operation lists, with the statuses it is listed under."""
    schema = yaml.safe_load(api_client.get("/api/schema/").content)
    found: dict[str, set[int]] = {}
    for item in schema["paths"].values():
        for operation in item.values():
            for status_code, response in operation["responses"].items():
                if not status_code.startswith(("4", "5")):
                    continue
                _, narrowed = response["content"]["application/json"]["schema"]["allOf"]
                for code in narrowed["properties"]["code"]["enum"]:
                    found.setdefault(code, set()).add(int(status_code))
    return found


def _verify_result_codes(api_client: APIClient) -> set[str]:
    """A verification answers one result per participation, each with its own refusal's code."""
    schema = yaml.safe_load(api_client.get("/api/schema/").content)
    return set(schema["components"]["schemas"]["VerifyRefusalEnum"]["enum"])


def test_the_catalogue_answers_every_code_with_its_status_and_both_languages(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/errors/")

    assert response.status_code == 200
    entries: dict[str, Any] = {entry["code"]: entry for entry in response.json()}
    listed = _schema_codes(api_client)
    assert set(listed) <= set(entries)
    for code, statuses in listed.items():
        assert statuses == {entries[code]["status"]}, code
    untranslated = [
        code for code, entry in entries.items() if entry["messages"]["ja"] == entry["messages"]["en"]
    ]
    assert untranslated == []
    assert entries["insufficient_balance"]["status"] == 409
    assert entries["insufficient_balance"]["messages"] == {
        "ja": "残高が足りません。",
        "en": "The balance is not enough for this.",
    }


def test_every_business_refusal_is_listed_on_some_operation(api_client: APIClient) -> None:
    """A DomainError no operation declares is either dead or answered undocumented."""
    listed = set(_schema_codes(api_client)) | _verify_result_codes(api_client)
    # The kinds' own defaults, refusals only the staff pages meet (the report's PDF, a ledger
    # reversal), and the identity provider's answer, told to the app by its redirect (?error=).
    elsewhere = {"conflict", "forbidden", "unavailable", "report_font_missing"}
    elsewhere |= {"already_reversed", "reversal_would_overdraw"}
    refused = errors.IdentityVerificationRefused
    elsewhere |= {refused.code, *refused.variants}
    missing = sorted(
        entry.code
        for error in catalogue.domain_errors()
        for entry in catalogue.domain_entries(error)
        if entry.code not in listed and entry.code not in elsewhere
    )
    assert missing == []


def _raises_with_a_code() -> list[tuple[str, str, str]]:
    """(where, class name, code) of each `raise X("code")` in the apps' code."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                    continue
                function, arguments = node.exc.func, node.exc.args
                name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
                if (
                    arguments
                    and isinstance(arguments[0], ast.Constant)
                    and isinstance(arguments[0].value, str)
                ):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", name, arguments[0].value))
    return found


def test_a_refusal_raised_with_a_code_of_its_own_declares_it_as_a_variant() -> None:
    errors = {error.__name__: error for error in catalogue.domain_errors()}
    raised = [(where, name, code) for where, name, code in _raises_with_a_code() if name in errors]
    assert len(raised) >= 10  # the identity verification's reasons, at least
    undeclared = [
        (where, code)
        for where, name, code in raised
        if code not in (errors[name].code, *errors[name].variants)
    ]
    assert undeclared == []
