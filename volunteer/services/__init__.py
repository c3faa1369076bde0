"""Every change to people, organisations, qualifications and notifications goes through these
functions. Other code calls these names from here."""

from volunteer.services.deferred import deferred_sweep
from volunteer.services.notifications import (
    device_register,
    device_remove,
    notification_deliver,
    notification_mark_read,
    notification_send,
)
from volunteer.services.organisations import (
    organisation_application_notify,
    organisation_apply,
    organisation_approve,
    organisation_reject,
    organisation_set_care_host,
)
from volunteer.services.people import (
    ConsentInput,
    ProfileChanges,
    catalogue_load,
    consent_record,
    profile_update,
    qualification_grant,
)

__all__ = [
    "ConsentInput",
    "ProfileChanges",
    "catalogue_load",
    "consent_record",
    "deferred_sweep",
    "device_register",
    "device_remove",
    "notification_deliver",
    "notification_mark_read",
    "notification_send",
    "organisation_application_notify",
    "organisation_apply",
    "organisation_approve",
    "organisation_reject",
    "organisation_set_care_host",
    "profile_update",
    "qualification_grant",
]
