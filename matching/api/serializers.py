import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import codes
from core.limits import MAX_ID
from core.text import validate_single_line
from matching.models import MAX_HEADCOUNT, Match, Need, NeedWindow, Offer, Reach
from plan_registry.models import Area
from volunteer.api.serializers import (
    LANGUAGES,
    MAX_CODES,
    MAX_WEEKLY_SLOTS,
    AvailabilitySerializer,
    CodeNameSerializer,
)
from volunteer.models import ActivityCategory, Organisation, QualificationType, Skill

# Lists are bounded (as the profile's are, volunteer.api.serializers) so a request cannot make the
# service look up or store thousands of rows: a need's windows, an offer's dates for two months.
MAX_WINDOWS = 12
MAX_SPECIFIC_DATES = 60


def _codes(model: Any, **kwargs: Any) -> Any:
    if kwargs.pop("many", False):
        return codes(model.objects.all(), max_length=MAX_CODES, **kwargs)
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


def _district(**kwargs: Any) -> Any:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT),
        error_messages={"does_not_exist": _("Unknown school district.")},
        **kwargs,
    )


class DatedWindowSerializer(AvailabilitySerializer):
    weekday = None  # type: ignore[assignment]  # (a date instead of a weekday)
    date = serializers.DateField()


class OfferInputSerializer(serializers.Serializer[Any]):
    categories = _codes(ActivityCategory, many=True, allow_empty=False)
    skills = _codes(Skill, many=True, required=False)
    school_district = _district(required=False)
    reach = serializers.ChoiceField(choices=Reach.choices, required=False)
    weekly_availability = AvailabilitySerializer(many=True, required=False, max_length=MAX_WEEKLY_SLOTS)  # type: ignore[call-arg]  # (many=True takes max_length)
    specific_dates = DatedWindowSerializer(many=True, required=False, max_length=MAX_SPECIFIC_DATES)  # type: ignore[call-arg]
    max_per_week = serializers.IntegerField(min_value=1, max_value=14, required=False)
    max_per_month = serializers.IntegerField(min_value=1, max_value=60, required=False, allow_null=True)
    valid_until = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_valid_until(self, value: dt.date) -> dt.date:
        if value < timezone.localdate():
            raise serializers.ValidationError(_("The date is in the past."), code="in_past")
        return value

    def validate_weekly_availability(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**w, "start": w["start"].strftime("%H:%M"), "end": w["end"].strftime("%H:%M")} for w in value
        ]

    def validate_specific_dates(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "date": w["date"].isoformat(),
                "start": w["start"].strftime("%H:%M"),
                "end": w["end"].strftime("%H:%M"),
            }
            for w in value
        ]


class OfferUpdateSerializer(OfferInputSerializer):
    categories = _codes(ActivityCategory, many=True, allow_empty=False, required=False)
    valid_until = serializers.DateField(required=False)


class OfferSerializer(serializers.ModelSerializer[Offer]):
    categories: serializers.SlugRelatedField[ActivityCategory] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    weekly_availability = AvailabilitySerializer(many=True, read_only=True)
    specific_dates = DatedWindowSerializer(many=True, read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "status",
            "categories",
            "skills",
            "school_district",
            "reach",
            "weekly_availability",
            "specific_dates",
            "max_per_week",
            "max_per_month",
            "valid_until",
            "note",
            "created_at",
            "updated_at",
        ]


class WindowSerializer(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError(_("The end must be after the start."), code="end_before_start")
        if attrs["starts_at"] <= timezone.now():
            raise serializers.ValidationError(_("The time is in the past."), code="in_past")
        return attrs


class NeedInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=120, validators=[validate_single_line])
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Post for an organisation you act for.",
    )
    category = _codes(ActivityCategory)
    required_skills = _codes(Skill, many=True, required=False)
    preferred_skills = _codes(Skill, many=True, required=False)
    required_qualifications = _codes(QualificationType, many=True, required=False)
    required_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), required=False, max_length=len(LANGUAGES)
    )
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    school_district = _district()
    address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[validate_single_line]
    )
    reach = serializers.ChoiceField(choices=Reach.choices, required=False)
    windows = WindowSerializer(many=True, allow_empty=False, max_length=MAX_WINDOWS)  # type: ignore[call-arg]  # (many=True takes max_length)
    headcount = serializers.IntegerField(min_value=1, max_value=MAX_HEADCOUNT, required=False)
    urgency = serializers.ChoiceField(choices=Need.Urgency.choices, required=False)
    valid_until = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_age"), attrs.get("max_age")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_age": [_("The upper age is below the lower age.")]}, code="age_range"
            )
        windows = attrs.get("windows")
        if windows and "valid_until" not in attrs and not self.partial:
            attrs["valid_until"] = timezone.localtime(max(w["ends_at"] for w in windows)).date()
        return attrs


