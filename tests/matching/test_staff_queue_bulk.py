"""The queue page's bulk confirmation and CSV, without a browser: scoping and partial refusals."""

import pytest
from django.test import Client

from matching.models import Match
from plan_registry.models import Area
from tests.factories import PASSWORD, MatchFactory, NeedFactory, OfferFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def proposal(title: str, district: Area) -> Match:
    volunteer = UserFactory(display_name=f"{title}の協力者", school_district=district)
    return MatchFactory(
        need=NeedFactory(title=title, school_district=district),
        offer=OfferFactory(person=volunteer, school_district=district),
        reason="同じ校区",
    )


def test_a_coordinator_confirms_only_their_areas_proposals_and_hears_about_the_rest(
    coordinator: User, school_district: Area, other_school_district: Area
) -> None:
    mine, elsewhere = proposal("サロン", school_district), proposal("見守り", other_school_district)

    answer = signed_in(coordinator).post(
        "/staff/queue/confirm-selected/", {"match": [mine.pk, elsewhere.pk]}, follow=True
    )

    shown = [str(message) for message in answer.context["messages"]]
    assert dict(Match.objects.values_list("pk", "status")) == {
        mine.pk: Match.Status.CONFIRMED,
        elsewhere.pk: Match.Status.PROPOSED,
    }
    assert shown == [
        f"#{elsewhere.pk}: 見つかりません（担当地域の外か、取り消されました）",
        "1件の提案を確定しました。",
    ]


def test_someone_without_the_role_confirms_nothing(organiser: User, school_district: Area) -> None:
    match = proposal("サロン", school_district)

    answer = signed_in(organiser).post("/staff/queue/confirm-selected/", {"match": [match.pk]})

    match.refresh_from_db()
    assert answer.status_code == 403
    assert "このページは開けません" in answer.content.decode()
    assert match.status == Match.Status.PROPOSED


def test_the_queue_exports_what_it_shows_with_formulas_made_inert(
    coordinator: User, school_district: Area, other_school_district: Area
) -> None:
    shown = proposal('=HYPERLINK("http://x")', school_district)
    proposal("見守り", other_school_district)

    exported = signed_in(coordinator).get("/staff/queue/", {"format": "csv"})

    lines = exported.content.decode("utf-8").splitlines()
    assert exported.content.startswith(b"\xef\xbb\xbf")
    assert exported["Content-Disposition"] == 'attachment; filename="match-queue.csv"'
    assert lines[0] == "\ufeff番号,依頼,分野,校区,ボランティア,理由,提案日時,状態"
    assert len(lines) == 2
    assert lines[1].startswith(f'{shown.pk},"\'=HYPERLINK(""http://x"")",')
