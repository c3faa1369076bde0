"""The disaster volunteer centre's staff pages in a real browser: a code typed by the door's
scanner (ending in Enter) receives the volunteer; one without insurance is offered the desk's
insurance and, under the special measure, received at once; a phone call typed with a mistake
keeps what was typed; teams are formed and reported on by clicking; every page fits a laptop, a
tablet and a phone without scrolling sideways, and axe-core finds nothing serious or critical."""

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from disaster import services
from disaster.models import CentreReception, Disaster, DisasterNeed, Team, VolunteerCentre
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.axe import axe_source
from tests.disaster.test_staff_pages_browser import WIDTHS, problems_at_each_width, sign_in
from tests.factories import ActivityCategoryFactory, QualificationFactory, UserFactory
from volunteer.models import QualificationType, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def volunteer(
    centre: VolunteerCentre, district: Area, name: str, insurance: QualificationType | None
) -> User:
    person = UserFactory(school_district=district, display_name=name)
    services.centre_register(
        centre=centre,
        person=person,
        registration=services.RegistrationInput(
            skill_codes=(), licence_codes=(), vehicle="none", home_prefecture=43, days=(timezone.localdate(),)
        ),
    )
    if insurance is not None:
        obtained = timezone.localdate() - dt.timedelta(days=5)
        QualificationFactory(user=person, qualification_type=insurance, obtained_on=obtained, expires_on=None)
    return person


def scan_at_the_door(page: Page, person: User) -> None:
    """What a hand-held scanner does: types the code into the focused field and presses Enter."""
    field = page.get_by_role("textbox", name="アプリのコード")
    expect(field).to_be_focused()
    field.fill(checkin_resident_token(person=person))
    field.press("Enter")


def test_the_door_receives_by_scanner_and_records_insurance_taken_at_the_desk(
    page: Page,
    live_server: Any,
    centre_staff: User,
    centre: VolunteerCentre,
    disaster: Disaster,
    school_district: Area,
    disaster_insurance: QualificationType,
) -> None:
    Disaster.objects.filter(pk=disaster.pk).update(insurance_special_measure=True)
    insured = volunteer(centre, school_district, "菊池 一郎", disaster_insurance)
    uninsured = volunteer(centre, school_district, "宇土 二葉", None)
    sign_in(page, live_server, centre_staff)
    page.goto(f"{live_server.url}{reverse('staff-centre-list-page')}")
    page.get_by_role("link", name=re.compile(rf"^受付\s*（{centre.name}）$")).click()

    scan_at_the_door(page, insured)
    expect(page.locator(".messagelist")).to_contain_text("菊池 一郎 さんを受付しました")
    expect(page.locator("section[aria-labelledby=received]")).to_contain_text("菊池 一郎")

    scan_at_the_door(page, uninsured)
    expect(
        page.get_by_role(
            "heading", name="宇土 二葉 さん: ボランティア活動保険（天災タイプ）が有効ではありません"
        )
    ).to_be_visible()
    assert CentreReception.objects.count() == 1
    page.get_by_role("button", name="窓口での保険加入を記録する（受付も行う）").click()

    expect(page.locator(".messagelist")).to_contain_text("宇土 二葉 さんを受付しました")
    assert CentreReception.objects.filter(person=uninsured).count() == 1
    expect(
        page.get_by_role("textbox", name="アプリのコード")
    ).to_be_focused()  # ready for the next in the queue


