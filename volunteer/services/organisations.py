"""Organisations apply, and coordinators of their area decide: approve, reject, register as a
care host. Every decision is recorded with who, when and why."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deferred import publish_after_commit
from core.duties import refuse_own_case
from core.errors import required_reason
from plan_registry.models import Area
from volunteer import errors, selectors, tasks
from volunteer.models import (
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    User,
)


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
    publish_after_commit(tasks.organisation_application_notify_task, organisation.pk)
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


def organisation_set_care_host(
    *, organisation: Organisation, staff: User, is_care_host: bool, reason: str
) -> Organisation:
    """Registers (or withdraws) a care facility as a 受け入れ機関 for 介護保険サポーターポイント."""
    _refuse_unless_staff_for(organisation=organisation, staff=staff)
    with transaction.atomic():
        return _set_care_host(organisation, staff=staff, is_care_host=is_care_host, reason=reason)


def _set_care_host(
    organisation: Organisation, *, staff: User, is_care_host: bool, reason: str
) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
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


def _organisation_decide(
    *, organisation: Organisation, staff: User, action: str, status: str, reason: str
) -> Organisation:
    _refuse_unless_staff_for(organisation=organisation, staff=staff)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status != Organisation.Status.APPLIED:
            raise errors.OrganisationAlreadyDecided()
        locked.status = status
        locked.save(update_fields=["status"])
        _decision_record(organisation=locked, staff=staff, action=action, reason=reason)
    return locked


def _refuse_unless_staff_for(*, organisation: Organisation, staff: User) -> None:
    """Decided only by a member of staff who covers its area and is not one of its own: neither
    its applicant nor one of its members decides on it (nor on its care-host status)."""
    if organisation.area_id not in selectors.staff_area_ids(user=staff):
        raise errors.NotStaffForArea()
    members = OrganisationMembership.objects.filter(organisation=organisation).values_list(
        "user_id", flat=True
    )
    refuse_own_case(staff=staff, party_ids=[organisation.applied_by_id, *members], subject=organisation)


def _decision_record(*, organisation: Organisation, staff: User, action: str, reason: str) -> None:
    OrganisationDecision.objects.create(
        organisation=organisation, action=action, decided_by=staff, decided_at=timezone.now(), reason=reason
    )
