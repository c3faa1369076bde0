"""People, organisations, skills, qualifications and staff roles."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel
from core.privacy import GuardedQuerySet
from plan_registry.models import Area


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> GuardedQuerySet["User"]:
        """Bulk writes of people pass the individual-number door too (core.privacy)."""
        return GuardedQuerySet(self.model, using=self._db)

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class Skill(GuardedModel):
    """Something a helper can do or has (手話, 運転, 調理 …)."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ActivityCategory(GuardedModel):
    """A kind of activity (傾聴, 見守り, 子育て支援 …): a resident's interests and a need's category."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: a resident, and possibly staff. Signs in by email; profile fields live here."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"password"})

    username = None  # type: ignore[assignment]  # (email is the login)
    first_name = None  # type: ignore[assignment]  # (one display name instead)
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    school_district = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
        limit_choices_to={"kind": Area.Kind.SCHOOL_DISTRICT},
        verbose_name=_("school district"),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="residents", verbose_name=_("skills"))
    interests = models.ManyToManyField(
        ActivityCategory, blank=True, related_name="residents", verbose_name=_("interests")
    )
    weekly_availability = models.JSONField(
        _("weekly availability"),
        default=list,
        blank=True,
        help_text=_('JSON, e.g. [{"weekday": 1, "start": "09:00", "end": "12:00"}]; weekday 0 is Monday.'),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    notification_preferences = models.JSONField(_("notification preferences"), default=dict, blank=True)
    is_demo = models.BooleanField(_("is demo"), default=False, help_text=_("Generated for the demo city."))
    # 利用停止: the person asked that their data not be used (no matching, no notifications sent,
    # not listed to staff) until they lift it. Erased: only a tombstone is left (rights.py).
    use_suspended_at = models.DateTimeField(_("use suspended at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # (replaces the username-based manager)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def has_any_role(self, *roles: str) -> bool:
        """Staff roles held (an administrator is also any superuser); asked by core.access."""
        if self.is_superuser and StaffRole.Role.ADMINISTRATOR in roles:
            return True
        return StaffRole.objects.filter(user=self, role__in=roles).exists()


class Consent(GuardedModel):
    """A resident's consent to one version of one document, from when it was given until it was
    withdrawn (if it was). Every change is kept: a new version, or consent given again after a
    withdrawal, is a new row; a withdrawal only ever sets `withdrawn_at` once."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy policy")
        DATA_SHARING = "data_sharing", _("Sharing my activity with organisers")
        GUARDIAN = "guardian", _("A guardian's consent to activities (under 18)")
        # 避難行動要支援者: in normal times the register reaches 民生委員 and 自主防災組織 only with
        # the person's consent (in a declared disaster, without: disaster.selectors).
        SUPPORT_REGISTER = "support_register", _("Sharing my evacuation support needs with local supporters")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    document = models.CharField(_("document"), max_length=16, choices=Document.choices)
    version = models.CharField(_("version"), max_length=32)
    consented_at = models.DateTimeField(_("consented at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["user", "document", "-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_once_per_version",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("consented_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.version}"


class Organisation(GuardedModel):
    """A receiving organisation (受け入れ団体): applies, and acts only once approved."""

    class Kind(models.TextChoices):
        VOLUNTEER_CENTRE = "volunteer_centre", _("Volunteer centre")
        SCHOOL_DISTRICT_COUNCIL = "school_district_council", _("School-district social welfare council")
        NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", _("Neighbourhood association")
        NPO = "npo", _("NPO")
        CARE_FACILITY = "care_facility", _("Care facility")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("area")
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_care_host = models.BooleanField(
        _("is care host"),
        default=False,
        help_text=_(
            "Registered as a receiving institution of the care insurance supporter points "
            "(care facilities only)."
        ),
    )
    applied_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("applied by")
    )
    applied_at = models.DateTimeField(_("applied at"))
    coordinators_notified_at = models.DateTimeField(_("coordinators notified at"), null=True, blank=True)
    is_demo = models.BooleanField(_("is demo"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_care_host=False) | Q(kind="care_facility"),
                name="organisation_only_care_facilities_host",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationDecision(GuardedModel):
    """Every staff decision on an organisation, with who, when and why. Append-only."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        SUSPEND = "suspend", _("Suspended")
        SET_CARE_HOST = "set_care_host", _("Registered as a care host")
        UNSET_CARE_HOST = "unset_care_host", _("Care host registration withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("organisation")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("organisation decision")
        verbose_name_plural = _("organisation decisions")
        ordering = ["organisation", "decided_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.action}"


class OrganisationMembership(GuardedModel):
    """A person who acts for an organisation (organisation staff)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation administrator")
        STAFF = "staff", _("Organisation staff")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("organisation staff member")
        verbose_name_plural = _("organisation staff members")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class StaffRole(GuardedModel):
    """A city-side role. Coordinators are scoped to areas (a ward covers everything below it)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Volunteer-centre coordinator")
        PLAN_OFFICE = "plan_office", _("Plan office")
        ADMINISTRATOR = "administrator", _("Administrator")
        # Disaster mode (the disaster app): the headquarters declares and sees every shelter;
        # shelter and centre staff work in their areas; 民生委員 and 自主防災組織 see the people
        # who need help to evacuate in their areas (with consent, or in a declared disaster).
        DISASTER_OFFICE = "disaster_office", _("Disaster headquarters")
        SHELTER_STAFF = "shelter_staff", _("Shelter staff")
        CENTRE_STAFF = "centre_staff", _("Disaster volunteer centre staff")
        WELFARE_COMMISSIONER = "welfare_commissioner", _("Welfare commissioner")
        DISASTER_PREVENTION = "disaster_prevention", _("Voluntary disaster prevention group")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("staff member")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="staff_roles", verbose_name=_("areas covered")
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class QualificationType(GuardedModel):
    """A training, an insurance or a licence that needs can require."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Completed training")
        INSURANCE = "insurance", _("Volunteer activity insurance")
        LICENCE = "licence", _("Licence")

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_for_days = models.PositiveIntegerField(
        _("valid for days"),
        null=True,
        blank=True,
        help_text=_("Empty: does not expire (insurance runs to the fiscal year's end)."),
    )

    class Meta:
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Qualification(GuardedModel):
    """A resident holds a qualification from a date, until an expiry (or for good)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("person")
    )
    qualification_type = models.ForeignKey(
        QualificationType, on_delete=models.PROTECT, verbose_name=_("qualification type")
    )
    obtained_on = models.DateField(_("obtained on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source = models.CharField(_("granted by"), max_length=200, blank=True, help_text=_("What granted it."))

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["user", "qualification_type", "-obtained_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("obtained_on")),
                name="qualification_expires_after_obtained",
            ),
            models.UniqueConstraint(
                fields=["user", "qualification_type", "obtained_on"], name="qualification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification_type} ({self.obtained_on})"


class Notification(GuardedModel):
    """A message to a person, stored for the app's inbox and delivered through channels."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=48)
    title = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The business event it announces ("match:7:confirmed"): a retried task never notifies twice.
    dedupe_key = models.CharField(_("dedupe key"), max_length=120)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class NotificationDelivery(GuardedModel):
    """One channel's attempt at one notification; unique so a redelivered task sends once."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        SKIPPED_PREFERENCE = "skipped_preference", _("Skipped: the person turned this channel off")
        SKIPPED_BUDGET = "skipped_budget", _("Skipped: daily budget reached")
        SKIPPED_NO_DEVICE = "skipped_no_device", _("Skipped: no registered device")
        SKIPPED_SUSPENDED = "skipped_suspended", _("Skipped: the person suspended the use of their data")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=16)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.outcome}"


class Device(GuardedModel):
    """A phone registered for push notifications."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"token"})

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices", verbose_name=_("person"))
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    token = models.CharField(_("token"), max_length=400, unique=True)
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.platform} device of {self.user_id}"


