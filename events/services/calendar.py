"""A person's calendar subscription: made (a new one revokes the old) and revoked."""

import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarFeed
from volunteer.models import User


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, person: User) -> tuple[CalendarFeed, str]:
    """The feed and its secret token, shown this once: any earlier address stops answering."""
    token = secrets.token_urlsafe(32)
    # Two requests at once (a double tap) would each find no feed and both insert one: the
    # person's row is locked first, so the second waits and replaces the first's.
    User.objects.select_for_update().filter(pk=person.pk).first()
    CalendarFeed.objects.filter(person=person).delete()
    feed = CalendarFeed.objects.create(
        person=person, token_hash=calendar_token_hash(token), created_at=timezone.now()
    )
    return feed, token


def calendar_feed_revoke(*, person: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    return deleted > 0


def calendar_feed_path(token: str) -> str:
    return reverse("calendar-feed", kwargs={"token": token})
