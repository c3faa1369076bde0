"""What the matching app holds about a person (core.personal_data)."""

from core.personal_data import holds
from matching.models import AddressRelease, Match, MatchDecision, Need, NeedWindow, Offer

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
