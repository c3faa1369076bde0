"""The report page in a real browser under the site's Content-Security-Policy: every chart (an SVG
in a data: URL) is drawn, with its text alternative, and the policy refuses nothing."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from plan_registry.models import Indicator
from tests.factories import PASSWORD
from tests.plan_registry.conftest import InFiscalYear
from volunteer.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_charts_are_drawn_under_the_policy(
    page: Page,
    live_server: Any,
    planner: User,
    report_plan: tuple[Indicator, Indicator],
    in_fiscal_year: InFiscalYear,
) -> None:
    in_fiscal_year(2028)  # the live server runs in this process: it reads the same clock
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/staff/login/?next=/staff/plan/report/%3Ffiscal_year%3D2027")
    page.fill("input[name=username]", planner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")

    charts = page.locator("section.indicator img")
    expect(charts).to_have_count(2)
    for chart in charts.all():
        assert chart.evaluate("image => image.complete && image.naturalWidth > 300") is True
        assert (chart.get_attribute("alt") or "").endswith(("750人", "15%"))
    assert refusals == []
