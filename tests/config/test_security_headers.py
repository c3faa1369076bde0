"""Every page is sent with a Content-Security-Policy that allows scripts only from this site, and
the pages still work under it: no inline script or event handler, and in a real browser no
refusal from the policy."""

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from volunteer.models import User

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
PUBLIC_PAGES = [
    "/",
    "/staff/login/",
    "/api/docs/",
    "/api/docs/?script",
    "/api/redoc/",
    "/_allauth/openapi.html",
]
STAFF_PAGES = ["/staff/", "/staff/queue/", "/staff/events/", "/staff/plan/report/", "/staff/plan/values/"]


def policy(response: Any) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {part[0]: part[1] for part in parts}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_the_policy_and_carry_no_inline_script(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert policy(response)["script-src"] == "'self'"
    assert policy(response)["frame-ancestors"] == "'none'"
    assert INLINE_SCRIPT.findall(response.content.decode()) == []


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_send_the_policy_and_carry_no_inline_script(
    client: Client, coordinator: User, path: str
) -> None:
    coordinator.is_superuser = True  # every staff page, whatever its role
    coordinator.save(update_fields=["is_superuser"])
    client.force_login(coordinator)

    response = client.get(path)

    assert response.status_code == 200
    assert policy(response)["script-src"] == "'self'"
    assert INLINE_SCRIPT.findall(response.content.decode()) == []


def test_the_api_answers_and_the_certificate_page_carry_the_policy_too(client: Client) -> None:
    assert "default-src 'self'" in client.get("/api/v1/areas/")["Content-Security-Policy"]
    unknown = client.get("/verify/KV2025-XXXX-XXXX/")
    assert "default-src 'self'" in unknown["Content-Security-Policy"]
    assert INLINE_SCRIPT.findall(unknown.content.decode()) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_and_the_staff_pages_work_in_a_browser_under_the_policy(
    page: Page, live_server: Any, coordinator: User
) -> None:
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "Content Security" in message.text else None,
    )

    # The docs page fetches the schema, which a busy machine takes seconds to build.
    with page.expect_response(lambda response: "/api/schema/" in response.url, timeout=60_000) as schema:
        page.goto(f"{live_server.url}/api/docs/")
    assert schema.value.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "熊本市ボランティア・ポイント API", timeout=20_000
    )
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.locator("h1").first).to_contain_text("熊本市ボランティア・ポイント API", timeout=20_000)
    page.goto(f"{live_server.url}/staff/login/?next=/staff/queue/")
    page.fill("input[name=username]", coordinator.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("h1")).to_have_text("マッチング確認キュー")

    # Redoc's "powered by" logo comes from its CDN: refused, and the page works without it.
    assert [refusal for refusal in refusals if "cdn.redoc.ly/redoc/logo-mini.svg" not in refusal] == []
