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

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    categories = models.ManyToManyField(ActivityCategory, related_name="offers", verbose_name=_("categories"))
    skills = models.ManyToManyField(Skill, blank=True, related_name="offers", verbose_name=_("skills"))
    school_district = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("school district")
    )
    reach = models.CharField(_("reach"), max_length=16, choices=Reach.choices, default=Reach.NEIGHBOURS)
    weekly_availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    specific_dates = models.JSONField(_("specific dates"), default=list, blank=True)
    max_per_week = models.PositiveSmallIntegerField(_("max per week"), default=1)
    max_per_month = models.PositiveSmallIntegerField(_("max per month"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

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

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="needs", verbose_name=_("requester")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("subject"), max_length=120)
    category = models.ForeignKey(
        ActivityCategory, on_delete=models.PROTECT, related_name="needs", verbose_name=_("category")
    )
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="needed_by", verbose_name=_("required skills")
    )
    preferred_skills = models.ManyToManyField(
        Skill, blank=True, related_name="preferred_by", verbose_name=_("preferred skills")
    )
    required_qualifications = models.ManyToManyField(
        QualificationType, blank=True, related_name="needs", verbose_name=_("required qualifications")
    )
    required_languages = models.JSONField(_("required languages"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("min age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("max age"), null=True, blank=True)
    school_district = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("school district")
    )
    # Shown to the volunteer only once the match is confirmed (selectors decide).
    address = models.CharField(_("address"), max_length=300, blank=True)
    reach = models.CharField(_("reach"), max_length=16, choices=Reach.choices, default=Reach.NEIGHBOURS)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

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

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="windows", verbose_name=_("need"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

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

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches", verbose_name=_("need"))
    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
        verbose_name=_("offer"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="matches",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(_("match source"), max_length=8, choices=Source.choices)
    cost = models.IntegerField(_("engine cost"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    run = models.ForeignKey(
        "MatchingRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matching run"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

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

    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("match")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"), blank=True)

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

    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="address_releases", verbose_name=_("need")
    )
    match = models.OneToOneField(
        Match, on_delete=models.PROTECT, related_name="address_release", verbose_name=_("match")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    released_at = models.DateTimeField(_("released at"))

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

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
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

    kind = models.CharField(_("kind"), max_length=8, choices=MatchingRequest.Kind.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    offers = models.PositiveIntegerField(_("offers considered"), default=0)
    needs = models.PositiveIntegerField(_("needs considered"), default=0)
    candidate_edges = models.PositiveIntegerField(_("candidate edges"), default=0)
    proposals = models.PositiveIntegerField(_("proposals"), default=0)
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind})"
