"""Every change to people, organisations and qualifications goes through these functions."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import required_reason
from plan_registry.fiscal_year import fiscal_year_of_date
from plan_registry.models import Area
from volunteer import errors, notifications, selectors, tasks
from volunteer.catalogue import Catalogue, CatalogueEntry
from volunteer.models import (
    ActivityCategory,
    Consent,
    Device,
    Notification,
    NotificationDelivery,
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    Qualification,
    QualificationType,
    Skill,
    User,
)

PROFILE_FIELDS = (
    "display_name",
    "birth_date",
    "school_district",
    "weekly_availability",
    "languages",
    "notification_preferences",
)


@dataclass(frozen=True)
class ConsentInput:
    document: str
    version: str


@transaction.atomic
def profile_update(
    *,
    user: User,
    fields: dict[str, Any],
    skills: list[Skill] | None = None,
    interests: list[ActivityCategory] | None = None,
    consents: list[ConsentInput] | None = None,
) -> User:
    """Sets the given (already validated) profile fields; omitted ones stay as they are."""
    changed = [name for name in PROFILE_FIELDS if name in fields]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    if skills is not None:
        user.skills.set(skills)
    if interests is not None:
        user.interests.set(interests)
    for consent in consents or []:
        consent_record(user=user, document=consent.document, version=consent.version)
    return user


def consent_record(*, user: User, document: str, version: str) -> Consent:
    """Records consent to a version; consenting again to the same version keeps the first time."""
    consent, _created = Consent.objects.get_or_create(
        user=user, document=document, version=version, defaults={"consented_at": timezone.now()}
    )
    return consent


@transaction.atomic
def organisation_apply(
    *, user: User, name: str, kind: str, area: Area, description: str = "", contact_email: str = ""
) -> Organisation:
    """An organisation applies; the applicant becomes its administrator once it is approved."""
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        area=area,
        description=description,
        contact_email=contact_email,
        applied_by=user,
        applied_at=timezone.now(),
    )
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=OrganisationMembership.Role.ADMIN
    )
    transaction.on_commit(lambda: tasks.organisation_application_notify_task.delay(organisation.pk))
    return organisation


def organisation_application_notify(*, organisation_id: int) -> bool:
    """Tells the area's coordinators about a new application, once. True if it sent now."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().select_related("area").get(pk=organisation_id)
        if organisation.coordinators_notified_at is not None:
            return False
        recipients = list(
            selectors.coordinators_for_area(area=organisation.area).values_list("email", flat=True)
        )
        organisation.coordinators_notified_at = timezone.now()
        organisation.save(update_fields=["coordinators_notified_at"])
    # Sent after the commit: a failed send is retried by the task, and a crash between the
    # commit and the send loses one e-mail, never a double one (the application stays in the
    # coordinators' queue either way).
    if recipients:
        send_mail(
            subject=_("New organisation application: %(name)s") % {"name": organisation.name},
            message=_("%(name)s applied as a receiving organisation in %(area)s.")
            % {"name": organisation.name, "area": organisation.area.name},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    return True


def organisation_approve(*, organisation: Organisation, staff: User, reason: str = "") -> Organisation:
    return _organisation_decide(
        organisation=organisation,
        staff=staff,
        action=OrganisationDecision.Action.APPROVE,
        status=Organisation.Status.APPROVED,
        reason=reason,
    )


def organisation_reject(*, organisation: Organisation, staff: User, reason: str) -> Organisation:
    reason = required_reason(reason)
    return _organisation_decide(
        organisation=organisation,
        staff=staff,
        action=OrganisationDecision.Action.REJECT,
        status=Organisation.Status.REJECTED,
        reason=reason,
    )


@transaction.atomic
def organisation_set_care_host(
    *, organisation: Organisation, staff: User, is_care_host: bool, reason: str
) -> Organisation:
    """Registers (or withdraws) a care facility as a 受け入れ機関 for 介護保険サポーターポイント."""
    locked = _lock_for_staff(organisation=organisation, staff=staff)
    if is_care_host and (
        locked.kind != Organisation.Kind.CARE_FACILITY or locked.status != Organisation.Status.APPROVED
    ):
        raise errors.CareHostNeedsCareFacility()
    reason = required_reason(reason)
    locked.is_care_host = is_care_host
    locked.save(update_fields=["is_care_host"])
    action = (
        OrganisationDecision.Action.SET_CARE_HOST
        if is_care_host
        else OrganisationDecision.Action.UNSET_CARE_HOST
    )
    _decision_record(organisation=locked, staff=staff, action=action, reason=reason)
    return locked


@transaction.atomic
def _organisation_decide(
    *, organisation: Organisation, staff: User, action: str, status: str, reason: str
) -> Organisation:
    locked = _lock_for_staff(organisation=organisation, staff=staff)
    if locked.status != Organisation.Status.APPLIED:
        raise errors.OrganisationAlreadyDecided()
    locked.status = status
    locked.save(update_fields=["status"])
    _decision_record(organisation=locked, staff=staff, action=action, reason=reason)
    return locked


def _lock_for_staff(*, organisation: Organisation, staff: User) -> Organisation:
    if organisation.area_id not in selectors.staff_area_ids(user=staff):
        raise errors.NotStaffForArea()
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _decision_record(*, organisation: Organisation, staff: User, action: str, reason: str) -> None:
    OrganisationDecision.objects.create(
        organisation=organisation, action=action, decided_by=staff, decided_at=timezone.now(), reason=reason
    )


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


def notification_send(
    *, user: User, kind: str, title: str, body: str, dedupe_key: str, data: dict[str, Any] | None = None
) -> Notification:
    """Stores a notification once per business event and delivers it after the commit."""
    notification, created = Notification.objects.get_or_create(
        user=user,
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "title": title,
            "body": body,
            "data": data or {},
            "created_at": timezone.now(),
        },
    )
    if created:
        transaction.on_commit(lambda: tasks.notification_deliver_task.delay(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> list[str]:
    """Sends through each channel the person allows, within their daily budget.

    At most once per channel: the delivery row is committed before the send, so a crash after
    it loses that one message rather than sending it twice.
    """
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    outcomes = []
    for channel in ("email", "push"):
        with transaction.atomic():
            User.objects.select_for_update().get(pk=notification.user_id)  # serialises the budget count
            if NotificationDelivery.objects.filter(notification=notification, channel=channel).exists():
                continue
            outcome = _delivery_outcome(notification, channel)
            NotificationDelivery.objects.create(
                notification=notification, channel=channel, outcome=outcome, at=timezone.now()
            )
        if outcome == NotificationDelivery.Outcome.SENT:
            _channel_send(notification, channel)
        outcomes.append(f"{channel}:{outcome}")
    return outcomes


def _delivery_outcome(notification: Notification, channel: str) -> str:
    preferences = notification.user.notification_preferences or {}
    if not preferences.get(channel, True):
        return NotificationDelivery.Outcome.SKIPPED_PREFERENCE
    if channel == "push" and not notification.user.devices.exists():
        return NotificationDelivery.Outcome.SKIPPED_NO_DEVICE
    day_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = (
        NotificationDelivery.objects.filter(
            notification__user=notification.user, outcome=NotificationDelivery.Outcome.SENT, at__gte=day_start
        )
        .exclude(notification=notification)
        .values("notification")
        .distinct()
        .count()
    )
    if sent_today >= settings.NOTIFICATION_DAILY_BUDGET:
        return NotificationDelivery.Outcome.SKIPPED_BUDGET
    return NotificationDelivery.Outcome.SENT


def _channel_send(notification: Notification, channel: str) -> None:
    if channel == "email":
        notifications.email_send(notification)
        return
    backend = notifications.push_backend()
    for device in notification.user.devices.all():
        backend.send(device=device, notification=notification)


def notification_mark_read(*, user: User, notification_ids: list[int]) -> int:
    return Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def device_register(*, user: User, platform: str, token: str) -> Device:
    """A token belongs to the phone: registering it again moves it to whoever signed in now."""
    device, _created = Device.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform, "registered_at": timezone.now()}
    )
    return device


def device_remove(*, user: User, device_id: int) -> bool:
    deleted, _by_model = Device.objects.filter(user=user, pk=device_id).delete()
    return deleted > 0
