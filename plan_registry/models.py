"""The plan (計画), its structure and indicators, and the city's areas.

This is the bottom layer: it imports no domain app. Domain apps point at these rows
(an event's programme, a resident's school district) and contribute indicator values.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import GuardedModel


class Plan(GuardedModel):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    basic_idea = models.CharField(_("basic idea"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=64, blank=True)
    start_fiscal_year = models.PositiveSmallIntegerField(_("start fiscal year"))
    end_fiscal_year = models.PositiveSmallIntegerField(_("end fiscal year"))
    is_current = models.BooleanField(_("is current"), default=False)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_fiscal_year__gte=models.F("start_fiscal_year")),
                name="plan_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="plan_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BasicPolicy(GuardedModel):
    """基本方針."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policies", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    stance = models.CharField(_("stance"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("basic policy")
        verbose_name_plural = _("basic policies")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="policy_code_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Viewpoint(GuardedModel):
    """視点."""

    policy = models.ForeignKey(
        BasicPolicy, on_delete=models.CASCADE, related_name="viewpoints", verbose_name=_("basic policy")
    )
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("viewpoint")
        verbose_name_plural = _("viewpoints")
        ordering = ["policy", "position"]
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="viewpoint_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Initiative(GuardedModel):
    """取組, numbered 1–16 across the plan."""

    viewpoint = models.ForeignKey(
        Viewpoint, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("viewpoint")
    )
    number = models.PositiveSmallIntegerField(_("initiative number"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"取組{self.number} {self.title}"


class Programme(GuardedModel):
    """事業. Names repeat across initiatives (出前講座 under 取組1 and 取組6)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("initiative")
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    lead = models.JSONField(
        _("lead"), default=list, blank=True, help_text=_("Who carries it out, where the plan is legible.")
    )
    unit = models.CharField(
        _("unit"), max_length=64, blank=True, help_text=_("The unit of its main activity.")
    )
    volunteer_relation = models.CharField(
        _("volunteer relation"),
        max_length=16,
        blank=True,
        help_text=_("For volunteer programmes: core or related."),
    )
    features = models.JSONField(_("features"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["initiative__number", "position"]
        constraints = [models.UniqueConstraint(fields=["initiative", "name"], name="programme_unique_name")]

    def __str__(self) -> str:
        return self.name


class Indicator(GuardedModel):
    """成果指標, with baseline and target. Values by year live in IndicatorValue."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Source(models.TextChoices):
        FEED = "feed", _("Counted by the system")
        MANUAL = "manual", _("Entered by the plan office")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    policy = models.ForeignKey(
        BasicPolicy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("basic policy"),
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("label"), max_length=16, help_text=_("As the plan prints it: ② or I-2."))
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=16)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    baseline_fiscal_year = models.PositiveSmallIntegerField(_("baseline fiscal year"))
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    baseline_note = models.CharField(_("baseline note"), max_length=300, blank=True)
    target_fiscal_year = models.PositiveSmallIntegerField(_("target fiscal year"))
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Empty: the plan sets none (system indicators)."),
    )
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"))
    proxy_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proxies",
        help_text=_(
            "A survey indicator this one approximates from the app's own records; shown beside it, "
            "never in its place."
        ),
        verbose_name=_("proxy for"),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_fiscal_year__gt=models.F("baseline_fiscal_year")),
                name="indicator_target_after_baseline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name}"


class Area(GuardedModel):
    """市 → 区 → 日常生活圏域 → 校区. School districts know their neighbours."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        WARD = "ward", _("Ward")
        DAILY_LIFE_AREA = "daily_life_area", _("Daily-life area")
        SCHOOL_DISTRICT = "school_district", _("School district")

    PARENT_KIND = {
        Kind.WARD: Kind.CITY,
        Kind.DAILY_LIFE_AREA: Kind.WARD,
        Kind.SCHOOL_DISTRICT: Kind.DAILY_LIFE_AREA,
    }

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent area"),
    )
    neighbours = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("neighbours"))
    is_demo = models.BooleanField(
        _("is demo"), default=False, help_text=_("Generated for the demo city, not a real area.")
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="city", parent__isnull=True) | (~Q(kind="city") & Q(parent__isnull=False)),
                name="area_only_city_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(GuardedModel):
    """One value of one indicator for one fiscal year, city-wide (no area) or for an area; the
    total (no breakdown) or one part of it (an age band, an initiative, a programme)."""

    class Source(models.TextChoices):
        PLAN_DOCUMENT = "plan_document", _("Published in the plan")
        FEED = "feed", _("Counted by the system")
        MANUAL = "manual", _("Entered by the plan office")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("area"))
    breakdown = models.CharField(
        _("breakdown"),
        max_length=64,
        blank=True,
        default="",
        help_text=_('Empty for the total; else e.g. "age:65-74".'),
    )
    breakdown_label = models.CharField(_("breakdown label"), max_length=200, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            # Two partial constraints because NULL areas are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "breakdown"],
                condition=Q(area__isnull=True),
                name="indicator_value_one_citywide_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "area", "breakdown"],
                condition=Q(area__isnull=False),
                name="indicator_value_one_per_area_and_year",
            ),
            models.CheckConstraint(
                condition=Q(breakdown="") | Q(source="feed"), name="indicator_value_breakdowns_are_fed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} FY{self.fiscal_year} = {self.value}"


class FeedRun(GuardedModel):
    """One computation of one feed for one fiscal year: what the values' provenance points at."""

    feed = models.CharField(_("feed"), max_length=100)
    feed_version = models.PositiveSmallIntegerField(_("feed version"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="feed_runs", verbose_name=_("indicator")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    rows_counted = models.PositiveIntegerField(
        _("rows counted"),
        help_text=_("People (or organisations) the city-wide value rests on, as its feed counts them."),
    )
    values_written = models.PositiveIntegerField(_("values written"))
    values_kept_manual = models.PositiveIntegerField(_("values kept manual"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )

    class Meta:
        verbose_name = _("feed run")
        verbose_name_plural = _("feed runs")
        ordering = ["-computed_at", "feed"]

    def __str__(self) -> str:
        return f"{self.feed} v{self.feed_version} FY{self.fiscal_year}"


class FiscalYearEvent(GuardedModel):
    """A fiscal year closed (its values frozen) or reopened, with who, when and why. Append-only;
    the latest event tells the year's state."""

    class Action(models.TextChoices):
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("fiscal year closing")
        verbose_name_plural = _("fiscal year closings")
        ordering = ["fiscal_year", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.action}"


class IndicatorValueChange(GuardedModel):
    """Every value the plan office entered or changed by hand: who, when, why. Append-only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="changes", verbose_name=_("indicator")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("area"))
    old_value = models.DecimalField(_("old value"), max_digits=14, decimal_places=3, null=True, blank=True)
    new_value = models.DecimalField(_("new value"), max_digits=14, decimal_places=3)
    source_document = models.CharField(_("source document"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("indicator value change")
        verbose_name_plural = _("indicator value changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} FY{self.fiscal_year}: {self.old_value} → {self.new_value}"
