"""The event staff's pages: the events with their counts, the participants and their attendance
verified one by one or together, the venue's screen on its own layout (code, arrivals, entry by
hand, before and after hours), the coordinators' 地域デビュー list, and their CSV files."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from events import tokens
from events import views as event_views
from events.models import Activity, CheckIn, Participation
from events.services.attendance import code_key
from plan_registry.models import Area
from tests.factories import PASSWORD, ActivityFactory, ParticipationFactory, UserFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_the_checkin_screen_shows_a_good_code_for_the_event(
    organiser: User, running_activity: Activity
) -> None:
    page = signed_in(organiser).get(f"/staff/events/{running_activity.pk}/checkin/")

    html = page.content.decode()
    token = html.split('data-token="')[1].split('"')[0]
    read = tokens.venue_token_read(key=code_key(), token=token, at=timezone.now(), period=60)
    assert page.status_code == 200
    assert read.activity_id == running_activity.pk
    assert "<svg" in html
    assert 'http-equiv="refresh"' not in html  # the page's own script asks for a new code
    assert "staff-menu" not in html
    assert "nav-sidebar" not in html
    assert "受付済み" in html


def test_the_event_list_links_to_the_screen(organiser: User, running_activity: Activity) -> None:
    page = signed_in(organiser).get("/staff/events/")

    assert f"/staff/events/{running_activity.pk}/checkin/" in page.content.decode()


def test_someone_else_does_not_get_the_code(other_resident: User, running_activity: Activity) -> None:
    assert signed_in(other_resident).get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 403
    assert Client().get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 302  # to sign in


def test_the_event_list_pages_rather_than_cutting_off(
    organiser: User, organisation: Organisation, school_district: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_views, "PAGE_SIZE", 2)
    starts = timezone.now() + dt.timedelta(days=1)
    titles = {
        ActivityFactory(
            organisation=organisation,
            school_district=school_district,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        ).title
        for _ in range(3)
    }
    client = signed_in(organiser)

    pages = [client.get("/staff/events/"), client.get("/staff/events/", {"page": 2})]

    assert pages[0].context["page"].paginator.count == 3
    assert {event.title for page in pages for event in page.context["events"]} == titles
    assert "page=2" in pages[0].content.decode()


def _screen(client: Client, activity: Activity) -> dict[str, object]:
    answer = client.get(f"/staff/events/{activity.pk}/checkin/status/")
    assert answer.status_code == 200
    return answer.json()


def test_the_screen_says_when_check_in_opens_and_that_it_has_closed(
    organiser: User, organisation: Organisation, school_district: Area
) -> None:
    later = timezone.now() + dt.timedelta(hours=5)
    ended = timezone.now() - dt.timedelta(hours=5)
    upcoming, past = (
        ActivityFactory(
            organisation=organisation,
            school_district=school_district,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
        )
        for starts in (later, ended - dt.timedelta(hours=2))
    )
    client = signed_in(organiser)

    before, after = _screen(client, upcoming), _screen(client, past)
    html = client.get(f"/staff/events/{upcoming.pk}/checkin/").content.decode()

    assert (before["state"], before["token"], before["code"]) == ("before", "", "")
    opens = timezone.localtime(later - dt.timedelta(minutes=60)).strftime("%H:%M")
    assert before["opens_at"] == opens
    assert f'<span data-field="opens_at">{opens}</span>から受付できます' in html
    assert (after["state"], after["token"]) == ("after", "")


def test_an_entry_by_hand_needs_a_reason_and_counts_as_an_arrival(
    organiser: User, running_activity: Activity, registered: Participation
) -> None:
    client = signed_in(organiser)
    url = f"/staff/events/{running_activity.pk}/checkin/by-hand/"
    before = _screen(client, running_activity)["arrivals"]

    refused = client.post(url, {"who": "田中 勝", "direction": "in", "reason": " "}, follow=True)
    unchanged = CheckIn.objects.filter(participation=registered).count()
    done = client.post(url, {"who": "ﾀﾅｶ", "direction": "in", "reason": "携帯なし"}, follow=True)
    missed = CheckIn.objects.filter(participation=registered).count()
    done = client.post(url, {"who": "田中勝", "direction": "in", "reason": "携帯なし"}, follow=True)

    assert (before, unchanged, missed) == (0, 0, 0)
    assert [str(m) for m in refused.context["messages"]] != []
    checkin = CheckIn.objects.get(participation=registered)
    assert (checkin.method, checkin.reason, checkin.entered_by) == (
        CheckIn.Method.MANUAL,
        "携帯なし",
        organiser,
    )
    assert "田中 勝さんの受付しました。" in done.content.decode()
    assert _screen(client, running_activity)["arrivals"] == 1


def test_a_person_not_registered_cannot_be_entered_by_hand(
    organiser: User, running_activity: Activity, other_resident: User
) -> None:
    client = signed_in(organiser)

    answer = client.post(
        f"/staff/events/{running_activity.pk}/checkin/by-hand/",
        {"who": "佐藤 あゆみ", "direction": "in", "reason": "携帯なし"},
        follow=True,
    )

    assert not CheckIn.objects.filter(person=other_resident).exists()
    assert [str(m) for m in answer.context["messages"]] == [event_views.DOOR_REFUSALS[0]]


def test_two_people_of_one_name_are_entered_by_their_number_and_the_screen_lists_nobody(
    organiser: User, running_activity: Activity, registered: Participation
) -> None:
    namesake = ParticipationFactory(
        activity=running_activity,
        person=UserFactory(display_name="田中　勝"),  # a full-width space
    )
    client = signed_in(organiser)
    url = f"/staff/events/{running_activity.pk}/checkin/by-hand/"

    by_name = client.post(url, {"who": "田中 勝", "direction": "in", "reason": "携帯なし"}, follow=True)
    unchanged = CheckIn.objects.filter(activity=running_activity).count()
    client.post(url, {"who": f" {namesake.pk} ", "direction": "in", "reason": "携帯なし"}, follow=True)
    screen = client.get(f"/staff/events/{running_activity.pk}/checkin/").content.decode()

    assert [str(m) for m in by_name.context["messages"]] == [event_views.DOOR_REFUSALS[2]]
    assert unchanged == 0
    assert list(CheckIn.objects.values_list("person_id", flat=True)) == [namesake.person_id]
    assert "田中" not in screen


def test_the_event_list_shows_registered_and_waiting(
    organiser: User, running_activity: Activity, resident: User, other_resident: User
) -> None:
    running_activity.capacity = 1
    running_activity.save(update_fields=["capacity"])
    ParticipationFactory(activity=running_activity, person=resident)
    ParticipationFactory(
        activity=running_activity, person=other_resident, status=Participation.Status.WAITLISTED
    )

    page = signed_in(organiser).get("/staff/events/")
    exported = signed_in(organiser).get("/staff/events/", {"format": "csv"})

    row = page.content.decode().split(f'data-event="{running_activity.pk}"')[1].split("</tr>")[0]
    assert '<td class="registered">1</td>' in row
    assert '<td class="waitlisted">1</td>' in row
    lines = exported.content.decode("utf-8").splitlines()
    assert exported.content.startswith(b"\xef\xbb\xbf")
    assert exported["Content-Type"].startswith("text/csv")
    assert lines[0] == "\ufeff開始,終了,イベント,主催,定員,申込,キャンセル待ち,受付済み"
    assert lines[1].endswith(f"{running_activity.title},子ども食堂ネット,1,1,1,0")


def test_attendance_is_verified_together_and_a_refusal_holds_back_no_one(
    organiser: User, running_activity: Activity, entered: Participation, other_resident: User
) -> None:
    not_arrived = ParticipationFactory(activity=running_activity, person=other_resident)
    client = signed_in(organiser)

    answer = client.post(
        f"/staff/events/{running_activity.pk}/verify/",
        {"participation": [entered.pk, not_arrived.pk], "bulk": "1"},
        follow=True,
    )

    entered.refresh_from_db()
    not_arrived.refresh_from_db()
    shown = [str(message) for message in answer.context["messages"]]
    assert entered.verified_at is not None
    assert entered.verified_by == organiser
    assert not_arrived.verified_at is None
    assert shown[0] == "1人の出席を確認しました。"
    assert shown[1].startswith("佐藤 あゆみ: ")


def test_one_participant_is_verified_by_their_own_button(
    organiser: User, running_activity: Activity, entered: Participation
) -> None:
    page = signed_in(organiser).get(f"/staff/events/{running_activity.pk}/participants/")
    assert f'name="one" value="{entered.pk}"' in page.content.decode()

    signed_in(organiser).post(f"/staff/events/{running_activity.pk}/verify/", {"one": entered.pk})

    entered.refresh_from_db()
    assert entered.verified_at is not None


def test_another_organisations_event_is_not_found_and_nothing_is_verified(
    coordinator_elsewhere: User, running_activity: Activity, entered: Participation
) -> None:
    client = signed_in(coordinator_elsewhere)

    pages = [
        client.get(f"/staff/events/{running_activity.pk}/participants/"),
        client.post(f"/staff/events/{running_activity.pk}/verify/", {"one": entered.pk}),
        client.get(f"/staff/events/{running_activity.pk}/checkin/status/"),
    ]

    entered.refresh_from_db()
    assert [page.status_code for page in pages] == [404, 404, 404]
    assert entered.verified_at is None


def _attended(person: User, organisation: Organisation, days_ago: int) -> Participation:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    activity = ActivityFactory(
        organisation=organisation,
        school_district=person.school_district,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    return ParticipationFactory(
        activity=activity,
        person=person,
        checked_in_at=starts,
        minutes=120,
        verified_at=starts + dt.timedelta(hours=2),
    )


def test_newcomers_are_those_who_came_first_lately_in_the_coordinators_areas(
    coordinator: User,
    organisation: Organisation,
    resident: User,
    other_resident: User,
    other_school_district: Area,
) -> None:
    _attended(resident, organisation, days_ago=20)  # came once, lately
    _attended(other_resident, organisation, days_ago=40)  # came lately, and again
    _attended(other_resident, organisation, days_ago=10)
    veteran = UserFactory(school_district=resident.school_district, display_name="古参 一郎")
    _attended(veteran, organisation, days_ago=400)
    _attended(veteran, organisation, days_ago=5)
    elsewhere = UserFactory(school_district=other_school_district, display_name="他区 花子")
    _attended(elsewhere, organisation, days_ago=5)
    suspended = UserFactory(school_district=resident.school_district, use_suspended_at=timezone.now())
    _attended(suspended, organisation, days_ago=5)
    client = signed_in(coordinator)

    listed = client.get("/staff/newcomers/", {"months": 3})
    once = client.get("/staff/newcomers/", {"months": 3, "only_once": "1"})
    exported = client.get("/staff/newcomers/", {"months": 3, "only_once": "1", "format": "csv"})

    assert [p.display_name for p in listed.context["people"]] == ["田中 勝", "佐藤 あゆみ"]
    assert [(p.display_name, p.times_attended) for p in once.context["people"]] == [("田中 勝", 1)]
    assert (
        exported.content.decode("utf-8")
        .splitlines()[1]
        .startswith(f"田中 勝,{resident.school_district.name},")
    )


def test_the_newcomers_list_is_the_coordinators(organiser: User, planner: User) -> None:
    for person in (organiser, planner):
        refused = signed_in(person).get("/staff/newcomers/")
        assert refused.status_code == 403
        assert "このページは開けません" in refused.content.decode()