class NeedUpdateSerializer(NeedInputSerializer):
    title = serializers.CharField(max_length=120, required=False, validators=[validate_single_line])
    category = _codes(ActivityCategory, required=False)
    school_district = _district(required=False)
    windows = WindowSerializer(many=True, allow_empty=False, max_length=MAX_WINDOWS, required=False)  # type: ignore[call-arg]


class NeedWindowSerializer(serializers.ModelSerializer[NeedWindow]):
    class Meta:
        model = NeedWindow
        fields = ["starts_at", "ends_at"]


class NeedSerializer(serializers.ModelSerializer[Need]):
    category: serializers.SlugRelatedField[ActivityCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    required_skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    preferred_skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    required_qualifications: serializers.SlugRelatedField[QualificationType] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    required_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), read_only=True
    )
    windows = NeedWindowSerializer(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "status",
            "title",
            "organisation",
            "category",
            "required_skills",
            "preferred_skills",
            "required_qualifications",
            "required_languages",
            "min_age",
            "max_age",
            "school_district",
            "address",
            "reach",
            "windows",
            "headcount",
            "urgency",
            "valid_until",
            "note",
            "created_at",
            "updated_at",
        ]


class MatchNeedSerializer(serializers.Serializer[Any]):
    """The need as a match shows it; the address only once the volunteer may see it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    category = CodeNameSerializer()
    school_district = CodeNameSerializer()
    windows = NeedWindowSerializer(many=True)
    address = serializers.CharField(allow_null=True)


class MatchSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=["volunteer", "requester"])
    status = serializers.ChoiceField(choices=Match.Status.choices)
    reason = serializers.CharField()
    need = MatchNeedSerializer()
    volunteer_name = serializers.CharField(
        allow_null=True, help_text="Shown to the requester once confirmed."
    )
    accepted_at = serializers.DateTimeField(allow_null=True)
    proposed_at = serializers.DateTimeField()


class StaffMatchNeedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = CodeNameSerializer()
    school_district = CodeNameSerializer()
    organisation = serializers.IntegerField(
        source="organisation_id", allow_null=True, help_text="The organisation that posted it, if one did."
    )
    headcount = serializers.IntegerField()
    urgency = serializers.ChoiceField(choices=Need.Urgency.choices)


class StaffMatchVolunteerSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    school_district = CodeNameSerializer(allow_null=True)


class StaffMatchSerializer(serializers.ModelSerializer[Match]):
    reasons = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why the engine proposed this pair, in Japanese for the staff (同じ校区, "
        "火曜午前が空いている, 初参加 …); `reason` joins them. Empty for a match made by hand.",
    )
    need = StaffMatchNeedSerializer(read_only=True)
    volunteer = StaffMatchVolunteerSerializer(read_only=True)
    age_hours = serializers.SerializerMethodField()

    class Meta:
        model = Match
        # An answer only: no checks (nor defaults) from the model's unique constraints.
        validators: list[Any] = []
        fields = [
            "id",
            "status",
            "source",
            "cost",
            "reason",
            "reasons",
            "need",
            "volunteer",
            "proposed_at",
            "accepted_at",
            "decided_at",
            "age_hours",
        ]

    def get_age_hours(self, match: Match) -> int:
        return int((timezone.now() - match.proposed_at).total_seconds() // 3600)


class StaffDecisionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ManualMatchSerializer(serializers.Serializer[Any]):
    need = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    volunteer = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The volunteer's user id.")
    reason = serializers.CharField(max_length=2000)
    without_offer_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Required when the volunteer has no open offer: why match them anyway (a phone call…).",
    )


class VolunteerAnswerSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
