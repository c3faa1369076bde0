"""The staff site per role, in a real browser (Playwright driving Debian's chromium, Japanese
locale): each role's menu holds exactly its pages, every other role's page answers the Japanese
refusal with a way back, each page fits 1280 px, a 768 px tablet and a 390 px phone without
scrolling sideways (measured, with a screenshot of each), and axe-core finds nothing serious or
critical on any of them, nor on the public pages."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from config.staff_menu import STAFF_PAGES
from events.models import Activity, CheckIn, Participation
from events.services import checkin_manual
from matching.models import Need
from plan_registry.models import Area
from tests.axe import axe_source, severe_violations
from tests.factories import (
    PASSWORD,
    ConversionRequestFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    ParticipationFactory,
    RedemptionFactory,
    UserFactory,
)
from volunteer.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENUS = {
    "coordinator": [
        "マッチング確認キュー",
        "地域デビュー",
        "ポイント交換の承認",
        "介護支援ポイントへの移行",
        "イベントと受付",
    ],
    "organiser": ["イベントと受付"],
    "planner": ["成果指標の進捗", "指標の値の入力と集計"],
}
WIDTHS = (1280, 768, 390)  # a laptop, a tablet, a phone


@pytest.fixture
def world(
    coordinator: User,
    organiser: User,
    planner: User,
    running_activity: Activity,
    resident: User,
    other_resident: User,
    school_district: Area,
) -> dict[str, Any]:
    for title in ("サロンの手伝い", "通学の付き添い"):
        volunteer = UserFactory(display_name=f"{title}の協力者", school_district=school_district)
        MatchFactory(
            need=NeedFactory(title=title, school_district=school_district),
            offer=OfferFactory(person=volunteer, school_district=school_district),
            reason="同じ校区",
        )
    arrived = ParticipationFactory(activity=running_activity, person=resident)
    ParticipationFactory(activity=running_activity, person=other_resident)
    checkin_manual(
        activity=running_activity, person=resident, staff=organiser, direction="in", reason="紙の出席簿"
    )
    RedemptionFactory(person=resident)
    ConversionRequestFactory(
        person=UserFactory(school_district=school_district, birth_date=dt.date(1950, 1, 1))
    )
    return {
        "coordinator": coordinator,
        "organiser": organiser,
        "planner": planner,
        "event": running_activity,
        "arrived": arrived,
    }


def sign_in(page: Page, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/staff/login/?next=/staff/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def own_pages(role: str, event: Activity) -> list[str]:
    pages = ["/staff/"] + [reverse(p.url_name) for p in STAFF_PAGES if p.title in MENUS[role]]
    if role != "planner":
        pages += [f"/staff/events/{event.pk}/participants/", f"/staff/events/{event.pk}/checkin/"]
    if role == "coordinator":  # the staff site's own pages for a record, as the queue links them
        need = Need.objects.order_by("pk").first()
        assert need is not None
        pages += [
            "/staff/matching/need/",
            f"/staff/matching/need/{need.pk}/change/",
            "/staff/volunteer/user/",
        ]
    return pages


def fits_and_passes_axe(page: Page, server: str, url: str, shots: Path, axe: str) -> list[str]:
    """Problems found on one page at every width (none expected)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        answer = page.goto(f"{server}{url}")
        assert answer is not None
        if answer.status != 200:
            problems.append(f"{url}: status {answer.status}")
            continue
        page.wait_for_load_state("networkidle")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{url} at {width}px scrolls sideways ({scroll}px)")
        name = url.strip("/").replace("/", "_") or "root"
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
        problems += [f"{url} at {width}px: {violation}" for violation in severe_violations(page, axe)]
    return problems


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_sees_its_menu_its_pages_fit_and_others_are_refused_in_japanese(
    page: Page, live_server: Any, world: dict[str, Any], role: str, tmp_path: Path
) -> None:
    axe = axe_source()
    sign_in(page, live_server, world[role])

    expect(page.locator("nav.staff-menu a")).to_have_text(MENUS[role])
    expect(page.locator(".staff-tasks th a")).to_have_text(MENUS[role])
    problems = []
    for url in own_pages(role, world["event"]):
        problems += fits_and_passes_axe(page, live_server.url, url, tmp_path, axe)
    for staff_page in STAFF_PAGES:
        if staff_page.title in MENUS[role]:
            continue
        answer = page.goto(f"{live_server.url}{reverse(staff_page.url_name)}")
        assert answer is not None
        assert answer.status == 403, staff_page.url_name
        expect(page.locator("h1")).to_have_text("このページは開けません")
        expect(page.get_by_role("link", name="業務メニューに戻る")).to_have_attribute("href", "/staff/")
        problems += [f"refusal: {violation}" for violation in severe_violations(page, axe)]

    assert problems == [], "\n".join(problems)
    assert len(list(tmp_path.glob("*.png"))) == len(WIDTHS) * len(own_pages(role, world["event"]))


