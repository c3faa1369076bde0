"""Writes to activities and participation. Other apps call these names from here."""

from events.services.activities import (
    activity_schedule,
    event_cancel,
    event_create,
    event_register,
    event_series_create,
    event_series_update,
    event_update,
    participation_cancel,
    participation_register,
    waitlist_offers_expire,
)
from events.services.attendance import (
    checkin_by_resident_token,
    checkin_by_venue_token,
    checkin_manual,
    checkin_record,
    checkin_resident_token,
    checkin_venue_token,
    checkouts_close_forgotten,
    participation_verify,
)

__all__ = [
    "activity_schedule",
    "checkin_by_resident_token",
    "checkin_by_venue_token",
    "checkin_manual",
    "checkin_record",
    "checkin_resident_token",
    "checkin_venue_token",
    "checkouts_close_forgotten",
    "event_cancel",
    "event_create",
    "event_register",
    "event_series_create",
    "event_series_update",
    "event_update",
    "participation_cancel",
    "participation_register",
    "participation_verify",
    "waitlist_offers_expire",
]
