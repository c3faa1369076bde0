"""Disaster mode's staff pages: the headquarters declares, renews and ends (its password typed
again, a wrong one changing nothing), every disaster role sees live headcounts (a page, its status
view and a CSV whose counts equal the rows), shelter staff keep their own shelter's roster (people
entered by hand, once however often the form is sent; departures), the headquarters' roster CSV,
and the staff site's shelter and disaster pages."""

import csv
import io
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disaster import services
from disaster.models import AgeGroup, Disaster, DisasterDecision, Evacuee, Shelter, ShelterStay
from plan_registry.models import Area
from tests.disaster.pages import said, signed_in
from tests.factories import (
    PASSWORD,
    DisasterDecisionFactory,
    EvacueeFactory,
    ShelterFactory,
    StaffRoleFactory,
    UserFactory,
)
from volunteer.models import StaffRole, User

pytestmark = pytest.mark.django_db


HIDDEN = "制御文字や見えない文字方向の記号（U+202E など）が含まれています。取り除いてから送信してください。"
NO_NAME = "氏名を入力してください（わからなければ「不明」など）。"
NOBODY = dict.fromkeys(("name_0", "age_group_0", "name_1", "age_group_1"), "")


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _state() -> tuple[Any, ...]:
    """Everything the disaster pages can change, to check a refusal changed none of it."""
    return (
        list(Disaster.objects.values_list("pk", "lapses_at", "ended_at").order_by("pk")),
        DisasterDecision.objects.count(),
        list(ShelterStay.objects.values_list("pk", "left_at").order_by("pk")),
        Evacuee.objects.count(),
    )


def _stay(shelter: Shelter, staff: User, *people: tuple[str, str], stay_type: str = "shelter") -> ShelterStay:
    stay, _ = services.shelter_receive(
        shelter=shelter,
        staff=staff,
        reception=services.Reception(
            reception_id=uuid.uuid4(),
            scanned_at=timezone.now(),
            stay_type=stay_type,
            people=tuple(services.MemberInput(name=n, age_group=a) for n, a in people),
        ),
    )
    return stay


# --- declarations ---------------------------------------------------------------------------


def test_the_headquarters_sees_each_disaster_with_its_record_and_the_forms(
    disaster_office: User, disaster: Disaster, ward: Area, other_ward: Area
) -> None:
    DisasterDecisionFactory(disaster=disaster, reason="大雨特別警報の発表")

    page = signed_in(disaster_office).get(reverse("staff-disaster-list-page"))

    html = page.content.decode()
    assert page.status_code == 200
    assert [row["state"] for row in page.context["rows"]] == ["有効"]
    assert list(page.context["wards"]) == [ward]  # only the wards it may declare for
    assert disaster.name in html
    assert "大雨特別警報の発表" in html
    assert "中央区" in html
    assert reverse("staff-disaster-switch-page", args=[disaster.pk, "renew"]) in html
    assert reverse("staff-disaster-switch-page", args=[disaster.pk, "end"]) in html
    assert 'type="password"' in html


@pytest.mark.parametrize("persona", ["shelter_staff", "coordinator", "resident"])
def test_only_the_headquarters_opens_the_declarations(request: pytest.FixtureRequest, persona: str) -> None:
    user = request.getfixturevalue(persona)

    assert signed_in(user).get(reverse("staff-disaster-list-page")).status_code == 403
    assert Client().get(reverse("staff-disaster-list-page")).status_code == 302  # to sign in


def _declare(client: Client, ward: Area, **fields: Any) -> Any:
    body = {
        "name": "令和8年6月 豪雨災害",
        "wards": [ward.pk],
        "accepted_residence": "prefecture",
        "reason": "大雨特別警報の発表",
        "password": PASSWORD,
        **fields,
    }
    return client.post(reverse("staff-disaster-declare-page"), body, follow=True)


def test_a_declaration_with_the_password_declares(disaster_office: User, ward: Area) -> None:
    answer = _declare(signed_in(disaster_office), ward)

    disaster = Disaster.objects.get()
    assert answer.redirect_chain == [(reverse("staff-disaster-list-page"), 302)]
    assert (disaster.name, list(disaster.wards.all()), disaster.accepted_residence) == (
        "令和8年6月 豪雨災害",
        [ward],
        "prefecture",
    )
    assert list(disaster.decisions.values_list("action", "decided_by", "reason")) == [
        ("declared", disaster_office.pk, "大雨特別警報の発表")
    ]
    assert said(answer)[0].startswith("「令和8年6月 豪雨災害」を宣言しました。")


