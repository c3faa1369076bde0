"""The coordinators' approval pages: redemptions (ポイント交換の承認) and conversions to the care
scheme (介護支援ポイントへの移行), each with its CSV, through the same selectors and services as the
staff API."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from playwright.sync_api import Page, expect

from plan_registry.models import Area
from points import services, staff_views
from points.models import Account, ConversionRequest, Entry, Redemption, Scheme
from tests.factories import (
    PASSWORD,
    ConversionRequestFactory,
    RedemptionFactory,
    RewardFactory,
    UserFactory,
    VerifiedIdentityFactory,
)
from tests.points.conftest import Verified
from volunteer.models import Organisation, User, VerifiedIdentity

pytestmark = pytest.mark.django_db

PAGE = "/staff/points/redemptions/"
CONVERSIONS = "/staff/points/conversions/"
REDEMPTION_HEADER = ["番号", "申請日時", "利用者番号", "利用者", "校区", "本人確認済みの氏名",
                     "特典", "制度", "ポイント", "状態", "決定日時", "理由"]  # fmt: skip
VERIFIED_NAME = "田中 まさる"  # as the My Number card has it; the display name is 田中 勝


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def ledger() -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Everything a decision could change: balances, entries, and the requests' states."""
    return (
        list(Account.objects.order_by("pk").values("pk", "balance")),
        list(Entry.objects.order_by("pk").values()),
        list(Redemption.objects.order_by("pk").values("pk", "status", "decided_by", "reason")),
        list(ConversionRequest.objects.order_by("pk").values("pk", "status", "decided_by", "reason")),
    )


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def held(resident: User, kumamoto: Scheme, verified: Verified) -> Redemption:
    """100 points earned, all held for a bus ticket, to be handed over to the verified name."""
    VerifiedIdentity.objects.filter(person=resident).update(name=VERIFIED_NAME)
    verified(resident, minutes=60)
    reward = RewardFactory(scheme=kumamoto, cost=100, name="市電・バス回数券")
    return services.redemption_hold(person=resident, reward=reward)


@pytest.fixture
def elsewhere(other_school_district: Area, kumamoto: Scheme) -> Redemption:
    """A 北区 resident's redemption: not for a 中央区 coordinator."""
    person = UserFactory(display_name="北区の人", school_district=other_school_district)
    return RedemptionFactory(person=person, reward=RewardFactory(scheme=kumamoto, name="北区の図書カード"))


# --- the redemption page ------------------------------------------------------------------


def test_the_list_shows_the_count_and_the_verified_name(
    coordinator: User, held: Redemption, elsewhere: Redemption, other_resident: User, kumamoto: Scheme
) -> None:
    unverified = RedemptionFactory(
        person=other_resident, reward=RewardFactory(scheme=kumamoto, name="図書カード")
    )
    RedemptionFactory(person=other_resident, status=Redemption.Status.APPROVED)  # decided: not by default

    response = signed_in(coordinator).get(PAGE)

    html = response.content.decode()
    rows = {row.item.pk: row for row in response.context["rows"]}
    assert response.status_code == 200
    assert '<p class="count">2件' in html
    assert set(rows) == {held.pk, unverified.pk}
    assert (rows[held.pk].verified_name, rows[held.pk].verified) == (VERIFIED_NAME, True)
    assert (rows[unverified.pk].verified_name, rows[unverified.pk].verified) == ("本人確認なし", False)
    assert f'<span class="verified-name">{VERIFIED_NAME}</span>' in html
    assert '<span class="not-verified">本人確認なし</span>' in html
    assert "北区の図書カード" not in html
    assert f'action="{PAGE}{held.pk}/approve/"' in html  # the page's route, not the API's of the same name
    assert f'action="{PAGE}{held.pk}/void/"' in html


def test_the_verified_name_comes_from_the_identity_when_the_request_kept_none(
    coordinator: User, other_resident: User, kumamoto: Scheme
) -> None:
    """A request that kept no recipient's name (a donation, or one from before names were kept):
    the person's identity, verified and not expired, still shows."""
    VerifiedIdentityFactory(person=other_resident, name="佐藤 歩")
    RedemptionFactory(person=other_resident, reward=RewardFactory(scheme=kumamoto), recipient_name="")

    response = signed_in(coordinator).get(PAGE)

    assert [row.verified_name for row in response.context["rows"]] == ["佐藤 歩"]
    VerifiedIdentity.objects.filter(person=other_resident).update(expires_at=timezone.now())
    expired = signed_in(coordinator).get(PAGE)
    assert [row.verified_name for row in expired.context["rows"]] == ["本人確認なし"]


