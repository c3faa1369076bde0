"""Disaster mode's staff pages in a real browser (Playwright driving Debian's chromium, Japanese
locale): the headcounts follow a reception made elsewhere by themselves and say when they could not
ask; a shelter's entry form and 退所 button work; every page fits a laptop, a tablet and a phone
without scrolling sideways, and axe-core finds nothing serious or critical on any of them."""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from disaster import services
from disaster import views as disaster_views
from disaster.models import Disaster, Shelter, ShelterStay, SupportRegisterRead
from plan_registry.models import Area
from tests.axe import axe_source, severe_violations
from tests.factories import (
    PASSWORD,
    ConsentFactory,
    DisasterDecisionFactory,
    EvacuationSupportFactory,
    ShelterFactory,
    UserFactory,
)
from volunteer.models import Consent, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 768, 390)  # a laptop, a tablet, a phone


def sign_in(page: Page, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/staff/login/?next=/staff/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/staff/")  # signed in, not the sign-in form again


def receive(shelter: Shelter, staff: User, *people: tuple[str, str], stay_type: str = "car") -> ShelterStay:
    stay, _ = services.shelter_receive(
        shelter=shelter,
        staff=staff,
        reception=services.Reception(
            reception_id=uuid.uuid4(),
            scanned_at=timezone.now(),
            stay_type=stay_type,
            people=tuple(services.MemberInput(name=name, age_group=age) for name, age in people),
        ),
    )
    return stay


def test_the_headcounts_follow_a_reception_by_themselves_and_say_when_they_cannot(
    page: Page,
    live_server: Any,
    disaster_office: User,
    shelter: Shelter,
    school_district: Area,
    disaster: Disaster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(disaster_views, "REFRESH_SECONDS", 2)  # the live server runs in this process
    sign_in(page, live_server, disaster_office)
    page.goto(f"{live_server.url}{reverse('staff-shelter-headcounts-page')}")
    row = page.locator(f"tr[data-shelter='{shelter.pk}']")
    expect(page.locator("[data-city=people]")).to_have_text("0")
    expect(row.locator("[data-field=people]")).to_have_text("0")
    expect(page.locator("#headcounts-stale")).to_be_hidden()
    first_update = page.locator("[data-field=updated]").inner_text()
    assert re.fullmatch(r"\d\d:\d\d:\d\d", first_update)

    # A family is received at the shelter while the page is open: the page follows by itself.
    receive(shelter, disaster_office, ("熊本 一郎", "adult"), ("熊本 花", "infant"))
    expect(page.locator("[data-city=people]")).to_have_text("2", timeout=15_000)
    expect(row.locator("[data-field=people]")).to_have_text("2")
    expect(row.locator("[data-field=households]")).to_have_text("1")
    expect(row.locator("[data-field=car]")).to_have_text("2")
    expect(page.locator("[data-city=car]")).to_have_text("2")
    expect(page.locator("[data-field=updated]")).not_to_have_text(first_update)

    # The status view cannot be reached: the numbers stay and a warning says so, until it can again.
    status_url = f"{live_server.url}{reverse('staff-shelter-headcounts-status')}"
    page.route(status_url, lambda route: route.abort())
    expect(page.locator("#headcounts-stale")).to_be_visible(timeout=15_000)
    expect(page.locator("#headcounts-stale")).to_contain_text("最新の人数を取得できませんでした")
    expect(row.locator("[data-field=people]")).to_have_text("2")
    page.unroute(status_url)
    expect(page.locator("#headcounts-stale")).to_be_hidden(timeout=15_000)

    # A shelter opened meanwhile gets its own row.
    opened = ShelterFactory(
        name="桜台中学校", school_district=school_district, status=Shelter.Status.OPEN, disaster=disaster
    )
    receive(opened, disaster_office, ("阿蘇 二郎", "elder"))
    new_row = page.locator(f"tr[data-shelter='{opened.pk}']")
    expect(new_row.locator("[data-field=people]")).to_have_text("1", timeout=15_000)
    expect(new_row.get_by_role("link", name="桜台中学校")).to_have_attribute(
        "href", reverse("staff-shelter-roster-page", args=[opened.pk])
    )
    expect(page.locator("[data-city=people]")).to_have_text("3")


def test_shelter_staff_enter_a_family_and_record_its_departure(
    page: Page, live_server: Any, shelter_staff: User, shelter: Shelter
) -> None:
    sign_in(page, live_server, shelter_staff)
    page.goto(f"{live_server.url}{reverse('staff-shelter-headcounts-page')}")
    page.get_by_role("link", name=shelter.name).click()
    expect(page.locator("h1")).to_have_text(f"避難所の受付 {shelter.name}")

    page.get_by_label("氏名（1人目）").fill("水俣 みどり")
    page.get_by_label("年齢区分（1人目）").select_option(label="75歳以上")
    page.get_by_label("氏名（2人目）").fill("水俣 そら")
    page.get_by_label("年齢区分（2人目）").select_option(label="未就学児")
    page.get_by_label("車中泊").check()
    page.get_by_role("button", name="受付する").click()

    expect(page.locator(".messagelist")).to_contain_text("2人を受付しました。")
    stay = ShelterStay.objects.get()
    assert (stay.stay_type, stay.received_by_id) == ("car", shelter_staff.pk)
    row = page.locator(f"tr[data-stay='{stay.reception_id}']")
    expect(row).to_contain_text("水俣 みどり（75歳以上）")
    expect(row).to_contain_text("水俣 そら（未就学児）")
    expect(page.get_by_label("氏名（1人目）")).to_have_value("")  # a fresh form for the next family

    # A mistake is shown with what to correct, the typed names kept.
    page.get_by_label("氏名（1人目）").fill("山鹿 太郎")
    page.get_by_role("button", name="受付する").click()
    expect(page.locator(".messagelist")).to_contain_text("1人目: 年齢区分を選んでください。")
    expect(page.get_by_label("氏名（1人目）")).to_have_value("山鹿 太郎")
    assert ShelterStay.objects.count() == 1

    row.get_by_role("button", name=re.compile("^退所")).click()
    expect(page.locator(".messagelist")).to_contain_text("退所を記録しました（2人）。")
    expect(page.locator(f"tr[data-stay='{stay.reception_id}']")).to_have_count(0)
    stay.refresh_from_db()
    assert stay.left_at is not None
    assert stay.left_recorded_by == shelter_staff


def problems_at_each_width(page: Page, server: str, url: str, shots: Path, axe: str) -> list[str]:
    """Problems found on one page at every width (none expected)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        answer = page.goto(f"{server}{url}")
        assert answer is not None
        if answer.status != 200 or not page.url.endswith(url):
            problems.append(f"{url}: status {answer.status} at {page.url}")
            continue
        page.wait_for_load_state("networkidle")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{url} at {width}px scrolls sideways ({scroll}px)")
        name = url.strip("/").replace("/", "_") or "root"
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
        problems += [f"{url} at {width}px: {violation}" for violation in severe_violations(page, axe)]
    return problems


@pytest.mark.parametrize("role", ["disaster_office", "shelter_staff"])
def test_each_page_fits_every_width_and_passes_axe(
    page: Page,
    live_server: Any,
    request: pytest.FixtureRequest,
    role: str,
    disaster: Disaster,
    shelter: Shelter,
    other_shelter: Shelter,
    tmp_path: Path,
) -> None:
    axe = axe_source()
    staff: User = request.getfixturevalue(role)
    DisasterDecisionFactory(disaster=disaster, reason="大雨特別警報の発表（気象台）により災害対策本部を設置")
    receive(
        shelter,
        staff,
        ("熊本 一郎", "adult"),
        ("熊本 花", "infant"),
        ("熊本 トメ", "elder"),
        stay_type="shelter",
    )
    receive(shelter, staff, ("阿蘇 二郎", "child"), stay_type="home")
    receive(other_shelter, staff, ("天草 四郎", "adult"))
    sign_in(page, live_server, staff)
    urls = [
        reverse("staff-shelter-headcounts-page"),
        reverse("staff-shelter-roster-page", args=[shelter.pk]),
    ]
    if role == "disaster_office":
        urls.insert(0, reverse("staff-disaster-list-page"))
        urls += ["/staff/disaster/shelter/", "/staff/disaster/shelter/add/", "/staff/disaster/disaster/"]

    problems = []
    for url in urls:
        problems += problems_at_each_width(page, live_server.url, url, tmp_path, axe)

    assert problems == [], "\n".join(problems)
    assert len(list(tmp_path.glob("*.png"))) == len(WIDTHS) * len(urls)


def test_a_welfare_commissioner_reads_the_register_with_a_reason_at_every_width(
    page: Page, live_server: Any, commissioner: User, school_district: Area
) -> None:
    person = UserFactory(display_name="見守り 花子", school_district=school_district)
    EvacuationSupportFactory(person=person, needs=["wheelchair", "lives_alone"], note="2階で寝ている")
    ConsentFactory(user=person, document=Consent.Document.SUPPORT_REGISTER, version="2026-04")
    axe = axe_source()
    sign_in(page, live_server, commissioner)
    page.get_by_role("link", name="避難行動要支援者名簿").first.click()
    expect(page.locator("table")).to_have_count(0)  # nobody shown without a reason

    page.get_by_label("閲覧の理由（必須）").fill("見守り訪問の準備")
    page.get_by_role("button", name="名簿を表示する").click()

    expect(page.locator("section[aria-labelledby=entries]")).to_contain_text("見守り 花子")
    expect(page.locator("section[aria-labelledby=entries]")).to_contain_text("車いすを使用")
    assert SupportRegisterRead.objects.get().reason == "見守り訪問の準備"
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"the register at {width}px scrolls sideways ({scroll}px)")
        problems += [f"the register at {width}px: {violation}" for violation in severe_violations(page, axe)]
    assert problems == [], "\n".join(problems)
