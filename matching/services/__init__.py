"""Writes to offers, needs and matches. Other apps call these names from here."""

from matching.services.decisions import (
    match_accept,
    match_confirm,
    match_create_manual,
    match_decline,
    match_reject,
    match_schedule,
)
from matching.services.posts import (
    NeedChanges,
    NeedTerms,
    OfferChanges,
    OfferTerms,
    need_create,
    need_update,
    need_withdraw,
    offer_create,
    offer_update,
    offer_withdraw,
    posts_expire,
)
from matching.services.runs import matching_request_enqueue, matching_request_process, matching_sweep

__all__ = [
    "NeedChanges",
    "NeedTerms",
    "OfferChanges",
    "OfferTerms",
    "match_accept",
    "match_confirm",
    "match_create_manual",
    "match_decline",
    "match_reject",
    "match_schedule",
    "matching_request_enqueue",
    "matching_request_process",
    "matching_sweep",
    "need_create",
    "need_update",
    "need_withdraw",
    "offer_create",
    "offer_update",
    "offer_withdraw",
    "posts_expire",
]