def test_filters_search_and_paging_keep_each_other(
    coordinator: User, resident: User, kumamoto: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    for name in ("バス回数券", "市電回数券", "プール回数券", "図書カード"):
        RedemptionFactory(person=resident, reward=RewardFactory(scheme=kumamoto, name=name))
    client = signed_in(coordinator)

    first = client.get(PAGE, {"search": "回数券", "ordering": "created_at"})
    second = client.get(PAGE, {"status": "held", "search": "回数券", "ordering": "created_at", "page": 2})
    everything = client.get(PAGE, {"status": ""})

    assert first.context["page"].paginator.count == 3
    assert (
        'href="?status=held&amp;search=%E5%9B%9E%E6%95%B0%E5%88%B8&amp;ordering=created_at&amp;page=2"'
        in (first.content.decode())
    )
    shown = [row.item.reward.name for page in (first, second) for row in page.context["rows"]]
    assert shown == ["バス回数券", "市電回数券", "プール回数券"]
    assert everything.context["page"].paginator.count == 4


def test_a_full_page_costs_the_queries_of_one_row(
    coordinator: User, resident: User, other_resident: User, kumamoto: Scheme
) -> None:
    client = signed_in(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    RedemptionFactory(person=resident, reward=RewardFactory(scheme=kumamoto))
    one = queries()
    for person in (resident, other_resident) * 5:
        RedemptionFactory(person=person, reward=RewardFactory(scheme=kumamoto))

    assert queries() == one


def test_approve_through_the_page_spends_the_held_points(
    coordinator: User, held: Redemption, resident: User, kumamoto: Scheme
) -> None:
    back = f"{PAGE}?status=held&search=%E5%9B%9E%E6%95%B0%E5%88%B8"
    client = signed_in(coordinator)

    response = client.post(f"{PAGE}{held.pk}/approve/", {"next": back})

    held.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, back)
    assert (held.status, held.decided_by, held.reason) == (Redemption.Status.APPROVED, coordinator, "")
    assert Account.objects.get(owner=resident, scheme=kumamoto).balance == 0
    assert Account.objects.get(scheme=kumamoto, kind="hold").balance == 0
    assert Account.objects.get(scheme=kumamoto, kind="redemption").balance == 100
    assert messages_of(client.get(back)) == [f"#{held.pk} 市電・バス回数券: 承認しました"]


def test_void_gives_the_points_back_with_the_reason(
    coordinator: User, held: Redemption, resident: User, kumamoto: Scheme
) -> None:
    response = signed_in(coordinator).post(f"{PAGE}{held.pk}/void/", {"reason": "在庫切れ"}, follow=True)

    held.refresh_from_db()
    assert response.redirect_chain == [(PAGE, 302)]
    assert (held.status, held.reason) == (Redemption.Status.VOIDED, "在庫切れ")
    assert Account.objects.get(owner=resident, scheme=kumamoto).balance == 100
    assert messages_of(response) == [
        f"#{held.pk} 市電・バス回数券: 取り消しました（ポイントは本人に戻りました）"
    ]


def test_void_without_a_reason_changes_nothing_and_says_so_once(coordinator: User, held: Redemption) -> None:
    before = ledger()

    response = signed_in(coordinator).post(f"{PAGE}{held.pk}/void/", {"reason": "  "}, follow=True)

    assert response.status_code == 200
    assert ledger() == before
    assert messages_of(response) == [f"#{held.pk}: 理由を入力してください。"]
    assert response.content.decode().count("理由を入力してください。") == 1


def test_a_decision_twice_is_refused_as_a_message_not_an_error(coordinator: User, held: Redemption) -> None:
    client = signed_in(coordinator)
    client.post(f"{PAGE}{held.pk}/approve/", follow=True)  # and its message read
    before = ledger()

    response = client.post(f"{PAGE}{held.pk}/void/", {"reason": "重複"}, follow=True)

    assert response.status_code == 200
    assert ledger() == before
    assert messages_of(response) == [f"#{held.pk}: すでに処理済みです。"]


def test_nobody_approves_their_own_redemption(
    coordinator: User, kumamoto: Scheme, school_district: Area
) -> None:
    User.objects.filter(pk=coordinator.pk).update(school_district=school_district)  # lives in her area
    own = RedemptionFactory(person=coordinator, reward=RewardFactory(scheme=kumamoto))
    before = ledger()

    response = signed_in(coordinator).post(f"{PAGE}{own.pk}/approve/", follow=True)

    assert ledger() == before
    assert messages_of(response) == [
        f"#{own.pk}: ご自身に関わる案件は判断できません。ほかの職員に依頼してください。"
    ]


def test_a_coordinator_of_another_area_neither_sees_nor_decides(
    coordinator_elsewhere: User, held: Redemption, elsewhere: Redemption
) -> None:
    client = signed_in(coordinator_elsewhere)
    before = ledger()

    listed = client.get(PAGE)
    exported = client.get(f"{PAGE}csv/")
    approve = client.post(f"{PAGE}{held.pk}/approve/")
    void = client.post(f"{PAGE}{held.pk}/void/", {"reason": "誤り"})

    assert [row.item.pk for row in listed.context["rows"]] == [elsewhere.pk]
    assert "市電・バス回数券" not in listed.content.decode()
    assert "市電・バス回数券" not in exported.content.decode("utf-8")
    assert (approve.status_code, void.status_code) == (404, 404)
    assert ledger() == before


def test_an_unknown_action_is_not_found(coordinator: User, held: Redemption) -> None:
    before = ledger()

    assert signed_in(coordinator).post(f"{PAGE}{held.pk}/spend/").status_code == 404
    assert ledger() == before


@pytest.mark.parametrize("persona", ["resident", "organiser"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", PAGE),
        ("get", f"{PAGE}csv/"),
        ("post", f"{PAGE}{{held}}/approve/"),
        ("post", f"{PAGE}{{held}}/void/"),
        ("get", CONVERSIONS),
        ("get", f"{CONVERSIONS}csv/"),
        ("post", f"{CONVERSIONS}{{conversion}}/approve/"),
    ],
)
def test_residents_and_organisers_get_the_refusal_page(
    request: pytest.FixtureRequest,
    held: Redemption,
    other_resident: User,
    persona: str,
    method: str,
    path: str,
) -> None:
    person = request.getfixturevalue(persona)
    User.objects.filter(pk=person.pk).update(is_staff=True)  # even a staff flag is not a coordinator role
    conversion = ConversionRequestFactory(person=other_resident)
    before = ledger()

    response = getattr(signed_in(person), method)(
        path.format(held=held.pk, conversion=conversion.pk), {"reason": "確認済み"}
    )

    assert response.status_code == 403
    assert "このページは開けません" in response.content.decode()
    assert ledger() == before


def test_signed_out_goes_to_sign_in(held: Redemption) -> None:
    before = ledger()

    page, decide = Client().get(PAGE), Client().post(f"{PAGE}{held.pk}/approve/")

    assert (page.status_code, decide.status_code) == (302, 302)
    assert ledger() == before


def test_decide_only_by_post(coordinator: User, held: Redemption) -> None:
    assert signed_in(coordinator).get(f"{PAGE}{held.pk}/approve/").status_code == 405
    assert Redemption.objects.get().status == Redemption.Status.HELD


# --- CSV --------------------------------------------------------------------------------------


def read_csv(response: Any) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_is_what_the_filter_shows_on_every_page(
    coordinator: User,
    held: Redemption,
    other_resident: User,
    kumamoto: Scheme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 1)
    User.objects.filter(pk=other_resident.pk).update(display_name='=HYPERLINK("http://evil.example/","x")')
    formula = RedemptionFactory(person=other_resident, reward=RewardFactory(scheme=kumamoto, name="-2+3"))
    RedemptionFactory(person=other_resident, status=Redemption.Status.VOIDED, reason="@SUM(A1)")
    client = signed_in(coordinator)

    held_only = client.get(f"{PAGE}csv/", {"status": "held", "ordering": "created_at"})
    everything = read_csv(client.get(f"{PAGE}csv/", {"status": ""}))

    rows = read_csv(held_only)
    assert held_only["Content-Type"] == "text/csv; charset=utf-8"
    assert held_only["Content-Disposition"].startswith('attachment; filename="redemptions-')
    assert rows[0] == REDEMPTION_HEADER
    assert [row[0] for row in rows[1:]] == [str(held.pk), str(formula.pk)]
    assert rows[1][3:10] == [
        "田中 勝",
        "桜台校区",
        VERIFIED_NAME,
        "市電・バス回数券",
        "くまもとポイント",
        "100",
        "承認待ち",
    ]
    assert rows[2][3] == '\'=HYPERLINK("http://evil.example/","x")'
    assert (rows[2][5], rows[2][6]) == ("本人確認なし", "'-2+3")
    assert len(everything) == 1 + 3
    assert "'@SUM(A1)" in [row[11] for row in everything]
    assert "resident@example.com" not in held_only.content.decode("utf-8")  # no more than the page shows


def test_the_page_links_its_csv_with_the_same_filter(coordinator: User, held: Redemption) -> None:
    html = signed_in(coordinator).get(PAGE, {"search": "回数券"}).content.decode()

    assert (
        'href="/staff/points/redemptions/csv/?status=held&amp;search=%E5%9B%9E%E6%95%B0%E5%88%B8&amp;ordering="'
        in (html)
    )


# --- the conversion page ------------------------------------------------------------------


@pytest.fixture
def requested(
    senior: User, care_host: Organisation, care_support: Scheme, verified: Verified, school_district: Area
) -> ConversionRequest:
    """16 stamps of FY2025 (¥1,000), asked for in February 2026 by a 中央区 senior."""
    User.objects.filter(pk=senior.pk).update(school_district=school_district)
    VerifiedIdentity.objects.filter(person=senior).update(name="熊本 花子（本人確認）")
    first = timezone.make_aware(dt.datetime(2025, 5, 1, 10, 0))
    for day in range(8):
        verified(senior, minutes=120, organisation=care_host, starts_at=first + dt.timedelta(days=day))
    return services.conversion_request(
        person=senior, scheme=care_support, fiscal_year=2025, today=dt.date(2026, 2, 10)
    )


def test_the_conversion_list_shows_the_request_and_the_verified_name(
    coordinator: User, requested: ConversionRequest
) -> None:
    response = signed_in(coordinator).get(CONVERSIONS)

    html = response.content.decode()
    assert '<p class="count">1件' in html
    assert '<span class="verified-name">熊本 花子（本人確認）</span>' in html
    assert "令和7年度（2025年度）" in html
    assert "1000円" in html
    assert f'action="{CONVERSIONS}{requested.pk}/approve/"' in html
    assert f'action="{CONVERSIONS}{requested.pk}/reject/"' in html


def test_approve_a_conversion_through_the_page(
    coordinator: User, requested: ConversionRequest, senior: User, care_support: Scheme
) -> None:
    response = signed_in(coordinator).post(f"{CONVERSIONS}{requested.pk}/approve/", follow=True)

    requested.refresh_from_db()
    assert requested.status == ConversionRequest.Status.APPROVED
    assert Account.objects.get(owner=senior, scheme=care_support).balance == 0
    assert Account.objects.get(scheme=care_support, kind="conversion").balance == 16
    assert messages_of(response) == [f"#{requested.pk} 令和7年度（2025年度）: 承認しました"]


def test_reject_without_a_reason_changes_nothing(coordinator: User, requested: ConversionRequest) -> None:
    before = ledger()

    response = signed_in(coordinator).post(f"{CONVERSIONS}{requested.pk}/reject/", follow=True)

    assert ledger() == before
    assert messages_of(response) == [f"#{requested.pk}: 理由を入力してください。"]
    assert response.content.decode().count("理由を入力してください。") == 1


def test_reject_with_a_reason_gives_the_stamps_back(
    coordinator: User, requested: ConversionRequest, senior: User, care_support: Scheme
) -> None:
    signed_in(coordinator).post(f"{CONVERSIONS}{requested.pk}/reject/", {"reason": "書類の不備"})

    requested.refresh_from_db()
    assert (requested.status, requested.reason) == (ConversionRequest.Status.REJECTED, "書類の不備")
    assert Account.objects.get(owner=senior, scheme=care_support).balance == 16


def test_a_conversion_of_another_area_is_not_found(
    coordinator_elsewhere: User, requested: ConversionRequest
) -> None:
    client = signed_in(coordinator_elsewhere)
    before = ledger()

    listed = client.get(CONVERSIONS)
    decided = client.post(f"{CONVERSIONS}{requested.pk}/approve/")

    assert listed.context["page"].paginator.count == 0
    assert decided.status_code == 404
    assert ledger() == before


def test_the_conversion_csv(coordinator: User, requested: ConversionRequest) -> None:
    response = signed_in(coordinator).get(f"{CONVERSIONS}csv/", {"fiscal_year": "2025"})

    rows = read_csv(response)
    assert rows[0][:7] == ["番号", "申請日時", "利用者番号", "利用者", "校区", "本人確認済みの氏名", "年度"]
    assert [row[5:11] for row in rows[1:]] == [
        [
            "熊本 花子（本人確認）",
            "令和7年度（2025年度）",
            "介護保険サポーターポイント",
            "16",
            "1000",
            "承認待ち",
        ]
    ]
    assert read_csv(signed_in(coordinator).get(f"{CONVERSIONS}csv/", {"fiscal_year": "2024"})) == [rows[0]]


# --- in a browser, on a phone -------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_approves_on_a_phone(
    page: Page, live_server: Any, coordinator: User, held: Redemption, kumamoto: Scheme
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/staff/login/?next={PAGE}")
    page.fill("input[name=username]", "coordinator@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("h1")).to_have_text("ポイント交換の承認")
    row = page.locator(f"tr[data-redemption='{held.pk}']")
    expect(row.locator(".verified-name")).to_have_text(VERIFIED_NAME)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    row.get_by_role("button", name="承認").click()

    expect(page.locator(".messagelist")).to_contain_text("承認しました")
    expect(page.locator(".count")).to_contain_text("0件")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    held.refresh_from_db()
    assert (held.status, held.decided_by) == (Redemption.Status.APPROVED, coordinator)
    assert Account.objects.get(scheme=kumamoto, kind="redemption").balance == 100
