from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.errors import NotFound, OwnCase, ReasonRequired
from core.limits import MAX_ID
from core.text import validate_single_line
from events import errors
from events.models import Activity, CheckIn, Participation
from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory, Organisation, QualificationType

MAX_CAPACITY = 1000


class IdNameSerializer(serializers.Serializer[Any]):
    """A row an event names (its organisation, its programme of the plan): id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(serializers.ModelSerializer[Activity]):
    category: serializers.SlugRelatedField[ActivityCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation = IdNameSerializer(read_only=True, allow_null=True)
    programme = IdNameSerializer(read_only=True, allow_null=True)
    grants_qualification: serializers.SlugRelatedField[QualificationType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    registered = serializers.SerializerMethodField()
    free_places = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "category",
            "organisation",
            "programme",
            "school_district",
            "starts_at",
            "ends_at",
            "capacity",
            "registered",
            "free_places",
            "min_age",
            "max_age",
            "grants_qualification",
            "series",
        ]

    def get_registered(self, activity: Activity) -> int:
        return int(activity.registered_count)  # type: ignore[attr-defined]  # (selectors.with_counts)

    def get_free_places(self, activity: Activity) -> int:
        """Places neither registered nor held for the next on the waiting list (events.selectors
        .with_counts annotates every activity an answer shows)."""
        return max(0, activity.capacity - int(activity.taken_count))  # type: ignore[attr-defined]


class EventInputSerializer(serializers.Serializer[Any]):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    title = serializers.CharField(max_length=200, validators=[validate_single_line])
    category = serializers.SlugRelatedField(slug_field="code", queryset=ActivityCategory.objects.all())
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    school_district = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT)
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY)
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    grants_qualification = serializers.SlugRelatedField(
        slug_field="code",
        queryset=QualificationType.objects.filter(kind=QualificationType.Kind.TRAINING),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_age"), attrs.get("max_age")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_age": [_("The upper age is below the lower one.")]}, code="invalid"
            )
        starts_at, ends_at = attrs.get("starts_at"), attrs.get("ends_at")
        if starts_at is not None and starts_at < timezone.now():
            raise serializers.ValidationError({"starts_at": [_("The time is in the past.")]}, code="in_past")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            raise serializers.ValidationError(
                {"ends_at": [_("The end must be after the start.")]}, code="end_before_start"
            )
        return attrs


class EventSeriesInputSerializer(EventInputSerializer):
    """The first occurrence's times, and the rule that repeats it."""

    rule = serializers.CharField(
        max_length=200, help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=12."
    )


class EventSeriesSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    occurrences = EventSerializer(many=True)


class EventSeriesUpdateSerializer(serializers.Serializer[Any]):
    """What may change for the occurrences still to come."""

    title = serializers.CharField(max_length=200, required=False, validators=[validate_single_line])
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)


class EventSeriesUpdatedSerializer(serializers.Serializer[Any]):
    updated = serializers.IntegerField(help_text="Occurrences changed (those still to come).")


class EventUpdateSerializer(EventInputSerializer):
    organisation = None  # type: ignore[assignment]  # (an event stays with its organisation)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class CheckInInputSerializer(serializers.Serializer[Any]):
    event = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    token = serializers.CharField(max_length=200)
    direction = serializers.ChoiceField(choices=CheckIn.Direction.choices)


class StaffCheckInInputSerializer(serializers.Serializer[Any]):
    """Either the resident's own code, or a person entered by hand with a reason."""

    token = serializers.CharField(max_length=200, required=False)
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=CheckIn.Direction.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("token" in attrs) == ("person" in attrs):
            raise serializers.ValidationError(
                {"token": [_("Send either the resident's code or a person with a reason.")]},
                code="token_or_person",
            )
        return attrs


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    event = serializers.IntegerField(source="activity_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)

    class Meta:
        model = CheckIn
        fields = ["id", "event", "person", "direction", "method", "at"]


class ParticipantPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    display_name = serializers.CharField(help_text="As the person chose it; may be empty.")


class ParticipantSerializer(serializers.ModelSerializer[Participation]):
    person = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = [
            "id",
            "person",
            "status",
            "checked_in_at",
            "checked_out_at",
            "checked_out_automatically",
            "minutes",
            "minutes_reason",
            "verified_at",
            "verified_by",
        ]

    @extend_schema_field(ParticipantPersonSerializer)
    def get_person(self, participation: Participation) -> dict[str, Any]:
        return {"id": participation.person_id, "display_name": participation.person.display_name}

    def get_verified_by(self, participation: Participation) -> int | None:
        return participation.verified_by_id


class MyParticipationSerializer(serializers.ModelSerializer[Participation]):
    event = EventSerializer(source="activity", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "event", "status", "checked_in_at", "checked_out_at", "minutes", "verified_at"]


class VerifyInputSerializer(serializers.Serializer[Any]):
    participations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=500
    )
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, required=False)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# Why one participation was not verified (the refusals of events.services.participation_verify).
VERIFY_REFUSALS = (
    NotFound,
    errors.NotOrganiserStaff,
    OwnCase,
    ReasonRequired,
    errors.AlreadyVerified,
    errors.NotRegistered,
    errors.ActivityNotStarted,
    errors.NoAttendance,
)
VERIFY_REFUSAL_CODES = [error.code for error in VERIFY_REFUSALS]


class VerifyResultSerializer(serializers.Serializer[Any]):
    participation = serializers.IntegerField()
    ok = serializers.BooleanField()
    code = serializers.ChoiceField(
        choices=VERIFY_REFUSAL_CODES,
        allow_null=True,
        help_text="Why this one was not verified (null when it was); the catalogue has the messages.",
    )
    minutes = serializers.IntegerField(allow_null=True)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds until the app should ask for a new one.")


class CalendarFeedSerializer(serializers.Serializer[Any]):
    created_at = serializers.DateTimeField()


class NewCalendarFeedSerializer(CalendarFeedSerializer):
    url = serializers.URLField(help_text="The feed's secret address (https or http): shown this once only.")
    webcal_url = serializers.CharField(help_text="The same address as webcal://, which opens a calendar app.")