class VerifiedIdentity(GuardedModel):
    """A resident's identity as an OpenID Connect provider verified it with the My Number card.
    Only what the rules need is kept: the provider's subject, the assurance level, when, and the
    verified birth date (the care scheme's age) and name (rewards' hand-over). Never the
    individual number. One identity links to one account."""

    person = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="verified_identity", verbose_name=_("person")
    )
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.CharField(_("subject identifier"), max_length=255)
    assurance_level = models.CharField(
        _("assurance level"), max_length=200, blank=True, help_text=_("The ID token's acr.")
    )
    verified_at = models.DateTimeField(_("verified at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    name = models.CharField(_("verified name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verified identity")
        verbose_name_plural = _("verified identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="verified_identity_one_account_each")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.assurance_level or 'verified'})"


class IdentityVerificationAttempt(GuardedModel):
    """One authorization request: its state (single use), nonce and PKCE verifier, so that the
    provider's answer, which arrives in a browser without the app's session, finds its resident."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"state", "nonce", "code_verifier"})

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identity_attempts", verbose_name=_("person")
    )
    state = models.CharField(_("state"), max_length=64, unique=True)
    nonce = models.CharField(_("nonce"), max_length=64)
    code_verifier = models.CharField(_("code verifier"), max_length=128)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("identity verification attempt")
        verbose_name_plural = _("identity verification attempts")

    def __str__(self) -> str:
        return f"{self.person} {self.created_at:%Y-%m-%d %H:%M} {self.outcome or 'pending'}"


class IdentityEvent(GuardedModel):
    """Every link, unlink, refusal and use of a verified identity. Append-only."""

    class Action(models.TextChoices):
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Unlinked")
        REFUSED = "refused", _("Refused")
        USED = "used", _("Used")

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identity_events", verbose_name=_("person")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    purpose = models.CharField(
        _("purpose"), max_length=64, blank=True, help_text=_("For a use: e.g. care_conversion.")
    )
    code = models.CharField(
        _("code"), max_length=64, blank=True, help_text=_("For a refusal: its error code.")
    )
    assurance_level = models.CharField(_("assurance level"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("identity event")
        verbose_name_plural = _("identity events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.action} {self.purpose or self.code}"


class RightsRequest(GuardedModel):
    """A person exercising a right over their data (APPI as it applies to local governments):
    disclosure (an export), erasure, and suspension of use (利用停止) and its lifting. Kept for the
    audit: who asked, when, and which member of staff acted for a request received on paper, with
    why."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Disclosure (export)")
        ERASURE = "erasure", _("Erasure")
        SUSPENSION = "suspension", _("Suspension of use")
        SUSPENSION_LIFTED = "suspension_lifted", _("Suspension of use lifted")

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="rights_requests", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_at = models.DateTimeField(_("requested at"))
    handled_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a request on paper: the member of staff who acted for it."),
        verbose_name=_("handled by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
