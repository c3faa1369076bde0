"""The disaster volunteer centre's staff pages: the headquarters opens a centre, centre staff set
a day's quota (the call-ups follow), receive volunteers at the door (a form sent twice is one
reception; insurance taken out at the desk, received at once under the special measure), enter
phone calls (a form with mistakes shown again as typed) and triage them (never their own), form
teams, print work orders and record the reports that verify attendance."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.individual_number import check_digit
from disaster import selectors, services
from disaster.models import (
    CallUp,
    CentreDay,
    CentreReception,
    Disaster,
    DisasterNeed,
    Team,
    VolunteerCentre,
)
from events.models import Participation
from events.services import checkin_resident_token
from plan_registry.models import Area
from tests.disaster.pages import said, signed_in
from tests.factories import ActivityCategoryFactory, QualificationFactory, StaffRoleFactory, UserFactory
from volunteer.models import Qualification, QualificationType, StaffRole, User

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PHONE_CALL = {
    "work_type": "mud_removal",
    "school_district": "chuo-01",
    "address": "中央区桜台1-2-3",
    "helpers_needed": "3",
    "note": "床下に泥",
    "contact_name": "高木 トメ",
    "contact_phone": "096-000-0000",
}


def _volunteer(centre: VolunteerCentre, district: Area, name: str, days: tuple[dt.date, ...] = ()) -> User:
    person = UserFactory(school_district=district, display_name=name)
    services.centre_register(
        centre=centre,
        person=person,
        registration=services.RegistrationInput(
            skill_codes=(), licence_codes=(), vehicle="none", home_prefecture=43, days=days or (TODAY(),)
        ),
    )
    return person


def _insure(person: User, insurance: QualificationType) -> Qualification:
    return QualificationFactory(
        user=person, qualification_type=insurance, obtained_on=TODAY() - dt.timedelta(days=5), expires_on=None
    )


def _door_scan(client: Client, centre: VolunteerCentre, person: User, reception_id: str = "") -> Any:
    body = {"code": checkin_resident_token(person=person), "reception_id": reception_id or str(uuid.uuid4())}
    return client.post(reverse("staff-centre-receive-page", args=[centre.pk]), body, follow=True)


# --- the list, opening a centre -----------------------------------------------------------------


def test_centre_staff_see_their_centres_and_only_the_headquarters_may_open_one(
    centre_staff: User, disaster_office: User, centre: VolunteerCentre, other_ward: Area
) -> None:
    elsewhere = UserFactory(email="centre-kita@example.com")
    StaffRoleFactory(user=elsewhere, role=StaffRole.Role.CENTRE_STAFF, areas=[other_ward])
    url = reverse("staff-centre-list-page")

    staff_page = signed_in(centre_staff).get(url)
    hq_page = signed_in(disaster_office).get(url)

    assert staff_page.status_code == 200
    assert centre.name in staff_page.content.decode()
    assert "センターを開設する" not in staff_page.content.decode()
    assert "センターを開設する" in hq_page.content.decode()
    assert centre.name not in signed_in(elsewhere).get(url).content.decode()
    assert signed_in(elsewhere).get(reverse("staff-centre-door-page", args=[centre.pk])).status_code == 404


def test_centre_staff_of_another_area_get_404_from_every_page_of_this_centre_and_change_nothing(
    centre_staff: User, centre: VolunteerCentre, other_ward: Area, morning: DisasterNeed
) -> None:
    services.teams_form(centre=centre, staff=centre_staff)
    team = Team.objects.get()
    elsewhere = UserFactory(email="centre-kita@example.com")
    StaffRoleFactory(user=elsewhere, role=StaffRole.Role.CENTRE_STAFF, areas=[other_ward])
    client = signed_in(elsewhere)
    before = (
        list(DisasterNeed.objects.values_list("status", "urgency")),
        list(Team.objects.values_list("status", flat=True)),
        CentreReception.objects.count(),
        CentreDay.objects.count(),
    )
    pages = [
        ("get", "staff-centre-day-page", centre.pk, {}),
        ("get", "staff-centre-door-page", centre.pk, {}),
        ("get", "staff-centre-needs-page", centre.pk, {}),
        ("get", "staff-centre-teams-page", centre.pk, {}),
        ("get", "staff-team-work-order-page", team.pk, {}),
        ("post", "staff-centre-quota-page", centre.pk, {"day": TODAY().isoformat(), "quota": "0"}),
        ("post", "staff-centre-receive-page", centre.pk, {"code": "x"}),
        ("post", "staff-centre-insurance-page", centre.pk, {"code": "x"}),
        ("post", "staff-centre-phone-page", centre.pk, PHONE_CALL),
        ("post", "staff-need-triage-page", morning.pk, {"accept": "false", "urgency": "3", "reason": "r"}),
        ("post", "staff-teams-form-page", centre.pk, {}),
        ("post", "staff-team-report-page", team.pk, {"outcome": "done"}),
    ]

    answers = {
        name: getattr(client, method)(reverse(name, args=[pk]), body).status_code
        for method, name, pk, body in pages
    }

    assert set(answers.values()) == {404}, answers
    assert before == (
        list(DisasterNeed.objects.values_list("status", "urgency")),
        list(Team.objects.values_list("status", flat=True)),
        CentreReception.objects.count(),
        CentreDay.objects.count(),
    )


def test_the_headquarters_opens_a_centre_in_the_disasters_wards_only(
    disaster_office: User, disaster: Disaster, school_district: Area, other_school_district: Area
) -> None:
    client = signed_in(disaster_office)
    url = reverse("staff-centre-open-page")
    body = {"disaster": disaster.pk, "name": "桜台VC", "address": "桜台1-1", "daily_quota": "40"}

    outside = client.post(url, {**body, "school_district": other_school_district.code}, follow=True)
    bad_quota = client.post(
        url, {**body, "school_district": school_district.code, "daily_quota": "0"}, follow=True
    )
    opened = client.post(url, {**body, "school_district": school_district.code}, follow=True)

    assert not any("開設しました" in m for m in said(outside) + said(bad_quota))
    assert any(m.startswith("1日の受け入れ人数:") for m in said(bad_quota))
    assert any("「桜台VC」を開設しました" in m for m in said(opened))
    assert list(VolunteerCentre.objects.values_list("name", "school_district", "daily_quota")) == [
        ("桜台VC", school_district.pk, 40)
    ]


# --- the day's quota and call-ups ------------------------------------------------------------


def test_a_quota_for_a_day_to_come_calls_volunteers_up_at_once(
    centre_staff: User, centre: VolunteerCentre, school_district: Area
) -> None:
    day = TODAY() + dt.timedelta(days=2)
    for i in range(4):
        _volunteer(centre, school_district, f"ボランティア{i}", days=(day,))
    client = signed_in(centre_staff)
    url = reverse("staff-centre-quota-page", args=[centre.pk])

    refused = [
        client.post(url, {"day": day.isoformat(), "quota": "-1"}, follow=True),
        client.post(url, {"day": day.isoformat(), "quota": "abc"}, follow=True),
        client.post(url, {"day": (TODAY() - dt.timedelta(days=1)).isoformat(), "quota": "2"}, follow=True),
    ]
    assert not CentreDay.objects.exists()
    assert not CallUp.objects.exists()
    assert all(said(r) for r in refused)

    set_ = client.post(url, {"day": day.isoformat(), "quota": "2"}, follow=True)

    assert CentreDay.objects.get().quota == 2
    assert CallUp.objects.filter(day=day).count() == 2
    assert any("2人を呼び出しました" in m for m in said(set_))
    page = client.get(reverse("staff-centre-day-page", args=[centre.pk]), {"day": day.isoformat()})
    assert page.content.decode().count("返事待ち") >= 1
    assert len(page.context["call_ups"]) == 2


# --- the door ---------------------------------------------------------------------------------------


def test_a_scan_at_the_door_receives_once_however_often_the_form_is_sent(
    centre_staff: User, centre: VolunteerCentre, school_district: Area, disaster_insurance: QualificationType
) -> None:
    volunteer = _volunteer(centre, school_district, "受付 一郎")
    _insure(volunteer, disaster_insurance)
    client = signed_in(centre_staff)
    reception_id = str(uuid.uuid4())

    first = _door_scan(client, centre, volunteer, reception_id)
    again = _door_scan(client, centre, volunteer, reception_id)

    assert any("受付 一郎 さんを受付しました" in m for m in said(first))
    assert any("記録済み" in m for m in said(again))
    assert CentreReception.objects.filter(person=volunteer).count() == 1
    assert "受付 一郎" in client.get(reverse("staff-centre-door-page", args=[centre.pk])).content.decode()


def test_the_door_asks_to_see_the_certificate_of_a_licence_only_declared(
    client_for: Any,
    centre_staff: User,
    centre: VolunteerCentre,
    school_district: Area,
    disaster_insurance: QualificationType,
    chainsaw: QualificationType,
) -> None:
    declared = UserFactory(school_district=school_district, display_name="林 業")
    body = {"home_prefecture": 43, "days": [TODAY().isoformat()], "licences": ["chainsaw"]}
    client_for(declared).put(f"/api/v1/disaster-centres/{centre.pk}/registration/", body, format="json")
    _insure(declared, disaster_insurance)

    answer = _door_scan(signed_in(centre_staff), centre, declared)

    assert (
        "林 業 さんの「チェーンソー特別教育修了」は自己申告です。修了証・免許証を確認してください。"
        in said(answer)
    )
    reception = CentreReception.objects.get(person=declared)
    assert selectors.licences_to_check(reception=reception) == ["チェーンソー特別教育修了"]
    QualificationFactory(
        user=declared, qualification_type=chainsaw, obtained_on=TODAY()
    )  # a training's record
    assert selectors.licences_to_check(reception=reception) == []


@pytest.mark.parametrize("code", ["", "not-a-code", "x" * 600, "a b\tc"])
def test_a_bad_code_at_the_door_is_refused_plainly(
    centre_staff: User, centre: VolunteerCentre, code: str
) -> None:
    response = signed_in(centre_staff).post(
        reverse("staff-centre-receive-page", args=[centre.pk]),
        {"code": code, "reception_id": "x"},
        follow=True,
    )

    assert response.status_code == 200
    assert said(response)
    assert not CentreReception.objects.exists()


def test_a_scanned_code_whose_digits_pass_the_check_digit_is_read_as_the_token_it_is(
    centre_staff: User, centre: VolunteerCentre
) -> None:
    """A signed code can hold twelve digits that pass the individual number's check digit: the
    door's code field is a scanned token, as the API's is, not something a person typed."""
    looks_like_one = "12345678901" + str(check_digit("12345678901"))
    for page in ("staff-centre-receive-page", "staff-centre-insurance-page"):
        response = signed_in(centre_staff).post(
            reverse(page, args=[centre.pk]),
            {"code": f"1.v.{looks_like_one}x", "reception_id": "x"},
            follow=True,
        )

        assert response.status_code == 200, page
        assert any("コード" in m for m in said(response)), said(response)
    assert not CentreReception.objects.exists()


def test_a_code_with_hidden_characters_is_refused_before_the_page(
    centre_staff: User, centre: VolunteerCentre
) -> None:
    response = signed_in(centre_staff).post(
        reverse("staff-centre-receive-page", args=[centre.pk]), {"code": "\u202eabc", "reception_id": "x"}
    )

    assert response.status_code == 400
    assert "U+202E" in response.content.decode()
    assert not CentreReception.objects.exists()


def test_insurance_taken_out_at_the_desk_is_in_force_tomorrow_or_at_once_under_the_special_measure(
    centre_staff: User,
    centre: VolunteerCentre,
    disaster: Disaster,
    school_district: Area,
    disaster_insurance: QualificationType,
) -> None:
    volunteer = _volunteer(centre, school_district, "保険 花子")
    client = signed_in(centre_staff)

    refused = client.post(
        reverse("staff-centre-receive-page", args=[centre.pk]),
        {"code": checkin_resident_token(person=volunteer), "reception_id": str(uuid.uuid4())},
    )
    assert refused.status_code == 200
    pending = refused.context["pending"]
    assert pending["name"] == "保険 花子"
    assert "窓口での保険加入を記録する" in refused.content.decode()
    form = {key: pending[key] for key in ("code", "scanned_at", "reception_id")}

    not_yet = client.post(reverse("staff-centre-insurance-page", args=[centre.pk]), form, follow=True)

    assert Qualification.objects.filter(user=volunteer, obtained_on=TODAY()).count() == 1
    assert not CentreReception.objects.exists()
    assert any("本日は活動に参加できません" in m for m in said(not_yet))

    Disaster.objects.filter(pk=disaster.pk).update(insurance_special_measure=True)
    at_once = client.post(reverse("staff-centre-insurance-page", args=[centre.pk]), form, follow=True)

    assert Qualification.objects.filter(user=volunteer).count() == 1  # the same day's insurance, once
    assert CentreReception.objects.get().reception_id == uuid.UUID(form["reception_id"])
    assert any("保険 花子 さんを受付しました" in m for m in said(at_once))


# --- needs ------------------------------------------------------------------------------------------


def test_a_phone_call_with_a_mistake_is_shown_again_as_typed_and_nothing_is_stored(
    centre_staff: User, centre: VolunteerCentre, chainsaw: QualificationType
) -> None:
    client = signed_in(centre_staff)
    url = reverse("staff-centre-phone-page", args=[centre.pk])

    wrong = client.post(url, {**PHONE_CALL, "contact_phone": "電話なし", "licences": ["chainsaw"]})

    assert wrong.status_code == 200
    assert not DisasterNeed.objects.exists()
    assert any(m.startswith("折り返しの電話番号") or m.startswith("連絡先の電話番号") for m in said(wrong))
    assert wrong.context["entry"]["address"] == PHONE_CALL["address"]
    assert wrong.context["entry"]["licences"] == ["chainsaw"]
    assert 'value="中央区桜台1-2-3"' in wrong.content.decode()

    taken = client.post(url, {**PHONE_CALL, "needs_vehicle": "on", "licences": ["chainsaw"]}, follow=True)

    need = DisasterNeed.objects.get()
    assert (need.source, need.contact_name, need.needs_vehicle) == ("phone", "高木 トメ", True)
    assert list(need.required_licences.values_list("code", flat=True)) == ["chainsaw"]
    assert any(f"依頼 #{need.pk}" in m for m in said(taken))


def test_triage_on_the_page_records_the_decision_and_nobody_triages_their_own_need(
    centre_staff: User, centre: VolunteerCentre, school_district: Area
) -> None:
    colleague = UserFactory(email="centre2@example.com", school_district=school_district)
    StaffRoleFactory(user=colleague, role=StaffRole.Role.CENTRE_STAFF, areas=[school_district])
    own = services.need_post(
        centre=centre,
        need=services.NeedInput(
            work_type="clearing", school_district_code="chuo-01", address="桜台2-2", helpers_needed=2
        ),
        requester=centre_staff,
    )
    url = reverse("staff-need-triage-page", args=[own.pk])
    decision = {"accept": "true", "urgency": "1", "reason": "高齢世帯"}

    refused = signed_in(centre_staff).post(url, decision, follow=True)
    no_reason = signed_in(colleague).post(url, {**decision, "reason": ""}, follow=True)
    bad_urgency = signed_in(colleague).post(url, {**decision, "urgency": "9"}, follow=True)
    assert DisasterNeed.objects.get().status == DisasterNeed.Status.NEW
    assert all(said(r) for r in (refused, no_reason, bad_urgency))

    signed_in(colleague).post(url, decision, follow=True)

    need = DisasterNeed.objects.get()
    assert (need.status, need.urgency, need.triage_reason, need.triaged_by) == (
        DisasterNeed.Status.ACCEPTED,
        1,
        "高齢世帯",
        colleague,
    )


# --- teams ------------------------------------------------------------------------------------------


@pytest.fixture
def morning(
    centre: VolunteerCentre,
    centre_staff: User,
    school_district: Area,
    disaster_insurance: QualificationType,
) -> DisasterNeed:
    """Four volunteers received at the door, a need accepted."""
    ActivityCategoryFactory(code="disaster")
    VolunteerCentre.objects.filter(pk=centre.pk).update(daily_quota=10)
    client = signed_in(centre_staff)
    for i in range(4):
        volunteer = _volunteer(centre, school_district, f"班員{i}")
        _insure(volunteer, disaster_insurance)
        answer = _door_scan(client, centre, volunteer)
        assert any("を受付しました" in m for m in said(answer)), said(answer)
    assert CentreReception.objects.count() == 4
    asking = UserFactory(school_district=school_district)
    need = services.need_post(
        centre=centre,
        need=services.NeedInput(
            work_type="mud_removal", school_district_code="chuo-01", address="桜台3-3", helpers_needed=3
        ),
        requester=asking,
    )
    return services.need_triage(need=need, staff=centre_staff, accept=True, urgency=1, reason="床上浸水")


def test_teams_are_formed_on_the_page_with_work_orders_late_arrivals_and_reports(
    centre_staff: User, centre: VolunteerCentre, school_district: Area, morning: DisasterNeed
) -> None:
    client = signed_in(centre_staff)
    teams_url = reverse("staff-centre-teams-page", args=[centre.pk])

    formed = client.post(reverse("staff-teams-form-page", args=[centre.pk]), follow=True)

    team = Team.objects.get()
    assert any("1班" in m for m in said(formed))
    assert team.need == morning
    assert team.members.count() <= 4
    page = client.get(teams_url).content.decode()
    assert reverse("staff-team-work-order-page", args=[team.pk]) in page
    assert "（リーダー）" in page
    assert "（サブリーダー）" in page

    again = client.post(reverse("staff-teams-form-page", args=[centre.pk]), follow=True)
    assert Team.objects.count() == 1
    assert said(again)

    late = _volunteer(centre, school_district, "遅刻 三郎")
    _insure(late, Qualification.objects.first().qualification_type)  # type: ignore[union-attr]
    _door_scan(client, centre, late)
    late_reception = CentreReception.objects.get(person=late)
    added = client.post(
        reverse("staff-team-member-page", args=[team.pk]),
        {"reception_id": str(late_reception.reception_id)},
        follow=True,
    )
    assert any("遅刻 三郎 さんを1班に加えました" in m for m in said(added))
    assert team.members.filter(reception=late_reception).exists()

    bad = client.post(reverse("staff-team-report-page", args=[team.pk]), {"outcome": "finished"}, follow=True)
    assert Team.objects.get().status == Team.Status.DISPATCHED
    assert said(bad)
    reported = client.post(
        reverse("staff-team-report-page", args=[team.pk]), {"outcome": "done", "note": "完了"}, follow=True
    )

    assert any("1班の報告を記録しました" in m for m in said(reported))
    assert DisasterNeed.objects.get().status == DisasterNeed.Status.DONE
    verified = Participation.objects.filter(activity=team.activity, verified_at__isnull=False)
    assert verified.count() == team.members.count()


def test_the_work_order_prints_from_the_staff_site(
    centre_staff: User, centre: VolunteerCentre, morning: DisasterNeed
) -> None:
    client = signed_in(centre_staff)
    client.post(reverse("staff-teams-form-page", args=[centre.pk]))
    team = Team.objects.get()

    pdf = client.get(reverse("staff-team-work-order-page", args=[team.pk]))

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_menu_offers_the_centre_to_centre_staff_only_and_marks_one_entry_current(
    centre_staff: User, shelter_staff: User, centre: VolunteerCentre
) -> None:
    url = reverse("staff-centre-door-page", args=[centre.pk])
    menu = signed_in(centre_staff).get(url).context["staff_menu"]()

    assert [entry.title for entry in menu if entry.current] == ["災害ボランティアセンター"]
    shelter_menu = (
        signed_in(shelter_staff).get(reverse("staff-shelter-headcounts-page")).context["staff_menu"]()
    )
    assert "災害ボランティアセンター" not in [entry.title for entry in shelter_menu]


def test_a_team_not_reported_on_its_day_is_reported_later_even_after_the_disaster_ends(
    centre_staff: User, centre: VolunteerCentre, disaster: Disaster, morning: DisasterNeed
) -> None:
    services.teams_form(centre=centre, staff=centre_staff)
    team = Team.objects.get()
    Team.objects.filter(pk=team.pk).update(day=TODAY() - dt.timedelta(days=1))  # formed yesterday
    Disaster.objects.filter(pk=disaster.pk).update(ended_at=timezone.now())
    client = signed_in(centre_staff)

    listed = client.get(reverse("staff-centre-list-page")).content.decode()
    page = client.get(reverse("staff-centre-teams-page", args=[centre.pk]))

    assert "受付終了（報告待ちの班があります）" in listed
    assert [row["team"] for row in page.context["earlier"]] == [team]
    assert page.context["teams"] == []
    assert "班を編成して派遣する" not in page.content.decode()
    client.post(reverse("staff-team-report-page", args=[team.pk]), {"outcome": "done"})
    assert Team.objects.get().status == Team.Status.COMPLETED
    assert DisasterNeed.objects.get().status == DisasterNeed.Status.DONE
    assert centre.name not in client.get(reverse("staff-centre-list-page")).content.decode()