def test_the_kiosk_takes_a_hand_entry_and_counts_arrivals_by_itself(
    page: Page, live_server: Any, world: dict[str, Any], settings: Any
) -> None:
    settings.CHECKIN_CODE_PERIOD = 10  # the screen asks every 5 seconds
    event, organiser = world["event"], world["organiser"]
    other = Participation.objects.get(activity=event, person__email="other@example.com")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet at the door
    sign_in(page, live_server, organiser)
    page.goto(f"{live_server.url}/staff/events/{event.pk}/checkin/")
    expect(page.locator("[data-field=arrivals]")).to_have_text("1")
    assert page.locator("#nav-sidebar, nav.staff-menu, #user-tools").count() == 0
    first_code = page.locator("#checkin-code").get_attribute("data-token")

    page.get_by_text("職員による手入力").click()
    assert "佐藤" not in page.content()  # the screen at the door lists nobody
    page.fill("input[name=who]", "佐藤あゆみ")
    page.fill("input[name=reason]", "スマートフォンを持っていない")
    page.get_by_role("button", name="記録する").click()
    expect(page.locator(".messages")).to_contain_text("佐藤 あゆみさんの受付しました。")
    expect(page.locator("[data-field=arrivals]")).to_have_text("2")

    # Someone scans in elsewhere: the count and, once its period turns, the code follow by themselves.
    third = ParticipationFactory(activity=event, person=UserFactory(display_name="三人目"))
    checkin_manual(activity=event, person=third.person, staff=organiser, direction="in", reason="名簿")
    expect(page.locator("[data-field=arrivals]")).to_have_text("3", timeout=20_000)
    expect(page.locator("#checkin-code")).not_to_have_attribute(
        "data-token", first_code or "", timeout=25_000
    )
    assert CheckIn.objects.get(person=other.person).reason == "スマートフォンを持っていない"


def test_an_organiser_verifies_attendance_in_bulk_and_exports_the_list(
    page: Page, live_server: Any, world: dict[str, Any]
) -> None:
    event, arrived = world["event"], world["arrived"]
    sign_in(page, live_server, world["organiser"])
    page.goto(f"{live_server.url}/staff/events/")
    row = page.locator(f"tr[data-event='{event.pk}']")
    expect(row.locator(".registered")).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSVで書き出す").click()
    assert Path(download.value.path()).read_bytes().startswith("\ufeff開始,".encode())

    row.get_by_role("link", name=event.title).click()
    page.locator(f"#participation-{arrived.pk}").check()
    page.get_by_role("button", name="選んだ参加者の出席をまとめて確認").click()
    expect(page.locator(".messagelist")).to_contain_text("1人の出席を確認しました。")
    arrived.refresh_from_db()
    assert arrived.verified_by == world["organiser"]


def test_the_public_pages_pass_axe(page: Page, live_server: Any, db: None) -> None:
    axe = axe_source()
    problems = []
    for url in ("/", "/staff/login/", "/verify/KV2025-XXXX-XXXX/"):
        page.goto(f"{live_server.url}{url}")
        problems += [f"{url}: {violation}" for violation in severe_violations(page, axe)]
    assert problems == [], "\n".join(problems)