@pytest.mark.parametrize("password", ["", "wrong-password"])
def test_a_wrong_password_declares_nothing(disaster_office: User, ward: Area, password: str) -> None:
    answer = _declare(signed_in(disaster_office), ward, password=password)

    assert _state() == ([], 0, [], 0)
    assert said(answer) == [
        "パスワードが違います。ご自分のパスワードをもう一度入力してください（何も変更していません）。"
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"wards": []}, "対象の区を1つ以上指定してください。"),
        ({"reason": " "}, "理由を入力してください。"),
        (
            {"name": "豪雨\n災害"},
            f"災害の名称: {HIDDEN}",
        ),
        ({"name": ""}, "災害の名称を200文字以内で入力してください。"),
        ({"accepted_residence": "moon"}, "ボランティアの受け入れ範囲を選んでください。"),
    ],
)
def test_a_refused_declaration_says_why_and_declares_nothing(
    disaster_office: User, ward: Area, fields: dict[str, Any], message: str
) -> None:
    answer = _declare(signed_in(disaster_office), ward, **fields)

    assert _state() == ([], 0, [], 0)
    assert said(answer) == [message]


def test_a_declaration_for_a_ward_it_does_not_hold_is_refused(
    disaster_office: User, other_ward: Area
) -> None:
    answer = _declare(signed_in(disaster_office), other_ward)

    assert _state() == ([], 0, [], 0)
    assert said(answer) == [
        "災害の宣言・延長・終了は、対象のすべての区を担当する災害対策本部のみが行えます。"
    ]


def test_shelter_staff_cannot_declare(shelter_staff: User, ward: Area) -> None:
    answer = signed_in(shelter_staff).post(
        reverse("staff-disaster-declare-page"),
        {
            "name": "豪雨",
            "wards": [ward.pk],
            "accepted_residence": "city",
            "reason": "r",
            "password": PASSWORD,
        },
    )

    assert answer.status_code == 403
    assert _state() == ([], 0, [], 0)


def _switch(client: Client, disaster: Disaster, action: str, password: str = PASSWORD) -> Any:
    url = reverse("staff-disaster-switch-page", args=[disaster.pk, action])
    return client.post(url, {"reason": "余震が続くため", "password": password}, follow=True)


def test_the_headquarters_renews_then_ends(disaster_office: User, disaster: Disaster) -> None:
    client, lapsed = signed_in(disaster_office), disaster.lapses_at

    renewed = _switch(client, disaster, "renew")
    disaster.refresh_from_db()
    assert disaster.lapses_at > lapsed
    ended = _switch(client, disaster, "end")
    disaster.refresh_from_db()

    assert disaster.ended_at is not None
    assert list(disaster.decisions.values_list("action", flat=True)) == ["renewed", "ended"]
    assert said(renewed)[0].startswith(f"「{disaster.name}」を延長しました。")
    assert said(ended) == [f"「{disaster.name}」を終了しました。"]
    again = _switch(client, disaster, "end")
    assert said(again) == [f"「{disaster.name}」: この災害は終了したか、宣言の有効期限が切れています。"]


def test_the_headquarters_applies_the_special_measure_with_its_password(
    disaster_office: User, disaster: Disaster
) -> None:
    client = signed_in(disaster_office)
    assert "大規模災害特例を適用する" in client.get(reverse("staff-disaster-list-page")).content.decode()

    _switch(client, disaster, "special-measure", password="違う")
    assert Disaster.objects.get(pk=disaster.pk).insurance_special_measure is False
    applied = _switch(client, disaster, "special-measure")

    assert Disaster.objects.get(pk=disaster.pk).insurance_special_measure is True
    assert said(applied) == [f"「{disaster.name}」に大規模災害特例の適用を記録しました。"]
    assert list(disaster.decisions.values_list("action", flat=True)) == ["special_measure"]
    assert "大規模災害特例を適用する" not in client.get(reverse("staff-disaster-list-page")).content.decode()


