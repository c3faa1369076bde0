"""Offers (したい), needs (してほしい), matches and the records around them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel
from plan_registry.models import Area
from volunteer.models import ActivityCategory, Organisation, QualificationType, Skill

MAX_HEADCOUNT = 50


class Reach(models.TextChoices):
    """How far a volunteer goes, or from how far a need accepts helpers (each includes the ones before)."""

    SAME_DISTRICT = "same_district", _("Own school district")
    NEIGHBOURS = "neighbours", _("Neighbouring school districts")
    WARD = "ward", _("The ward")
    CITY = "city", _("The whole city")


class Offer(GuardedModel):
    """したい: what a resident can do, where, when and how often."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    categories = models.ManyToManyField(ActivityCategory, related_name="offers")
    skills = models.ManyToManyField(Skill, blank=True, related_name="offers")
    school_district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    reach = models.CharField(max_length=16, choices=Reach.choices, default=Reach.NEIGHBOURS)
    weekly_availability = models.JSONField(default=list, blank=True)
    specific_dates = models.JSONField(default=list, blank=True)
    max_per_week = models.PositiveSmallIntegerField(default=1)
    max_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_until = models.DateField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "school_district"])]
        constraints = [
            models.CheckConstraint(condition=Q(max_per_week__gte=1), name="offer_capacity_positive")
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} by {self.person_id}"


class Need(GuardedModel):
    """してほしい: a request for help by a resident, or by organisation staff for their organisation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    class Urgency(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        SOON = 1, _("Soon")
        URGENT = 2, _("Urgent")

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="needs")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(max_length=120)
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="needs")
    required_skills = models.ManyToManyField(Skill, blank=True, related_name="needed_by")
    preferred_skills = models.ManyToManyField(Skill, blank=True, related_name="preferred_by")
    required_qualifications = models.ManyToManyField(QualificationType, blank=True, related_name="needs")
    required_languages = models.JSONField(default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    school_district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    # Shown to the volunteer only once the match is confirmed (selectors decide).
    address = models.CharField(max_length=300, blank=True)
    reach = models.CharField(max_length=16, choices=Reach.choices, default=Reach.NEIGHBOURS)
    headcount = models.PositiveSmallIntegerField(default=1)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NORMAL)
    valid_until = models.DateField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "school_district"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1, headcount__lte=MAX_HEADCOUNT), name="need_headcount_in_range"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="need_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NeedWindow(GuardedModel):
    """One time the helper is needed. A need's windows are all attended by the same helper."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        verbose_name = _("need time window")
        verbose_name_plural = _("need time windows")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="need_window_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Match(GuardedModel):
    """A pairing of a volunteer (through an offer, or by hand) and a need.

    proposed → confirmed by staff → scheduled once the volunteer has accepted too; or rejected
    (staff), declined (volunteer), cancelled (the need was withdrawn) or superseded (a later
    optimisation found a better pairing for an unconfirmed proposal).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed by staff")
        SCHEDULED = "scheduled", _("Scheduled")
        REJECTED = "rejected", _("Rejected by staff")
        DECLINED = "declined", _("Declined by the volunteer")
        CANCELLED = "cancelled", _("Cancelled")
        SUPERSEDED = "superseded", _("Superseded")

    class Source(models.TextChoices):
        ENGINE = "engine", _("Proposed by the matching engine")
        MANUAL = "manual", _("Matched by hand")

    ACTIVE = (Status.PROPOSED, Status.CONFIRMED, Status.SCHEDULED)

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="matches")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(max_length=8, choices=Source.choices)
    cost = models.IntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    run = models.ForeignKey("MatchingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["proposed_at", "pk"]
        indexes = [models.Index(fields=["status", "proposed_at"])]
        constraints = [
            # The database, not the workers, guarantees that nobody is double-booked: one open
            # proposal per volunteer, and one active match per volunteer and need.
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=Q(status="proposed"),
                name="match_one_open_proposal_per_volunteer",
            ),
            models.UniqueConstraint(
                fields=["need", "volunteer"],
                condition=Q(status__in=["proposed", "confirmed", "scheduled"]),
                name="match_one_active_per_need_and_volunteer",
            ),
        ]

    def __str__(self) -> str:
        return f"match {self.pk}: need {self.need_id} ← {self.volunteer_id} ({self.status})"


class MatchDecision(GuardedModel):
    """Every decision on a match: who, when, why. Append-only."""

    class Action(models.TextChoices):
        PROPOSE = "propose", _("Proposed")
        CONFIRM = "confirm", _("Confirmed")
        REJECT = "reject", _("Rejected")
        MANUAL = "manual", _("Matched by hand")
        ACCEPT = "accept", _("Accepted")
        DECLINE = "decline", _("Declined")
        CANCEL = "cancel", _("Cancelled")
        SUPERSEDE = "supersede", _("Superseded")

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        ordering = ["match", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.match_id} {self.action}"


class AddressRelease(GuardedModel):
    """A need's exact address shown to a volunteer: who saw it, when, for which need and match.
    Released only once staff confirmed the match and the volunteer accepted it (scheduled); kept
    for the audit (matching.selectors.address_visible_to)."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="address_releases")
    match = models.OneToOneField(Match, on_delete=models.PROTECT, related_name="address_release")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()

    class Meta:
        verbose_name = _("address release")
        verbose_name_plural = _("address releases")
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"need {self.need_id} → {self.person_id}"


class MatchingRequest(GuardedModel):
    """The outbox: a post that needs matching, written in the same transaction as the post.

    A task processes it; if the message is lost or the worker dies, the sweep re-drives every
    request still unprocessed, so no post is ever left unmatched. Each try is counted in a
    transaction of its own before the run; a request that fails MATCHING_MAX_ATTEMPTS times is
    parked with its last error (the dead letters, on the staff site) instead of retried forever.
    """

    class Kind(models.TextChoices):
        NEED = "need", _("A need changed")
        OFFER = "offer", _("An offer changed")
        FULL = "full", _("Re-optimise all open posts")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    parked_at = models.DateTimeField(_("parked at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("matching request")
        verbose_name_plural = _("matching requests")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["processed_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class MatchingRun(GuardedModel):
    """One engine run, for provenance and for the staff to see how proposals came about."""

    kind = models.CharField(max_length=8, choices=MatchingRequest.Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    offers = models.PositiveIntegerField(default=0)
    needs = models.PositiveIntegerField(default=0)
    candidate_edges = models.PositiveIntegerField(default=0)
    proposals = models.PositiveIntegerField(default=0)
    objective = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind})"
