"""Activities and participation. The participation issue adds slots, waitlists and check-in;
matching schedules accepted matches here (events never imports matching)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory, Organisation


class Activity(models.Model):
    """Something that happens at a time and place: an organisation's event, or a one-off
    activity for an individual's need."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        ONE_OFF = "one_off", _("One-off activity for a need")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    school_district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    # Who scheduled it and why, as a stable key ("need-window:42"), so scheduling is idempotent.
    source_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField()

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


class Participation(models.Model):
    """One person at one activity."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField()
    source_key = models.CharField(max_length=64, blank=True, help_text="What registered it, e.g. match:7.")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participation_once_per_activity")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"