def test_a_phone_call_typed_with_a_mistake_keeps_what_was_typed(
    page: Page, live_server: Any, centre_staff: User, centre: VolunteerCentre, school_district: Area
) -> None:
    sign_in(page, live_server, centre_staff)
    page.goto(f"{live_server.url}{reverse('staff-centre-needs-page', args=[centre.pk])}")
    page.get_by_label("作業の種類").select_option(label="家財搬出")
    page.get_by_label("校区").select_option(label=school_district.name)
    page.get_by_label("住所（必須）").fill("桜台4-5-6")
    page.get_by_label("必要な人数").fill("4")
    page.get_by_label("依頼者の氏名（必須）").fill("玉名 スミ")
    page.get_by_label("折り返しの電話番号（必須）").fill("わからない")
    page.get_by_role("button", name="依頼を受け付ける").click()

    expect(page.locator(".messagelist")).to_contain_text("連絡先の電話番号")
    expect(page.get_by_label("住所（必須）")).to_have_value("桜台4-5-6")
    expect(page.get_by_label("依頼者の氏名（必須）")).to_have_value("玉名 スミ")
    assert not DisasterNeed.objects.exists()

    page.get_by_label("折り返しの電話番号（必須）").fill("096-111-2222")
    page.get_by_role("button", name="依頼を受け付ける").click()
    expect(page.locator(".messagelist")).to_contain_text("を受け付けました")
    need = DisasterNeed.objects.get()
    assert (need.work_type, need.helpers_needed, need.contact_phone) == (
        "furniture_removal",
        4,
        "096-111-2222",
    )

    row = page.locator(f"tr[data-need='{need.pk}']")
    row.get_by_label("受け入れ").check()
    row.get_by_label("緊急度").select_option("1")
    row.get_by_label("理由（必須）").fill("独居の高齢者")
    row.get_by_role("button", name="判断を記録する").click()
    expect(page.locator(".messagelist")).to_contain_text(f"依頼 #{need.pk}: ")
    need.refresh_from_db()
    assert (need.status, need.urgency) == (DisasterNeed.Status.ACCEPTED, 1)


@pytest.fixture
def day_at_the_centre(
    centre: VolunteerCentre,
    centre_staff: User,
    school_district: Area,
    disaster_insurance: QualificationType,
) -> DisasterNeed:
    """Three volunteers received, a resident's need accepted."""
    ActivityCategoryFactory(code="disaster")
    VolunteerCentre.objects.filter(pk=centre.pk).update(daily_quota=10)
    for i in range(3):
        person = volunteer(centre, school_district, f"合志 {i}", disaster_insurance)
        services.centre_receive(
            centre=centre,
            staff=centre_staff,
            scan=services.VolunteerScan(
                reception_id=uuid.uuid4(),
                scanned_at=timezone.now(),
                code=checkin_resident_token(person=person),
            ),
        )
    need = services.need_post(
        centre=centre,
        need=services.NeedInput(
            work_type="mud_removal",
            school_district_code=school_district.code,
            address="桜台7-8",
            helpers_needed=3,
        ),
        requester=UserFactory(school_district=school_district),
    )
    return services.need_triage(need=need, staff=centre_staff, accept=True, urgency=1, reason="床上浸水")


def test_teams_are_formed_and_reported_by_clicking(
    page: Page, live_server: Any, centre_staff: User, centre: VolunteerCentre, day_at_the_centre: DisasterNeed
) -> None:
    sign_in(page, live_server, centre_staff)
    page.goto(f"{live_server.url}{reverse('staff-centre-teams-page', args=[centre.pk])}")
    page.get_by_role("button", name="班を編成して派遣する").click()

    expect(page.locator(".messagelist")).to_contain_text("1班（3人）を編成して派遣しました")
    team = Team.objects.get()
    card = page.locator(f"article[data-team='{team.pk}']")
    expect(card).to_contain_text("（リーダー）")
    expect(card.get_by_role("link", name="活動指示書（PDF） 1班")).to_have_attribute(
        "href", reverse("staff-team-work-order-page", args=[team.pk])
    )
    card.get_by_label("作業完了").check()
    card.get_by_role("button", name="報告を記録する（出席を確認）").click()

    expect(page.locator(".messagelist")).to_contain_text("1班の報告を記録しました")
    assert DisasterNeed.objects.get().status == DisasterNeed.Status.DONE


def test_each_centre_page_fits_every_width_and_passes_axe(
    page: Page,
    live_server: Any,
    disaster_office: User,
    centre: VolunteerCentre,
    centre_staff: User,
    day_at_the_centre: DisasterNeed,
    tmp_path: Path,
) -> None:
    axe = axe_source()
    services.teams_form(centre=centre, staff=centre_staff)
    sign_in(page, live_server, disaster_office)  # the headquarters: the list shows the opening form too
    urls = [
        reverse("staff-centre-list-page"),
        reverse("staff-centre-day-page", args=[centre.pk]),
        reverse("staff-centre-door-page", args=[centre.pk]),
        reverse("staff-centre-needs-page", args=[centre.pk]),
        reverse("staff-centre-teams-page", args=[centre.pk]),
    ]

    problems = []
    for url in urls:
        problems += problems_at_each_width(page, live_server.url, url, tmp_path, axe)

    assert problems == [], "\n".join(problems)
    assert len(list(tmp_path.glob("*.png"))) == len(WIDTHS) * len(urls)