@pytest.mark.parametrize("action", ["renew", "end"])
def test_a_switch_without_the_password_changes_nothing(
    disaster_office: User, disaster: Disaster, action: str
) -> None:
    before = _state()

    answer = _switch(signed_in(disaster_office), disaster, action, password="not-my-password")

    assert _state() == before
    assert "パスワードが違います" in said(answer)[0]


def test_a_switch_refuses_other_roles_unknown_actions_and_disasters(
    disaster_office: User, shelter_staff: User, disaster: Disaster
) -> None:
    before = _state()
    office = signed_in(disaster_office)

    assert _switch(signed_in(shelter_staff), disaster, "end").status_code == 403
    assert _switch(office, disaster, "erase").status_code == 404
    assert (
        office.post(reverse("staff-disaster-switch-page", args=[disaster.pk + 100, "end"])).status_code == 404
    )
    assert office.get(reverse("staff-disaster-switch-page", args=[disaster.pk, "end"])).status_code == 405
    assert _state() == before


# --- headcounts -----------------------------------------------------------------------------


@pytest.fixture
def received(shelter: Shelter, other_shelter: Shelter, shelter_staff: User) -> list[ShelterStay]:
    """Five people at the shelter in two receptions (one in a car), one at the other."""
    return [
        _stay(shelter, shelter_staff, ("熊本 一郎", "adult"), ("熊本 花", "infant"), ("熊本 トメ", "elder")),
        _stay(shelter, shelter_staff, ("阿蘇 二郎", "adult"), ("阿蘇 三奈", "child"), stay_type="car"),
        _stay(other_shelter, shelter_staff, ("天草 四郎", "adult")),
    ]


def test_the_headcounts_page_shows_each_shelter_and_links_staff_to_their_roster(
    shelter_staff: User, shelter: Shelter, other_shelter: Shelter, received: list[ShelterStay]
) -> None:
    page = signed_in(shelter_staff).get(reverse("staff-shelter-headcounts-page"))

    html = page.content.decode()
    counts = page.context["counts"]
    assert page.status_code == 200
    assert counts["city"] == {"people": 6, "households": 3, "shelter": 4, "car": 2, "home": 0}
    first = next(s for s in counts["shelters"] if s["id"] == shelter.pk)
    assert (first["people"], first["households"], first["car"], first["occupancy"], first["status"]) == (
        5,
        2,
        2,
        "2%",  # 5 of 300
        "開設中",
    )
    assert f'href="{reverse("staff-shelter-roster-page", args=[shelter.pk])}"' in html
    assert 'data-refresh-seconds="15"' in html
    assert "disaster/headcounts.js" in html
    assert "<script>" not in html  # no inline script: the Content-Security-Policy refuses it
    assert "最終更新" in html
    assert 'id="headcounts-stale"' in html
    assert reverse("staff-shelter-headcounts-csv") in html
    assert reverse("staff-shelter-roster-csv") not in html  # the headquarters' only


def test_staff_elsewhere_see_the_counts_without_a_link_to_the_roster(
    shelter_staff_elsewhere: User, shelter: Shelter, received: list[ShelterStay]
) -> None:
    page = signed_in(shelter_staff_elsewhere).get(reverse("staff-shelter-headcounts-page"))

    assert page.status_code == 200
    assert {s["roster_url"] for s in page.context["counts"]["shelters"]} == {""}
    assert reverse("staff-shelter-roster-page", args=[shelter.pk]) not in page.content.decode()


def test_the_status_view_answers_the_same_counts_as_the_rows(
    disaster_office: User, shelter: Shelter, received: list[ShelterStay]
) -> None:
    client = signed_in(disaster_office)
    first = client.get(reverse("staff-shelter-headcounts-status"))
    _stay(shelter, disaster_office, ("菊池 五郎", "adult"), stay_type="home")
    second = client.get(reverse("staff-shelter-headcounts-status")).json()

    assert first["Cache-Control"] == "no-store"
    assert first.json()["city"]["people"] == 6
    assert second["city"] == {"people": 7, "households": 4, "shelter": 4, "car": 2, "home": 1}
    assert second["city"]["people"] == Evacuee.objects.filter(stay__left_at__isnull=True).count()
    assert len(second["updated"]) == 8  # HH:MM:SS


