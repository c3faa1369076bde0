"""What the volunteer app holds about a person (core.personal_data)."""

from core.personal_data import holds
from volunteer.models import (
    Consent,
    Device,
    IdentityEvent,
    IdentityVerificationAttempt,
    Notification,
    NotificationDelivery,
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    Qualification,
    RightsRequest,
    StaffRole,
    User,
    VerifiedIdentity,
)

holds(User, "pk", why="the account: sign-in, profile, matching preferences", hidden=("password",))
holds(User.skills.through, "user", why="skills offered, for matching")
holds(User.interests.through, "user", why="activities of interest, for matching")
holds(Consent, "user", why="consents given, and to which version")
holds(Qualification, "user", why="qualifications held, for needs that require them")
holds(Notification, "user", why="what the service told the person")
holds(NotificationDelivery, "notification__user", why="how each notification was delivered")
holds(Device, "user", why="devices that receive push notifications")
holds(VerifiedIdentity, "person", why="identity verified with the My Number card (name, birth date)")
holds(IdentityVerificationAttempt, "person", why="verifications begun, kept until they are purged")
holds(IdentityEvent, "person", why="every link, refusal and use of the verified identity")
holds(Organisation, "applied_by", why="organisations the person applied for")
holds(
    OrganisationDecision,
    "organisation__applied_by",
    "decided_by",
    why="staff decisions on those applications, and decisions the person took as staff",
)
holds(OrganisationMembership, "user", why="organisations the person acts for")
holds(StaffRole, "user", why="staff roles held")
holds(
    RightsRequest, "person", "handled_by", why="rights the person exercised; requests they handled as staff"
)
