"""Activities and participation: registration, check-in and check-out, verification.
Matching schedules accepted matches here (events never imports matching)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel
from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory, Organisation, QualificationType


class EventSeries(GuardedModel):
    """A recurring event (a weekly salon): a recurrence rule and the fields its occurrences copy.
    Occurrences are rows of their own; changing the series changes only those still to come."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="event_series", verbose_name=_("organisation")
    )
    rule = models.CharField(
        _("recurrence rule"),
        max_length=200,
        help_text=_("RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=12."),
    )
    first_starts_at = models.DateTimeField(_("first starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration minutes"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return f"{self.rule} from {self.first_starts_at:%Y-%m-%d}"


class Activity(GuardedModel):
    """Something that happens at a time and place: an organisation's event, or a one-off
    activity for an individual's need."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        ONE_OFF = "one_off", _("One-off activity for a need")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        ActivityCategory, on_delete=models.PROTECT, related_name="activities", verbose_name=_("category")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("programme"),
    )
    school_district = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("school district")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    min_age = models.PositiveSmallIntegerField(_("min age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("max age"), null=True, blank=True)
    grants_qualification = models.ForeignKey(
        QualificationType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A training: verified attendance grants this qualification."),
        verbose_name=_("grants qualification"),
    )
    series = models.ForeignKey(
        EventSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
        verbose_name=_("event series"),
    )
    # Who scheduled it and why, as a stable key ("need-window:42"), so scheduling is idempotent.
    source_key = models.CharField(_("source key"), max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"


class Participation(GuardedModel):
    """One person at one activity: registered, checked in and out, verified by the organiser.

    Only verified participation counts for points, certificates and indicators.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("A freed place is held for you")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="participations", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField(_("registered at"))
    source_key = models.CharField(
        _("source key"), max_length=64, blank=True, help_text=_("What registered it, e.g. match:7.")
    )
    offer_expires_at = models.DateTimeField(
        _("offer expires at"),
        null=True,
        blank=True,
        help_text=_("A freed place held for someone from the waiting list until then."),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checked_out_automatically = models.BooleanField(
        _("checked out automatically"),
        default=False,
        help_text=_("The person forgot to check out; closed at the activity's end."),
    )
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    minutes_reason = models.TextField(
        _("minutes reason"), blank=True, help_text=_("Why staff set the minutes by hand.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participation_once_per_activity"),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(minutes__isnull=False),
                name="participation_verified_has_minutes",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="participation_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class CheckIn(GuardedModel):
    """One scan or manual entry, in or out. One per participation and direction: a repeated scan
    finds this row and answers with it. Append-only."""

    # Filled by the service (hashes, keys, tokens), never typed by a person: see core.privacy.
    individual_number_exempt: ClassVar[frozenset[str]] = frozenset({"token_id"})

    class Direction(models.TextChoices):
        IN = "in", _("Check-in")
        OUT = "out", _("Check-out")

    class Method(models.TextChoices):
        VENUE_QR = "venue_qr", _("Resident scanned the venue's code")
        RESIDENT_QR = "resident_qr", _("Staff scanned the resident's code")
        MANUAL = "manual", _("Entered by staff")
        AUTOMATIC = "automatic", _("Closed at the activity's end")

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("participation")
    )
    # The participation's activity and person again, so a repeated scan is found with one indexed
    # read, and the database itself holds one check-in per person, event and direction.
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="+", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    at = models.DateTimeField(_("at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    # A resident's own code is good for one scan: its id is kept, so a copy cannot be used again.
    token_id = models.CharField(_("token id"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["participation", "at"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "direction"], name="checkin_once_per_direction"),
            models.UniqueConstraint(
                fields=["activity", "person", "direction"], name="checkin_once_per_person_event_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} {self.direction} {self.at:%H:%M}"


class CalendarFeed(GuardedModel):
    """A person's calendar subscription: their activities at a secret address a calendar app polls
    without signing in. Only the token's SHA-256 is kept, so a leaked database opens no feed;
    the address is shown once, when made, and a new one revokes the old."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.person_id}"
