"""A resident's household, registered in normal times, and the shelter code the app keeps.

The shelter code is the resident's personal code with a lifetime of days, not minutes, and its
own key: the app fetches it while the network works and shows it offline, and a check-in code
cannot be used as a shelter code or the other way round."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disaster import errors
from disaster.models import AgeGroup, Household, HouseholdMember
from events import tokens
from volunteer.ages import age_on
from volunteer.models import User


@dataclass(frozen=True)
class MemberInput:
    name: str
    age_group: str


def pass_key() -> bytes:
    return hashlib.sha256(b"disaster.shelter-code:" + settings.SECRET_KEY.encode()).digest()


def shelter_code_make(*, person: User, at: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    at = at or timezone.now()
    lifetime = settings.SHELTER_CODE_LIFETIME_HOURS * 3600
    code = tokens.resident_token_make(key=pass_key(), person_id=person.pk, at=at, lifetime=lifetime)
    return code, at + dt.timedelta(seconds=lifetime)


def shelter_code_read(*, code: str, scanned_at: dt.datetime) -> int:
    """The person the code names, as it stood when it was scanned (a device that was offline
    uploads later: the code must have been valid then)."""
    try:
        return tokens.resident_token_read(key=pass_key(), token=code, at=scanned_at).person_id
    except tokens.TokenRefused as refused:
        if refused.code == "token_expired":
            raise errors.ShelterPassExpired() from refused
        raise errors.ShelterPassInvalid() from refused


def household_set(*, head: User, members: list[MemberInput], now: dt.datetime | None = None) -> Household:
    """Replaces the members (the head is always in the household and not listed). A member already
    received at a shelter keeps their name on that roster: it was copied at reception."""
    now = now or timezone.now()
    with transaction.atomic():
        household, _ = Household.objects.select_for_update().get_or_create(
            head=head, defaults={"updated_at": now}
        )
        household.members.all().delete()
        HouseholdMember.objects.bulk_create(
            HouseholdMember(household=household, name=member.name, age_group=member.age_group)
            for member in members
        )
        household.updated_at = now
        household.save(update_fields=["updated_at"])
    return household


def age_group_of(person: User, on: dt.date) -> str:
    """From the birth date the profile holds; a person without one is counted as an adult."""
    if person.birth_date is None:
        return AgeGroup.ADULT
    age = age_on(person.birth_date, on)
    if age < 6:
        return AgeGroup.INFANT
    if age < 18:
        return AgeGroup.CHILD
    return AgeGroup.ELDER if age >= 75 else AgeGroup.ADULT
