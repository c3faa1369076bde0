"""Check-in codes, signed with HMAC-SHA256 (pure: no Django).

- The venue code names an activity and a time window of `period` seconds; the organiser's screen
  shows a new one every window, and a code is accepted in its own window and the next, so a code
  photographed and sent to someone at home stops working within two windows.
- A resident's own code names the person, an expiry a few minutes ahead and a random id; staff
  scan it once (the service keeps the id, so a copy cannot check in anyone again).

A code is `v1.<kind>.<fields>.<mac>`, short enough for a small QR code; the MAC covers everything
before it, so a changed field or a code made with another key is refused.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

VERSION = "v1"
VENUE, RESIDENT = "v", "r"


class TokenRefused(Exception):
    """`code` is `token_invalid` (malformed or forged) or `token_expired`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class VenueToken:
    activity_id: int
    window: int


@dataclass(frozen=True)
class ResidentToken:
    person_id: int
    token_id: str
    expires_at: dt.datetime


def window_of(*, at: dt.datetime, period: int) -> int:
    return int(at.timestamp()) // period


def venue_token_make(*, key: bytes, activity_id: int, at: dt.datetime, period: int) -> str:
    return _signed(key, f"{VERSION}.{VENUE}.{activity_id}.{window_of(at=at, period=period)}")


def venue_token_read(*, key: bytes, token: str, at: dt.datetime, period: int) -> VenueToken:
    fields = _verified(key, token, VENUE, count=2)
    venue = VenueToken(activity_id=fields[0], window=fields[1])
    current = window_of(at=at, period=period)
    if not current - 1 <= venue.window <= current:
        raise TokenRefused("token_expired")
    return venue


def resident_token_make(*, key: bytes, person_id: int, at: dt.datetime, lifetime: int) -> str:
    expires = int(at.timestamp()) + lifetime
    return _signed(key, f"{VERSION}.{RESIDENT}.{person_id}.{expires}.{secrets.token_hex(8)}")


def resident_token_read(*, key: bytes, token: str, at: dt.datetime) -> ResidentToken:
    parts = token.split(".")
    fields = _verified(key, token, RESIDENT, count=3, last_is_text=True)
    expires_at = dt.datetime.fromtimestamp(fields[1], tz=dt.UTC)
    if at >= expires_at:
        raise TokenRefused("token_expired")
    return ResidentToken(person_id=fields[0], token_id=parts[4], expires_at=expires_at)


def _signed(key: bytes, body: str) -> str:
    return f"{body}.{_mac(key, body)}"


def _mac(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _verified(key: bytes, token: str, kind: str, count: int, last_is_text: bool = False) -> list[int]:
    """The integer fields of a well-formed token of this kind with a good MAC."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != count + 3 or parts[0] != VERSION or parts[1] != kind:
        raise TokenRefused("token_invalid")
    body = ".".join(parts[:-1])
    if not hmac.compare_digest(_mac(key, body), parts[-1]):
        raise TokenRefused("token_invalid")
    numbers = parts[2 : 2 + count - (1 if last_is_text else 0)]
    if not all(number.isdigit() for number in numbers):
        raise TokenRefused("token_invalid")
    return [int(number) for number in numbers]
