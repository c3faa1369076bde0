"""What a verified identity unlocks: converting care-scheme stamps needs a verified birth date
showing 65 or over on each activity's date, and a reward is handed over to the verified name;
unverified residents still earn, and still give to groups. The whole path, from the provider on
loopback to a conversion, runs first."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from points import errors, services
from points.models import Account, ConversionRequest, Redemption, Reward, Scheme
from tests.factories import OrganisationFactory, RewardFactory, UserFactory, VerifiedIdentityFactory
from tests.identity_provider import IdentityProvider
from tests.points.conftest import Verified
from tests.volunteer.test_identity import verify
from volunteer.models import IdentityEvent, Organisation, User, VerifiedIdentity

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2026, 2, 10)  # FY2025's conversion window


def stamps(person: User, care_host: Organisation, verified: Verified, first: dt.date, days: int) -> None:
    for day in range(days):
        starts = timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=day), dt.time(10)))
        verified(person, minutes=120, organisation=care_host, starts_at=starts)  # two stamps each


def test_a_resident_verified_through_the_provider_converts_their_stamps(
    client_for: Any,
    identity_provider: IdentityProvider,
    care_host: Organisation,
    care_support: Scheme,
    verified: Verified,
) -> None:
    kumiko = UserFactory(birth_date=dt.date(1958, 6, 1))  # as the profile says; the card will agree
    stamps(kumiko, care_host, verified, dt.date(2025, 7, 1), days=6)  # 12 stamps: ¥1,000
    with pytest.raises(errors.IdentityVerificationRequired):
        services.conversion_request(person=kumiko, scheme=care_support, fiscal_year=2025, today=IN_WINDOW)

    assert verify(client_for(kumiko)) == {"result": ["linked"]}
    request = services.conversion_request(
        person=kumiko, scheme=care_support, fiscal_year=2025, today=IN_WINDOW
    )

    assert (request.stamps, request.yen) == (12, 1000)
    assert VerifiedIdentity.objects.get(person=kumiko).birth_date == dt.date(1958, 6, 1)
    assert list(IdentityEvent.objects.order_by("pk").values_list("action", "purpose")) == [
        ("linked", ""),
        ("used", "care_conversion"),
    ]


def test_the_verified_birth_date_decides_not_the_profile(
    care_host: Organisation, care_support: Scheme, verified: Verified
) -> None:
    claims_70 = UserFactory(birth_date=dt.date(1955, 1, 1))
    VerifiedIdentityFactory(person=claims_70, birth_date=dt.date(1970, 1, 1))  # the card says 56
    stamps(claims_70, care_host, verified, dt.date(2025, 7, 1), days=6)
    before = Account.objects.get(owner=claims_70, scheme=care_support).balance

    with pytest.raises(errors.ConversionNotEligible):
        services.conversion_request(person=claims_70, scheme=care_support, fiscal_year=2025, today=IN_WINDOW)

    assert not ConversionRequest.objects.exists()
    assert Account.objects.get(owner=claims_70, scheme=care_support).balance == before
    assert not IdentityEvent.objects.filter(action="used").exists()


def test_only_stamps_from_the_65th_birthday_on_are_converted(
    care_host: Organisation, care_support: Scheme, verified: Verified
) -> None:
    person = UserFactory(birth_date=dt.date(1960, 9, 1))
    VerifiedIdentityFactory(person=person)  # turns 65 on 1 September 2025
    stamps(person, care_host, verified, dt.date(2025, 8, 27), days=10)  # 27–31 Aug, then 1–5 Sep

    request = services.conversion_request(
        person=person, scheme=care_support, fiscal_year=2025, today=IN_WINDOW
    )

    assert request.stamps == 10  # five days from the birthday, two stamps each


def test_the_age_counted_from_is_the_schemes_rule_not_a_fixed_65(
    care_host: Organisation, care_support: Scheme, verified: Verified
) -> None:
    person = UserFactory(birth_date=dt.date(1958, 9, 1))
    VerifiedIdentityFactory(person=person)  # 67 all through FY2025
    stamps(person, care_host, verified, dt.date(2025, 7, 1), days=6)
    care_support.rules.filter(min_age__isnull=False).update(min_age=70)  # staff raise the scheme's age

    with pytest.raises(errors.ConversionNotEligible):
        services.conversion_request(person=person, scheme=care_support, fiscal_year=2025, today=IN_WINDOW)
    assert not ConversionRequest.objects.exists()


def test_an_expired_verification_unlocks_nothing(
    senior: User, care_host: Organisation, care_support: Scheme, verified: Verified
) -> None:
    stamps(senior, care_host, verified, dt.date(2025, 7, 1), days=6)
    VerifiedIdentity.objects.filter(person=senior).update(expires_at=timezone.now() - dt.timedelta(days=1))

    with pytest.raises(errors.IdentityVerificationRequired):
        services.conversion_request(person=senior, scheme=care_support, fiscal_year=2025, today=IN_WINDOW)
    assert not ConversionRequest.objects.exists()


def test_a_reward_goes_to_the_verified_name_and_an_unverified_resident_can_still_give(
    client_for: Any, kumamoto: Scheme, verified: Verified
) -> None:
    verified_person = UserFactory(display_name="くまモン")
    VerifiedIdentityFactory(person=verified_person, name="熊本 久美子")
    unverified = UserFactory()
    for person in (verified_person, unverified):
        verified(person)
        verified(person)
    reward = RewardFactory(scheme=kumamoto, cost=100, name="バス回数券")
    donation = RewardFactory(
        scheme=kumamoto, cost=100, kind=Reward.Kind.DONATION, organisation=OrganisationFactory()
    )

    handed_over = services.redemption_hold(person=verified_person, reward=reward)
    refused = client_for(unverified).post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    given = services.redemption_hold(person=unverified, reward=donation)

    assert handed_over.recipient_name == "熊本 久美子"  # not the display name
    assert (refused.status_code, refused.json()["code"]) == (403, "identity_verification_required")
    assert list(Redemption.objects.filter(person=unverified)) == [given]
    assert given.recipient_name == ""
    assert Account.objects.get(owner=unverified, scheme=kumamoto).balance == 100
    assert list(IdentityEvent.objects.values_list("person", "purpose")) == [
        (verified_person.pk, "redemption")
    ]


def test_the_catalogue_says_which_rewards_need_a_verified_identity(
    client_for: Any, resident: User, kumamoto: Scheme
) -> None:
    reward = RewardFactory(scheme=kumamoto, name="バス回数券")
    donation = RewardFactory(scheme=kumamoto, kind=Reward.Kind.DONATION, organisation=OrganisationFactory())

    listed = client_for(resident).get("/api/v1/points/rewards/").json()
    items = listed["results"] if isinstance(listed, dict) else listed

    assert {item["id"]: item["requires_verified_identity"] for item in items} == {
        reward.pk: True,
        donation.pk: False,
    }
