"""What the volunteer app holds about a person, how it forgets when the person is erased, and
what it forgets on the retention schedule (core.personal_data)."""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from core.models import IdempotencyKey
from core.personal_data import erases, holds, retains
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
from volunteer.services.identity import identity_attempts_purge

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
holds(EmailAddress, "user", why="the e-mail addresses the person signs in with")
holds(UserSession, "user", why="where and on what the person is signed in", hidden=("session_key",))
holds(SocialAccount, "user", why="the identity provider's account linked for verification")


# --- how the volunteer app forgets -----------------------------------------------------------


@erases("volunteer")
def _erase(person: User, now: dt.datetime) -> None:
    """The person's own records go; what others decided about them (organisation decisions,
    identity events, rights requests, consents given) stays, for the audit, holding no value."""
    Notification.objects.filter(user=person).delete()  # and their deliveries
    Device.objects.filter(user=person).delete()
    Qualification.objects.filter(user=person).delete()
    VerifiedIdentity.objects.filter(person=person).delete()
    IdentityVerificationAttempt.objects.filter(person=person).delete()
    OrganisationMembership.objects.filter(user=person).delete()
    StaffRole.objects.filter(user=person).delete()
    IdempotencyKey.objects.filter(user=person).delete()  # stored answers carry the profile
    EmailAddress.objects.filter(user=person).delete()
    SocialAccount.objects.filter(user=person).delete()
    for session in UserSession.objects.filter(user=person):
        session.end()  # the app's session token and the browser's session both die
    UserSession.objects.filter(user=person).delete()
    # The staff site's history names the person in its label ("山田花子"): the label goes.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(object_repr="")


@retains("volunteer.notifications")
def _notifications(now: dt.datetime) -> int:
    cutoff = now - dt.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@retains("volunteer.devices")
def _devices(now: dt.datetime) -> int:
    """A phone's token not registered again for this long is stale (the app registers on each
    launch): no push reaches it, and it says where the person's phone was."""
    cutoff = now - dt.timedelta(days=settings.DEVICE_TOKEN_RETENTION_DAYS)
    deleted, _ = Device.objects.filter(registered_at__lt=cutoff).delete()
    return deleted


@retains("volunteer.identities")
def _expired_identities(now: dt.datetime) -> int:
    """A verified identity past its expiry no longer serves a rule: its name and birth date go
    (the link, its level and dates stay, so the profile can say it expired)."""
    cutoff = now - dt.timedelta(days=settings.IDENTITY_DATA_RETENTION_DAYS)
    expired = VerifiedIdentity.objects.filter(expires_at__lt=cutoff).exclude(name="", birth_date=None)
    return expired.update(name="", birth_date=None)


@retains("volunteer.identity_attempts")
def _identity_attempts(now: dt.datetime) -> int:
    return identity_attempts_purge(now=now)


@retains("volunteer.audit")
def _audit(now: dt.datetime) -> int:
    """The audit's own records, after their own period."""
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted = RightsRequest.objects.filter(requested_at__lt=cutoff).delete()[0]
    deleted += IdentityEvent.objects.filter(at__lt=cutoff).delete()[0]
    return deleted
