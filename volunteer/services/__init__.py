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
    consent_require,
    consent_withdraw,
    profile_update,
    qualification_grant,
)
from volunteer.services.rights import person_erase, personal_data_export, use_resume, use_suspend

__all__ = [
    "ConsentInput",
    "ProfileChanges",
    "catalogue_load",
    "consent_record",
    "consent_require",
    "consent_withdraw",
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
    "person_erase",
    "personal_data_export",
    "profile_update",
    "qualification_grant",
    "use_resume",
    "use_suspend",
]
