"""Disaster mode: a declared disaster, the shelters open for it and the households they take in.

A disaster is active from its declaration until it is ended or its declaration lapses (renewal
moves the lapse forward). Whether it is active is computed from the stored times, never from a
job having run, so visibility returns to normal at the lapse even when every worker is down.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel
from plan_registry.models import Area
from volunteer.models import QualificationType, Skill


class Disaster(GuardedModel):
    """A disaster declared by the city for some wards (災害モード)."""

    class Residence(models.TextChoices):
        """Who the disaster volunteer centre accepts, by where the volunteer lives."""

        CITY = "city", _("Residents of the city")
        PREFECTURE = "prefecture", _("Residents of Kumamoto Prefecture")
        KYUSHU = "kyushu", _("Residents of Kyushu")
        ANYWHERE = "anywhere", _("Anyone")

    name = models.CharField(_("name"), max_length=200)
    wards = models.ManyToManyField(
        Area,
        related_name="disasters",
        limit_choices_to={"kind": Area.Kind.WARD},
        verbose_name=_("affected wards"),
    )
    accepted_residence = models.CharField(
        _("volunteers accepted from"), max_length=16, choices=Residence.choices, default=Residence.CITY
    )
    # 大規模災害特例 (全国社会福祉協議会): when issued, volunteer activity insurance taken out at the
    # affected area's centre covers from the moment of joining, not from the next day.
    insurance_special_measure = models.BooleanField(
        _("large-scale disaster special measure"),
        default=False,
        help_text=_("Insurance taken out on the spot covers at once, not from the next day."),
    )
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared by")
    )
    lapses_at = models.DateTimeField(_("lapses at"), help_text=_("Unless renewed before then."))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disaster")
        verbose_name_plural = _("disasters")
        ordering = ["-declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lapses_at__gt=models.F("declared_at")), name="disaster_lapses_later"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active(self, at: dt.datetime) -> bool:
        return self.ended_at is None and self.declared_at <= at < self.lapses_at


class DisasterDecision(GuardedModel):
    """Every switch of disaster mode: who, when, why, and the lapse it set (an audit row)."""

    class Action(models.TextChoices):
        DECLARED = "declared", _("Declared")
        RENEWED = "renewed", _("Renewed")
        ENDED = "ended", _("Ended")
        LAPSED = "lapsed", _("Lapsed without renewal")
        SPECIAL_MEASURE = "special_measure", _("Large-scale disaster special measure applied")

    disaster = models.ForeignKey(
        Disaster, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("disaster")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Empty for a lapse: nobody renewed it."),
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"), blank=True)
    lapses_at = models.DateTimeField(_("lapses at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disaster decision")
        verbose_name_plural = _("disaster decisions")
        ordering = ["disaster", "decided_at", "pk"]
        constraints = [
            # A lapse is recorded once, however many workers notice it.
            models.UniqueConstraint(
                fields=["disaster"], condition=Q(action="lapsed"), name="disaster_lapse_recorded_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.disaster} {self.get_action_display()}"


class Shelter(GuardedModel):
    """A designated shelter (指定避難所); it takes people in while open for an active disaster."""

    class Status(models.TextChoices):
        CLOSED = "closed", _("Not open (shelter)")
        OPEN = "open", _("Open (shelter)")

    name = models.CharField(_("name"), max_length=200)
    school_district = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="shelters",
        limit_choices_to={"kind": Area.Kind.SCHOOL_DISTRICT},
        verbose_name=_("school district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CLOSED)
    disaster = models.ForeignKey(
        Disaster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shelters",
        verbose_name=_("open for"),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        ordering = ["school_district", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed") | Q(disaster__isnull=False), name="shelter_open_for_a_disaster"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Household(GuardedModel):
    """The people a resident evacuates with, registered in the app in normal times, so that one
    scan at a shelter takes in the whole household. Only what a shelter needs: names (for the
    headquarters' safety enquiries) and an age group (for supplies and care)."""

    head = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household", verbose_name=_("head")
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.head_id}"


class AgeGroup(models.TextChoices):
    INFANT = "infant", _("Pre-school child")
    CHILD = "child", _("School-age child")
    ADULT = "adult", _("Adult")
    ELDER = "elder", _("75 or over")


class HouseholdMember(GuardedModel):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=60)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "pk"]

    def __str__(self) -> str:
        return self.name