@pytest.mark.parametrize(
    "name",
    ["staff-shelter-headcounts-page", "staff-shelter-headcounts-status", "staff-shelter-headcounts-csv"],
)
def test_the_headcounts_are_for_disaster_roles_only(
    coordinator: User, resident: User, shelter: Shelter, name: str
) -> None:
    assert signed_in(coordinator).get(reverse(name)).status_code == 403
    assert signed_in(resident).get(reverse(name)).status_code == 403
    assert Client().get(reverse(name)).status_code == 302


def test_the_headcount_csv_has_a_row_per_shelter_and_the_city_total(
    shelter_staff: User, shelter: Shelter, other_shelter: Shelter, received: list[ShelterStay]
) -> None:
    services.stay_leave(stay=received[2], staff=shelter_staff)  # the other shelter is empty again

    answer = signed_in(shelter_staff).get(reverse("staff-shelter-headcounts-csv"))

    rows = _rows(answer.content)
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == [
        "避難所", "校区", "状態", "収容人数", "避難者数", "世帯数", "避難所内", "車中泊", "在宅避難",
        "未就学児", "学齢の子ども", "大人", "75歳以上", "集計日時",
    ]  # fmt: skip
    by_name = {row[0]: row[1:13] for row in rows[1:]}
    assert by_name == {
        "桜台小学校体育館": ["桜台校区", "開設中", "300", "5", "2", "3", "2", "0", "1", "1", "2", "1"],
        "桜台中学校": ["桜台校区", "開設中", "300", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        "市の合計": ["", "", "600", "5", "2", "3", "2", "0", "1", "1", "2", "1"],
    }
    assert int(by_name["市の合計"][3]) == Evacuee.objects.filter(stay__left_at__isnull=True).count()
    assert len({row[13] for row in rows[1:]}) == 1  # one moment for every row


# --- a shelter's roster ---------------------------------------------------------------------


def test_the_roster_lists_the_open_stays_with_a_departure_button(
    shelter_staff: User, shelter: Shelter, received: list[ShelterStay]
) -> None:
    services.stay_leave(stay=received[1], staff=shelter_staff)

    page = signed_in(shelter_staff).get(reverse("staff-shelter-roster-page", args=[shelter.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert [stay.pk for stay in page.context["stays"]] == [received[0].pk]
    assert "熊本 花（未就学児）" in html
    assert "阿蘇 二郎" not in html
    assert reverse("staff-shelter-leave-page", args=[received[0].reception_id]) in html
    reception_id = page.context["entry"]["reception_id"]
    assert f'name="reception_id" value="{reception_id}"' in html
    assert html.count('name="name_') == 10


def test_the_roster_is_for_the_staff_of_its_area(
    shelter_staff_elsewhere: User, coordinator: User, disaster_office: User, shelter: Shelter
) -> None:
    url = reverse("staff-shelter-roster-page", args=[shelter.pk])

    assert signed_in(shelter_staff_elsewhere).get(url).status_code == 404
    assert signed_in(coordinator).get(url).status_code == 403
    assert signed_in(disaster_office).get(url).status_code == 200
    assert (
        signed_in(disaster_office)
        .get(reverse("staff-shelter-roster-page", args=[shelter.pk + 99]))
        .status_code
        == 404
    )


def _entry(shelter: Shelter, reception_id: str | None = None, **fields: str) -> dict[str, str]:
    return {
        "reception_id": reception_id or str(uuid.uuid4()),
        "stay_type": "shelter",
        "name_0": "水俣 みどり",
        "age_group_0": "elder",
        "name_1": "水俣 そら",
        "age_group_1": "infant",
        **fields,
    }


def test_people_without_phones_are_entered_once_however_often_the_form_is_sent(
    shelter_staff: User, shelter: Shelter
) -> None:
    client = signed_in(shelter_staff)
    url = reverse("staff-shelter-entry-page", args=[shelter.pk])
    form = client.get(reverse("staff-shelter-roster-page", args=[shelter.pk])).context["entry"]
    body = _entry(shelter, form["reception_id"], stay_type="car")

    first = client.post(url, body, follow=True)
    second = client.post(url, body, follow=True)

    stay = ShelterStay.objects.get()
    assert str(stay.reception_id) == form["reception_id"]
    assert (stay.shelter, stay.method, stay.stay_type, stay.received_by) == (
        shelter,
        "staff_entry",
        "car",
        shelter_staff,
    )
    assert list(stay.evacuees.values_list("name", "age_group")) == [
        ("水俣 みどり", "elder"),
        ("水俣 そら", "infant"),
    ]
    assert said(first) == ["2人を受付しました。"]
    assert said(second) == ["この受付は記録済みです（同じフォームがもう一度送られました）。"]
    assert first.redirect_chain == [(reverse("staff-shelter-roster-page", args=[shelter.pk]), 302)]
    # The page shown after the entry carries a new reception id: the next family is a new reception.
    assert second.context["entry"]["reception_id"] != form["reception_id"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name_0": "", "age_group_0": "adult", "name_1": "", "age_group_1": ""}, f"1人目: {NO_NAME}"),
        ({"name_1": "水俣\tそら"}, f"2人目の氏名: {HIDDEN}"),
        ({"name_1": "長" * 61}, "2人目: 氏名は60文字以内で入力してください。"),
        ({"age_group_1": "baby"}, "2人目: 年齢区分を選んでください。"),
        ({"name_1": "水俣 そら", "age_group_1": ""}, "2人目: 年齢区分を選んでください。"),
        (NOBODY, "受付する人を1人以上入力してください。"),
        ({"stay_type": "tent"}, "避難の形態を選んでください。"),
    ],
)
def test_a_form_with_mistakes_is_shown_again_with_what_to_correct_and_changes_nothing(
    shelter_staff: User, shelter: Shelter, fields: dict[str, str], message: str
) -> None:
    body = _entry(shelter, **fields)

    answer = signed_in(shelter_staff).post(reverse("staff-shelter-entry-page", args=[shelter.pk]), body)

    assert answer.status_code == 200
    assert said(answer) == [message]
    assert _state() == ([(shelter.disaster_id, shelter.disaster.lapses_at, None)], 0, [], 0)
    entry = answer.context["entry"]
    assert entry["reception_id"] == body["reception_id"]  # corrected and sent, it is still one reception
    assert entry["people"][1]["name"] == body["name_1"].strip()


def test_an_entry_at_a_closed_shelter_is_refused_with_the_services_message(
    shelter_staff: User, school_district: Area
) -> None:
    closed = ShelterFactory(school_district=school_district)

    page = signed_in(shelter_staff).get(reverse("staff-shelter-roster-page", args=[closed.pk]))
    answer = signed_in(shelter_staff).post(
        reverse("staff-shelter-entry-page", args=[closed.pk]), _entry(closed)
    )

    assert 'name="name_0"' not in page.content.decode()
    assert answer.status_code == 200
    assert said(answer) == [
        "この避難所は開設されていません。先に開設するか、開設中の避難所へ案内してください。"
    ]
    assert ShelterStay.objects.count() == 0


def test_shelter_staff_open_a_shelter_for_the_disaster_and_close_it_once_empty(
    shelter_staff: User,
    shelter_staff_elsewhere: User,
    school_district: Area,
    disaster: Disaster,
) -> None:
    closed = ShelterFactory(name="桜台公民館", school_district=school_district)
    client = signed_in(shelter_staff)
    roster = client.get(reverse("staff-shelter-roster-page", args=[closed.pk])).content.decode()
    assert "避難所を開設する" in roster
    assert f'<option value="{disaster.pk}">{disaster.name}</option>' in roster
    open_url = reverse("staff-shelter-switch-page", args=[closed.pk, "open"])

    elsewhere = signed_in(shelter_staff_elsewhere).post(open_url, {"disaster": disaster.pk})
    nothing_chosen = client.post(open_url, {}, follow=True)
    assert elsewhere.status_code == 404
    assert "開設する災害を選んでください。" in said(nothing_chosen)
    assert Shelter.objects.get(pk=closed.pk).status == Shelter.Status.CLOSED

    opened = client.post(open_url, {"disaster": disaster.pk}, follow=True)
    closed.refresh_from_db()
    assert (closed.status, closed.disaster) == (Shelter.Status.OPEN, disaster)
    assert "桜台公民館を開設しました。" in said(opened)

    stay = _stay(closed, shelter_staff, ("天草 四郎", "adult"))
    close_url = reverse("staff-shelter-switch-page", args=[closed.pk, "close"])
    occupied = client.post(close_url, follow=True)
    assert Shelter.objects.get(pk=closed.pk).status == Shelter.Status.OPEN
    assert said(occupied)
    services.stay_leave(stay=stay, staff=shelter_staff)
    client.post(close_url)
    assert Shelter.objects.get(pk=closed.pk).status == Shelter.Status.CLOSED
    assert client.post(reverse("staff-shelter-switch-page", args=[closed.pk, "explode"])).status_code == 404


def test_staff_of_another_area_or_role_cannot_enter_people(
    shelter_staff_elsewhere: User, coordinator: User, shelter: Shelter
) -> None:
    url = reverse("staff-shelter-entry-page", args=[shelter.pk])

    assert signed_in(shelter_staff_elsewhere).post(url, _entry(shelter)).status_code == 404
    assert signed_in(coordinator).post(url, _entry(shelter)).status_code == 403
    assert ShelterStay.objects.count() == 0


def test_a_departure_is_recorded_once(
    shelter_staff: User, shelter: Shelter, received: list[ShelterStay]
) -> None:
    client, stay = signed_in(shelter_staff), received[0]
    url = reverse("staff-shelter-leave-page", args=[stay.reception_id])

    left = client.post(url, follow=True)
    stay.refresh_from_db()
    when = stay.left_at
    again = client.post(url, follow=True)
    stay.refresh_from_db()

    assert when is not None
    assert stay.left_at == when
    assert stay.left_recorded_by == shelter_staff
    assert said(left) == ["退所を記録しました（3人）。"]
    assert said(again) == ["この受付の人はすでに退所したか、移動しています。"]
    assert left.redirect_chain == [(reverse("staff-shelter-roster-page", args=[shelter.pk]), 302)]


def test_a_departure_elsewhere_or_by_another_role_is_refused(
    shelter_staff_elsewhere: User, coordinator: User, received: list[ShelterStay]
) -> None:
    before = _state()
    url = reverse("staff-shelter-leave-page", args=[received[0].reception_id])

    assert signed_in(shelter_staff_elsewhere).post(url).status_code == 404
    assert signed_in(coordinator).post(url).status_code == 403
    assert (
        signed_in(shelter_staff_elsewhere)
        .post(reverse("staff-shelter-leave-page", args=[uuid.uuid4()]))
        .status_code
        == 404
    )
    assert _state() == before


# --- the headquarters' roster ---------------------------------------------------------------


def test_the_roster_csv_lists_everyone_in_an_open_stay_of_its_area_and_neutralises_formulas(
    disaster_office: User,
    shelter_staff: User,
    shelter: Shelter,
    received: list[ShelterStay],
    other_school_district: Area,
) -> None:
    services.stay_leave(stay=received[2], staff=shelter_staff)
    formula = _stay(shelter, shelter_staff, ('=HYPERLINK("http://x")', "adult"))
    EvacueeFactory(stay=formula, name="", age_group=AgeGroup.CHILD)  # a name erased
    elsewhere = ShelterFactory(
        school_district=other_school_district, status=Shelter.Status.OPEN, disaster=shelter.disaster
    )
    EvacueeFactory(stay__shelter=elsewhere, stay__disaster=shelter.disaster, name="若葉 五郎")  # 北区

    answer = signed_in(disaster_office).get(reverse("staff-shelter-roster-csv"))

    rows = _rows(answer.content)
    assert rows[0] == ["避難所", "氏名", "年齢区分", "避難の形態", "受付日時", "受付方法"]
    in_its_ward = Evacuee.objects.filter(stay__left_at__isnull=True, stay__shelter=shelter)
    assert len(rows) - 1 == in_its_ward.count() == 7
    assert [row[1] for row in rows[1:]] == [
        "熊本 一郎", "熊本 花", "熊本 トメ", "阿蘇 二郎", "阿蘇 三奈", "'=HYPERLINK(\"http://x\")", "",
    ]  # fmt: skip
    assert rows[1] == [
        "桜台小学校体育館",
        "熊本 一郎",
        "大人",
        "避難所内",
        timezone.localtime(received[0].scanned_at).strftime("%Y-%m-%d %H:%M"),
        "職員が入力",
    ]
    assert rows[4][3] == "車中泊"
    assert "天草 四郎" not in answer.content.decode("utf-8-sig")  # left
    assert "若葉 五郎" not in answer.content.decode("utf-8-sig")  # at a shelter of another ward


@pytest.mark.parametrize("persona", ["shelter_staff", "coordinator", "resident"])
def test_the_roster_csv_is_the_headquarters_only(request: pytest.FixtureRequest, persona: str) -> None:
    assert (
        signed_in(request.getfixturevalue(persona)).get(reverse("staff-shelter-roster-csv")).status_code
        == 403
    )


# --- the staff site's pages -----------------------------------------------------------------


@pytest.fixture
def admitted(disaster_office: User, shelter_staff: User) -> dict[str, User]:
    """Both as the staff site admits them (a role's menu or the flag)."""
    User.objects.filter(pk__in=[disaster_office.pk, shelter_staff.pk]).update(is_staff=True)
    return {"hdq": User.objects.get(pk=disaster_office.pk), "shel": User.objects.get(pk=shelter_staff.pk)}


def test_the_headquarters_keeps_the_shelters_of_its_wards_and_shelter_staff_look(
    admitted: dict[str, User], shelter: Shelter, school_district: Area, other_school_district: Area
) -> None:
    hdq, shel = signed_in(admitted["hdq"]), signed_in(admitted["shel"])
    elsewhere = ShelterFactory(name="若葉野小学校", school_district=other_school_district)

    assert hdq.get("/staff/disaster/shelter/").status_code == 200
    assert shel.get("/staff/disaster/shelter/").status_code == 200
    assert shel.get("/staff/disaster/shelter/add/").status_code == 403
    assert hdq.get("/staff/disaster/shelter/add/").status_code == 200
    changed = hdq.post(
        f"/staff/disaster/shelter/{shelter.pk}/change/",
        {
            "name": "桜台小学校 体育館",
            "school_district": school_district.pk,
            "address": "熊本市中央区桜台1-1",
            "capacity": 250,
            "status": "closed",
        },
    )
    shelter.refresh_from_db()
    assert changed.status_code == 302
    assert (shelter.name, shelter.capacity, shelter.status) == (
        "桜台小学校 体育館",
        250,
        "open",
    )  # status stays
    assert shel.post(f"/staff/disaster/shelter/{shelter.pk}/change/", {"name": "x"}).status_code == 403
    assert hdq.post(f"/staff/disaster/shelter/{elsewhere.pk}/change/", {"name": "x"}).status_code == 403
    assert hdq.post(f"/staff/disaster/shelter/{shelter.pk}/delete/", {"post": "yes"}).status_code == 403
    Shelter.objects.get(pk=elsewhere.pk, name="若葉野小学校")


def test_disasters_are_read_only_in_the_staff_site(
    admitted: dict[str, User], disaster: Disaster, coordinator: User
) -> None:
    hdq = signed_in(admitted["hdq"])

    listed = hdq.get("/staff/disaster/disaster/")
    shown = hdq.get(f"/staff/disaster/disaster/{disaster.pk}/change/")

    assert listed.status_code == 200
    assert disaster.name in listed.content.decode()
    assert shown.status_code == 200
    assert 'name="name"' not in shown.content.decode()
    assert hdq.get("/staff/disaster/disaster/add/").status_code == 403
    assert hdq.post(f"/staff/disaster/disaster/{disaster.pk}/change/", {"name": "x"}).status_code == 403
    assert signed_in(admitted["shel"]).get("/staff/disaster/disaster/").status_code == 403
    assert signed_in(coordinator).get("/staff/disaster/disaster/").status_code == 403
    disaster.refresh_from_db()
    assert disaster.name != "x"


def test_a_centre_staff_member_sees_headcounts_but_no_roster(school_district: Area, shelter: Shelter) -> None:
    centre = UserFactory(email="centre@example.com")
    StaffRoleFactory(user=centre, role=StaffRole.Role.CENTRE_STAFF, areas=[school_district])
    client = signed_in(centre)

    assert client.get(reverse("staff-shelter-headcounts-page")).status_code == 200
    assert client.get(reverse("staff-shelter-roster-page", args=[shelter.pk])).status_code == 403
