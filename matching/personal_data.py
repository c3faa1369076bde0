"""What the matching app holds about a person, how it forgets when the person is erased, and
what it forgets on the retention schedule (core.personal_data)."""

import datetime as dt

from core.personal_data import erases, holds, retains
from matching.models import AddressRelease, Match, MatchDecision, Need, NeedWindow, Offer
from matching.services import posts
from volunteer.models import Notification, User

holds(Offer, "person", why="offers to help (したい)")
holds(Need, "requester", why="requests for help (してほしい), with their address")
holds(NeedWindow, "need__requester", why="the times those requests are for")
holds(Match, "volunteer", "need__requester", why="matches as volunteer and as requester")
holds(
    MatchDecision,
    "match__volunteer",
    "match__need__requester",
    "actor",
    why="every decision on those matches, and decisions the person took as staff",
)
holds(AddressRelease, "person", "need__requester", why="each time a need's address was shown to a volunteer")


# --- how the matching app forgets ------------------------------------------------------------


@erases("matching")
def _erase(person: User, now: dt.datetime) -> None:
    """Open posts are withdrawn (helpers already scheduled are told, their activities cancelled),
    the person's own matches still to come end, and what the person wrote is blanked: a need's
    address and note, an offer's note and times. Matches that happened stay, as the other side's
    record and the plan's count."""
    for offer in Offer.objects.filter(person=person, status=Offer.Status.OPEN).order_by("pk"):
        posts.offer_withdraw(offer=offer)
    for need in Need.objects.filter(requester=person, status__in=posts.WITHDRAWABLE).order_by("pk"):
        posts.need_withdraw(need=need, actor=person)
    for match in Match.objects.filter(volunteer=person, status__in=Match.ACTIVE).order_by("pk"):
        posts.match_cancel_for_volunteer(match=match, reason="volunteer erased")
    Offer.objects.filter(person=person).update(note="", weekly_availability=[], specific_dates=[])
    Need.objects.filter(requester=person).update(address="", note="")
    # A requester was told the helper's name ("山田さんが…"): that line of their inbox goes.
    helped = list(Match.objects.filter(volunteer=person).values_list("pk", flat=True))
    Notification.objects.filter(data__match_id__in=helped).exclude(user=person).update(body="")


@retains("matching.need_addresses")
def _need_addresses(now: dt.datetime) -> int:
    return posts.need_addresses_forget(now=now)
