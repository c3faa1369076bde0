"""The coordinator's queue page in a real browser (Playwright driving Debian's chromium)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matching.models import Match, MatchDecision
from plan_registry.models import Area
from tests.factories import PASSWORD, MatchFactory, NeedFactory, OfferFactory, UserFactory
from volunteer.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(coordinator: User, school_district: Area, other_school_district: Area) -> dict[str, Match]:
    def proposal(title: str, district: Area, reason: str) -> Match:
        volunteer = UserFactory(display_name=f"{title}の協力者")
        return MatchFactory(
            need=NeedFactory(title=title, school_district=district),
            offer=OfferFactory(person=volunteer, school_district=district),
            reason=reason,
        )

    return {
        "salon": proposal("サロンの手伝い", school_district, "同じ校区・火曜午前が空いている・初参加"),
        "walk": proposal("通学の付き添い", school_district, "隣の校区・水曜午後が空いている"),
        "elsewhere": proposal("北区の見守り", other_school_district, "同じ校区"),
    }


def sign_in(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/staff/login/?next=/staff/queue/")
    page.fill("input[name=username]", "coordinator@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("h1")).to_have_text("マッチング確認キュー")


def test_the_coordinator_confirms_and_rejects_in_the_browser(
    page: Page, live_server: Any, coordinator: User, queue: dict[str, Match]
) -> None:
    sign_in(page, live_server)
    salon_row = page.locator(f"tr[data-match='{queue['salon'].pk}']")
    expect(salon_row.locator(".reason")).to_have_text("同じ校区・火曜午前が空いている・初参加")
    expect(page.locator(f"tr[data-match='{queue['elsewhere'].pk}']")).to_have_count(0)

    salon_row.get_by_role("button", name="確定").click()
    expect(page.locator(".messagelist")).to_contain_text("確定しました")
    expect(page.locator(f"tr[data-match='{queue['salon'].pk}']")).to_have_count(0)

    walk_row = page.locator(f"tr[data-match='{queue['walk'].pk}']")
    walk_row.get_by_role("button", name="見送る").click()
    expect(page.locator(".messagelist")).to_contain_text("理由")
    page.locator(f"tr[data-match='{queue['walk'].pk}'] input[name=reason]").fill("研修修了者が必要")
    page.locator(f"tr[data-match='{queue['walk'].pk}']").get_by_role("button", name="見送る").click()
    expect(page.locator(".messagelist")).to_contain_text("見送りました")

    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses == {
        queue["salon"].pk: "confirmed",
        queue["walk"].pk: "rejected",
        queue["elsewhere"].pk: "proposed",
    }
    decisions = list(
        MatchDecision.objects.order_by("pk").values_list("match_id", "action", "actor__email", "reason")
    )
    assert decisions == [
        (queue["salon"].pk, "confirm", "coordinator@example.com", ""),
        (queue["walk"].pk, "reject", "coordinator@example.com", "研修修了者が必要"),
    ]


def test_filters_narrow_the_queue(
    page: Page, live_server: Any, coordinator: User, queue: dict[str, Match]
) -> None:
    sign_in(page, live_server)
    page.select_option("select[name=status]", "")
    page.click("text=絞り込む")
    expect(page.locator("table.queue tbody tr")).to_have_count(2)
    page.fill("input[name=older_than_hours]", "5")
    page.click("text=絞り込む")
    expect(page.locator("table.queue tbody")).to_contain_text("該当する提案はありません。")


def test_a_resident_cannot_open_the_queue(page: Page, live_server: Any, resident: User) -> None:
    resident.is_staff = True  # even a staff flag is not a coordinator role
    resident.save()
    page.goto(f"{live_server.url}/staff/login/?next=/staff/queue/")
    page.fill("input[name=username]", "resident@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    assert "マッチング確認キュー" not in page.content()


def test_on_a_phone_the_coordinator_searches_and_confirms_the_ticked_ones_together(
    page: Page, live_server: Any, coordinator: User, queue: dict[str, Match]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server)
    page.fill("input[name=search]", "通学")
    page.click("text=絞り込む")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    walk = page.locator(f"tr[data-match='{queue['walk'].pk}']")
    expect(walk.get_by_role("link", name="通学の付き添い", exact=True)).to_have_attribute(
        "href", f"/staff/matching/need/{queue['walk'].need_id}/change/"
    )
    for control in (walk.get_by_role("button", name="見送る"), walk.locator("input[name=reason]")):
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390  # within the phone's width, not cut off

    page.fill("input[name=search]", "")
    page.click("text=絞り込む")
    for name in ("salon", "walk"):
        page.locator(f"tr[data-match='{queue[name].pk}'] input[name=match]").check()
    page.get_by_role("button", name="選んだ提案をまとめて確定").click()
    expect(page.locator(".messagelist")).to_contain_text("2件の提案を確定しました。")

    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses[queue["salon"].pk] == statuses[queue["walk"].pk] == Match.Status.CONFIRMED
    assert statuses[queue["elsewhere"].pk] == Match.Status.PROPOSED
