"""The register of people who need help to evacuate (避難行動要支援者): a resident enters their own
needs in the app, and local supporters (民生委員, 自主防災組織) read the entries of their areas —
with consent in normal times, without it in a declared disaster — each read recorded with who,
when, whom and why, in the same transaction as the answer."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.errors import required_reason
from disaster import errors
from disaster.models import EvacuationSupport, SupportNeed, SupportRegisterRead
from disaster.selectors import SupportEntry, support_register_for
from volunteer.models import User


def evacuation_support_set(
    *, person: User, needs: list[str], note: str, now: dt.datetime | None = None
) -> EvacuationSupport:
    if not needs or not set(needs) <= set(SupportNeed.values):
        raise errors.SupportNeedsRequired()
    support, _ = EvacuationSupport.objects.update_or_create(
        person=person,
        defaults={"needs": sorted(set(needs)), "note": note.strip(), "updated_at": now or timezone.now()},
    )
    return support


def evacuation_support_remove(*, person: User) -> int:
    deleted, _ = EvacuationSupport.objects.filter(person=person).delete()
    return deleted


def support_register_read(*, reader: User, reason: str, now: dt.datetime | None = None) -> list[SupportEntry]:
    """What the reader may see now, each entry's read recorded (nothing is shown unrecorded)."""
    reason, now = required_reason(reason), now or timezone.now()
    with transaction.atomic():
        entries = support_register_for(reader=reader, at=now)
        SupportRegisterRead.objects.bulk_create(
            SupportRegisterRead(
                reader=reader,
                person_id=e.support.person_id,
                read_at=now,
                reason=reason,
                disaster_id=e.disaster_id,
            )
            for e in entries
        )
    return entries
