"""Changes to a person: profile, consents, qualifications; and the catalogue of skills and categories."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.changes import UNCHANGED, Unchanged, changed_fields
from plan_registry.fiscal_year import fiscal_year_of_date
from plan_registry.models import Area
from volunteer import errors, selectors
from volunteer.catalogue import Catalogue, CatalogueEntry
from volunteer.models import (
    ActivityCategory,
    Consent,
    Qualification,
    QualificationType,
    Skill,
    User,
)


@dataclass(frozen=True)
class ConsentInput:
    document: str
    version: str


@dataclass(frozen=True)
class ProfileChanges:
    """What a person changes of their profile; a field left UNCHANGED is kept."""

    display_name: str | Unchanged = UNCHANGED
    birth_date: dt.date | Unchanged | None = UNCHANGED
    school_district: Area | Unchanged | None = UNCHANGED
    weekly_availability: list[dict[str, Any]] | Unchanged = UNCHANGED
    languages: list[str] | Unchanged = UNCHANGED
    notification_preferences: dict[str, Any] | Unchanged = UNCHANGED
    skills: list[Skill] | Unchanged = UNCHANGED
    interests: list[ActivityCategory] | Unchanged = UNCHANGED


@transaction.atomic
def profile_update(*, user: User, changes: ProfileChanges, consents: Sequence[ConsentInput] = ()) -> User:
    """Sets the given (already validated) profile fields and records the consents given."""
    fields = changed_fields(changes)
    related = {name: fields.pop(name) for name in ("skills", "interests") if name in fields}
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    for name, values in related.items():
        getattr(user, name).set(values)
    for consent in consents:
        consent_record(user=user, document=consent.document, version=consent.version)
    return user


def consent_record(*, user: User, document: str, version: str) -> Consent:
    """Records consent to a version; consenting again to the same version keeps the first time
    (consenting again after a withdrawal is a new row, so both periods are kept)."""
    consent, _created = Consent.objects.get_or_create(
        user=user,
        document=document,
        version=version,
        withdrawn_at__isnull=True,
        defaults={"consented_at": timezone.now()},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, document: str) -> int:
    """Withdraws consent to every version of the document. Its effect: without the terms or the
    privacy policy the person cannot post, be matched or verify their identity, and their open
    posts wait (unmatched) until they agree again; without a guardian's consent a minor cannot
    register for activities. Returns how many consents were withdrawn (0: none was in force)."""
    return Consent.objects.filter(user=user, document=document, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def consent_require(*, person: User) -> None:
    """Refuses what needs the current terms and privacy policy (posting, being matched,
    identity verification) and what a suspension of use (利用停止) stops."""
    if person.use_suspended_at is not None:
        raise errors.UseSuspended()
    if selectors.consents_missing(person=person):
        raise errors.ConsentRequired()


def qualification_grant(
    *, user: User, qualification_type: QualificationType, obtained_on: dt.date, source: str
) -> Qualification:
    """Grants a qualification. Insurance covers the fiscal year it was taken out in."""
    if qualification_type.kind == QualificationType.Kind.INSURANCE:
        expires_on: dt.date | None = fiscal_year_of_date(obtained_on).last_day
    elif qualification_type.valid_for_days:
        expires_on = obtained_on + dt.timedelta(days=qualification_type.valid_for_days)
    else:
        expires_on = None
    qualification, _created = Qualification.objects.get_or_create(
        user=user,
        qualification_type=qualification_type,
        obtained_on=obtained_on,
        defaults={"expires_on": expires_on, "source": source},
    )
    return qualification


@transaction.atomic
def catalogue_load(*, catalogue: Catalogue) -> int:
    """Creates or renames catalogue entries by code; returns how many rows it wrote."""
    written = 0
    for entry in catalogue.skills:
        written += _catalogue_upsert(Skill, entry, {})
    for entry in catalogue.categories:
        written += _catalogue_upsert(ActivityCategory, entry, {})
    for entry in catalogue.qualification_types:
        written += _catalogue_upsert(
            QualificationType, entry, {"kind": entry.kind, "valid_for_days": entry.valid_for_days}
        )
    return written


def _catalogue_upsert(model: Any, entry: CatalogueEntry, extra: dict[str, Any]) -> int:
    values = {"name": entry.name, "name_en": entry.name_en, **extra}
    current = model.objects.filter(code=entry.code).values(*values).first()
    if current == values:
        return 0
    model.objects.update_or_create(code=entry.code, defaults=values)
    return 1