class ReceptionMethod(models.TextChoices):
    APP_CODE = "app_code", _("The resident's app code")
    STAFF_ENTRY = "staff_entry", _("Entered by staff")


class ShelterStay(GuardedModel):
    """One reception at a shelter: a household (one scan of the head's app code) or people staff
    entered. `reception_id` is made by the scanning device, so a device that queued scans offline
    can upload them again without a second stay."""

    class StayType(models.TextChoices):
        SHELTER = "shelter", _("In the shelter")
        CAR = "car", _("In a car")
        HOME = "home", _("At home")

    reception_id = models.UUIDField(_("reception id"), unique=True)
    disaster = models.ForeignKey(
        Disaster, on_delete=models.PROTECT, related_name="stays", verbose_name=_("disaster")
    )
    shelter = models.ForeignKey(
        Shelter, on_delete=models.PROTECT, related_name="stays", verbose_name=_("shelter")
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stays",
        verbose_name=_("household"),
    )
    method = models.CharField(_("method"), max_length=16, choices=ReceptionMethod.choices)
    stay_type = models.CharField(_("stay type"), max_length=8, choices=StayType.choices)
    scanned_at = models.DateTimeField(
        _("scanned at"), help_text=_("On the device, which may have been offline.")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departure recorded by"),
    )
    transferred_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_from",
        verbose_name=_("transferred to"),
    )

    class Meta:
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        ordering = ["shelter", "recorded_at", "pk"]
        indexes = [models.Index(fields=["disaster", "shelter", "left_at"], name="stay_open_by_shelter")]
        constraints = [
            # A household is in one place at a time: two devices scanning it make one stay.
            models.UniqueConstraint(
                fields=["disaster", "household"],
                condition=Q(left_at__isnull=True, household__isnull=False),
                name="stay_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=Q(transferred_to__isnull=True) | Q(left_at__isnull=False),
                name="stay_transfer_leaves",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shelter} {self.reception_id}"


class Evacuee(GuardedModel):
    """One person in a stay; a shelter's headcount is the number of these in its open stays.
    The name is copied at reception, as a paper roster would be, and blanked on the retention
    schedule (the counts stay)."""

    stay = models.ForeignKey(
        ShelterStay, on_delete=models.CASCADE, related_name="evacuees", verbose_name=_("stay")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    member = models.ForeignKey(
        HouseholdMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("household member"),
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)

    class Meta:
        verbose_name = _("evacuee")
        verbose_name_plural = _("evacuees")
        ordering = ["stay", "pk"]

    def __str__(self) -> str:
        return self.name or f"{self.pk}"


class VolunteerCentre(GuardedModel):
    """A disaster volunteer centre (災害ボランティアセンター) set up for a disaster."""

    disaster = models.ForeignKey(
        Disaster, on_delete=models.PROTECT, related_name="centres", verbose_name=_("disaster")
    )
    name = models.CharField(_("name"), max_length=200)
    school_district = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="volunteer_centres",
        limit_choices_to={"kind": Area.Kind.SCHOOL_DISTRICT},
        verbose_name=_("school district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    daily_quota = models.PositiveIntegerField(
        _("daily quota"), help_text=_("Volunteers the centre takes in a day, unless a day says otherwise.")
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disaster volunteer centre")
        verbose_name_plural = _("disaster volunteer centres")
        ordering = ["disaster", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class CentreDay(GuardedModel):
    """A day's quota at a centre, when it differs from the centre's own (rain, a holiday)."""

    centre = models.ForeignKey(
        VolunteerCentre, on_delete=models.CASCADE, related_name="days", verbose_name=_("centre")
    )
    day = models.DateField(_("day"))
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        verbose_name = _("centre day")
        verbose_name_plural = _("centre days")
        ordering = ["centre", "day"]
        constraints = [models.UniqueConstraint(fields=["centre", "day"], name="centre_day_unique")]

    def __str__(self) -> str:
        return f"{self.centre} {self.day}"


class Vehicle(models.TextChoices):
    NONE = "none", _("No vehicle")
    CAR = "car", _("Car")
    LIGHT_TRUCK = "light_truck", _("Light truck")


class CentreRegistration(GuardedModel):
    """A volunteer's pre-registration (事前登録) with a centre: what they bring and which days."""

    centre = models.ForeignKey(
        VolunteerCentre, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="centre_registrations",
        verbose_name=_("person"),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    licences = models.ManyToManyField(
        QualificationType,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": QualificationType.Kind.LICENCE},
        verbose_name=_("licences"),
    )
    vehicle = models.CharField(_("vehicle"), max_length=16, choices=Vehicle.choices, default=Vehicle.NONE)
    home_prefecture = models.PositiveSmallIntegerField(
        _("home prefecture"), help_text=_("JIS X 0401 code: 43 is Kumamoto.")
    )
    registered_at = models.DateTimeField(_("registered at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("centre registration")
        verbose_name_plural = _("centre registrations")
        ordering = ["centre", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "person"], name="centre_registration_once"),
            models.CheckConstraint(
                condition=Q(home_prefecture__gte=1, home_prefecture__lte=47),
                name="registration_prefecture_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.person_id}"


class AvailableDay(GuardedModel):
    registration = models.ForeignKey(
        CentreRegistration, on_delete=models.CASCADE, related_name="days", verbose_name=_("registration")
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("available day")
        verbose_name_plural = _("available days")
        ordering = ["registration", "day"]
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="available_day_unique")]

    def __str__(self) -> str:
        return f"{self.day}"


class CallUp(GuardedModel):
    """A registered volunteer asked to come on a day (about two days ahead), and their reply."""

    class Status(models.TextChoices):
        CALLED = "called", _("Called, no reply yet")
        COMING = "coming", _("Coming")
        NOT_COMING = "not_coming", _("Not coming")

    registration = models.ForeignKey(
        CentreRegistration, on_delete=models.CASCADE, related_name="call_ups", verbose_name=_("registration")
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CALLED)
    called_at = models.DateTimeField(_("called at"))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call-up")
        verbose_name_plural = _("call-ups")
        ordering = ["day", "called_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="call_up_once_a_day")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.day}"


class CentreReception(GuardedModel):
    """A volunteer received at the centre on a day, insurance checked. `reception_id` is made by
    the scanning device, as at shelters."""

    reception_id = models.UUIDField(_("reception id"), unique=True)
    centre = models.ForeignKey(
        VolunteerCentre, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("centre")
    )
    day = models.DateField(_("day"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="centre_receptions",
        verbose_name=_("person"),
    )
    method = models.CharField(_("method"), max_length=16, choices=ReceptionMethod.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    insurance = models.ForeignKey(
        "volunteer.Qualification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("insurance"),
        help_text=_("The insurance that covered the day (empty only once erased)."),
    )

    class Meta:
        verbose_name = _("centre reception")
        verbose_name_plural = _("centre receptions")
        ordering = ["centre", "day", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "person"], name="centre_reception_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.day} {self.person_id}"


class WorkType(models.TextChoices):
    MUD_REMOVAL = "mud_removal", _("Mud removal")
    FURNITURE_REMOVAL = "furniture_removal", _("Carrying out furniture")
    CLEARING = "clearing", _("Clearing up")
    SHELTER_SUPPORT = "shelter_support", _("Shelter support")


class DisasterNeed(GuardedModel):
    """A request for help to the centre (被災者ニーズ): from a resident in the app, an organisation,
    or a phone call staff enter for someone; triaged by staff before teams go."""

    class Source(models.TextChoices):
        RESIDENT = "resident", _("A resident, in the app")
        ORGANISATION = "organisation", _("An organisation")
        PHONE = "phone", _("A phone call, entered by staff")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for triage")
        ACCEPTED = "accepted", _("Accepted: teams will go")
        REJECTED = "rejected", _("Not for volunteers")
        DONE = "done", _("Done")

    centre = models.ForeignKey(
        VolunteerCentre, on_delete=models.PROTECT, related_name="needs", verbose_name=_("centre")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disaster_needs",
        verbose_name=_("requester"),
    )
    organisation = models.ForeignKey(
        "volunteer.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disaster_needs",
        verbose_name=_("organisation"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    work_type = models.CharField(_("work type"), max_length=24, choices=WorkType.choices)
    school_district = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.SCHOOL_DISTRICT},
        verbose_name=_("school district"),
    )
    address = models.CharField(_("address"), max_length=200)
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"))
    needs_vehicle = models.BooleanField(_("needs a vehicle"), default=False)
    required_licences = models.ManyToManyField(
        QualificationType,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": QualificationType.Kind.LICENCE},
        verbose_name=_("required licences"),
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), default=3, help_text=_("1 is the most urgent."))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("created at"))
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("triaged by"),
    )
    triage_reason = models.TextField(_("triage reason"), blank=True)

    class Meta:
        verbose_name = _("disaster need")
        verbose_name_plural = _("disaster needs")
        ordering = ["centre", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=3), name="disaster_need_urgency"),
            models.CheckConstraint(condition=Q(helpers_needed__gte=1), name="disaster_need_helpers"),
        ]

    def __str__(self) -> str:
        return f"{self.get_work_type_display()} {self.address}"


class Team(GuardedModel):
    """A team sent to a need on a day (班), formed by the engine, with its leader and sub-leader.
    Its members' participation is an activity like any other: verified, it earns points and an
    activity certificate (the record volunteers show for the expressway toll waiver)."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("Dispatched")
        COMPLETED = "completed", _("Completed")

    centre = models.ForeignKey(
        VolunteerCentre, on_delete=models.PROTECT, related_name="teams", verbose_name=_("centre")
    )
    day = models.DateField(_("day"))
    need = models.ForeignKey(
        DisasterNeed, on_delete=models.PROTECT, related_name="teams", verbose_name=_("need")
    )
    number = models.PositiveSmallIntegerField(_("team number"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    sub_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-leader")
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DISPATCHED)
    formed_at = models.DateTimeField(_("formed at"))
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("formed by")
    )
    activity = models.OneToOneField(
        "events.Activity", on_delete=models.PROTECT, related_name="disaster_team", verbose_name=_("activity")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["centre", "day", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "number"], name="team_number_unique"),
            models.CheckConstraint(condition=~Q(leader=models.F("sub_leader")), name="team_two_leaders"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.number}班"


class TeamMember(GuardedModel):
    """One received volunteer in one team: a volunteer is in one team a day."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", verbose_name=_("team"))
    reception = models.OneToOneField(
        CentreReception, on_delete=models.PROTECT, related_name="team_member", verbose_name=_("reception")
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "pk"]

    def __str__(self) -> str:
        return f"{self.team} {self.reception_id}"


class CompletionReport(GuardedModel):
    """The team leader's report at the day's end (活動報告), which updates the need."""

    class Outcome(models.TextChoices):
        DONE = "done", _("The work is done")
        MORE_NEEDED = "more_needed", _("More work is needed")

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="report", verbose_name=_("team"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    helpers_still_needed = models.PositiveSmallIntegerField(_("helpers still needed"), default=0)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")
        ordering = ["team"]

    def __str__(self) -> str:
        return f"{self.team} {self.get_outcome_display()}"


class SupportNeed(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Uses a wheelchair")
    WALKING = "walking", _("Needs help to walk")
    SIGHT = "sight", _("Blind or partially sighted")
    HEARING = "hearing", _("Deaf or hard of hearing")
    MEDICAL_DEVICE = "medical_device", _("Depends on a medical device")
    LIVES_ALONE = "lives_alone", _("Lives alone, needs someone to call")
    OTHER = "other", _("Other")


class EvacuationSupport(GuardedModel):
    """A person on the register of those who need help to evacuate (避難行動要支援者名簿): what
    help, in a few words. In normal times the local supporters (民生委員, 自主防災組織) of the
    person's area see it only with the person's consent; in a disaster declared for the area, they
    see it without, every read recorded (disaster.selectors, services)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evacuation_support",
        verbose_name=_("person"),
    )
    needs = models.JSONField(_("needs"), default=list, help_text=_("Codes of SupportNeed."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("evacuation support registration")
        verbose_name_plural = _("evacuation support registrations")
        ordering = ["person"]

    def __str__(self) -> str:
        return f"{self.person_id}"


class SupportRegisterRead(GuardedModel):
    """One person's entry read by one local supporter: who, when, whom, why, and under which
    declared disaster when it was read without the person's consent (an audit row)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reader")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    read_at = models.DateTimeField(_("read at"))
    reason = models.TextField(_("reason"))
    disaster = models.ForeignKey(
        Disaster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("under the disaster"),
        help_text=_("Empty: read with the person's consent."),
    )

    class Meta:
        verbose_name = _("support register read")
        verbose_name_plural = _("support register reads")
        ordering = ["-read_at", "pk"]

    def __str__(self) -> str:
        return f"{self.reader_id} → {self.person_id}"
