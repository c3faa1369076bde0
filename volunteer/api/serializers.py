from itertools import pairwise
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.serializers import PolymorphicProxySerializerExtension
from drf_spectacular.utils import Direction, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.api.fields import ClockTimeField, codes
from core.limits import MAX_ID
from core.text import validate_single_line
from plan_registry.models import Area
from volunteer.accounts import validate_birth_date
from volunteer.models import (
    ActivityCategory,
    Consent,
    Device,
    Notification,
    Organisation,
    Qualification,
    RightsRequest,
    Skill,
    User,
)

LANGUAGES = ("ja", "en", "zh-hans", "zh-hant", "ko", "vi", "ne", "id", "tl", "pt", "es", "th", "my", "jsl")
NOTIFICATION_CHANNELS = ("email", "push")
# Lists are bounded so a request cannot make the service look up thousands of rows: codes from
# the catalogue (fifteen skills, fifteen categories today), four windows a day in a week.
MAX_CODES = 50
MAX_WEEKLY_SLOTS = 28
MAX_CONSENTS = 2 * len(Consent.Document)  # each document, and perhaps a newer version of it
# The kinds of notification the apps send (the callers of volunteer.services.notification_send:
# matching.services.notify, events.services.activities, points.services.awards).
MATCH_NOTIFICATION_KINDS = (
    "match_proposed",
    "match_confirmed",
    "match_scheduled",
    "match_declined",
    "match_withdrawn",
)
NOTIFICATION_KINDS = (*MATCH_NOTIFICATION_KINDS, "event_place_offered", "points_awarded")


class SkillSerializer(serializers.ModelSerializer[Skill]):
    class Meta:
        model = Skill
        fields = ["code", "name", "name_en"]


class ActivityCategorySerializer(serializers.ModelSerializer[ActivityCategory]):
    class Meta:
        model = ActivityCategory
        fields = ["code", "name", "name_en"]


class CodeNameSerializer(serializers.Serializer[Any]):
    """A catalogue entry or an area where a row shows one: its code and its names, as the
    catalogues (GET /skills/, /categories/, /areas/) give them."""

    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(help_text="The English name; empty where none is recorded.")


class AvailabilitySerializer(serializers.Serializer[Any]):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday … 6 = Sunday.")
    start = ClockTimeField()
    end = ClockTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError(_("The end must be after the start."), code="end_before_start")
        return attrs


class NotificationPreferencesSerializer(serializers.Serializer[Any]):
    email = serializers.BooleanField(default=True)
    push = serializers.BooleanField(default=True)


class ConsentInputSerializer(serializers.Serializer[Any]):
    document = serializers.ChoiceField(choices=Consent.Document.choices)
    version = serializers.CharField(max_length=32, validators=[validate_single_line])


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    class Meta:
        model = Consent
        fields = ["document", "version", "consented_at", "withdrawn_at"]


class ConsentsSerializer(serializers.Serializer[Any]):
    current = serializers.DictField(
        child=serializers.CharField(), help_text="The current version of each document that is required."
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="Required documents whose current version I have not agreed to (or withdrew from).",
    )
    history = ConsentSerializer(many=True, help_text="Every consent given, and when it was withdrawn.")


class SuspensionSerializer(serializers.Serializer[Any]):
    suspended_at = serializers.DateTimeField(allow_null=True, help_text="Empty: my data is in use.")


class RightsRequestSerializer(serializers.ModelSerializer[RightsRequest]):
    class Meta:
        model = RightsRequest
        fields = ["id", "person", "kind", "requested_at", "handled_by", "reason"]


class PaperRightsRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RightsRequest.Kind.choices)
    reason = serializers.CharField(
        max_length=2000, help_text="How the request reached you (a form received at the counter, its number)."
    )


class QualificationSerializer(serializers.ModelSerializer[Qualification]):
    code = serializers.CharField(source="qualification_type.code")
    name = serializers.CharField(source="qualification_type.name")
    kind = serializers.CharField(source="qualification_type.kind")

    class Meta:
        model = Qualification
        fields = ["code", "name", "kind", "obtained_on", "expires_on", "source"]


class IdentitySerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(
        choices=["unverified", "verified", "expired"],
        help_text="Verified with the My Number card through the identity provider, or not.",
    )
    assurance_level = serializers.CharField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    birth_date = serializers.DateField(allow_null=True, help_text="As verified (the care scheme's age).")
    name = serializers.CharField(allow_null=True, help_text="As verified (rewards are handed over to it).")


class IdentityVerificationSerializer(serializers.Serializer[Any]):
    authorization_url = serializers.URLField(help_text="Open in the browser; the provider returns there.")
    expires_at = serializers.DateTimeField()


class PersonalDataRecordsSerializer(serializers.Serializer[Any]):
    why = serializers.CharField(help_text="The rule the service keeps these for.")
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="Each row's fields; a reference to another row as its id."
    )


class PersonalDataExportSerializer(serializers.Serializer[Any]):
    format = serializers.CharField(help_text="kumamoto-volunteer/personal-data-export/1")
    exported_at = serializers.DateTimeField()
    person = serializers.IntegerField(help_text="The person's id, as rows refer to them.")
    records = serializers.DictField(
        child=PersonalDataRecordsSerializer(),
        help_text="By kind of record (app.Model): why it is kept, and the rows.",
    )


class MeSerializer(serializers.ModelSerializer[User]):
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    interests: serializers.SlugRelatedField[ActivityCategory] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    weekly_availability = AvailabilitySerializer(many=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), help_text="The languages I can help in."
    )
    notification_preferences = NotificationPreferencesSerializer()
    consents = ConsentSerializer(many=True)
    qualifications = QualificationSerializer(many=True)
    roles = serializers.ListField(child=serializers.CharField())
    identity = IdentitySerializer(help_text="The verification level of this profile.")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "use_suspended_at",
            "birth_date",
            "school_district",
            "skills",
            "interests",
            "weekly_availability",
            "languages",
            "notification_preferences",
            "consents",
            "qualifications",
            "identity",
            "roles",
            "date_joined",
        ]


class ProfileUpdateSerializer(serializers.Serializer[Any]):
    """What a resident may change about themselves. Anything else is refused, not ignored."""

    display_name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, validators=[validate_single_line]
    )
    birth_date = serializers.DateField(required=False, allow_null=True, validators=[validate_birth_date])
    school_district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown school district.")},
    )
    skills = codes(Skill.objects.all(), max_length=MAX_CODES, required=False)
    interests = codes(ActivityCategory.objects.all(), max_length=MAX_CODES, required=False)
    weekly_availability = AvailabilitySerializer(many=True, required=False, max_length=MAX_WEEKLY_SLOTS)  # type: ignore[call-arg]  # (many=True takes max_length)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), required=False, max_length=len(LANGUAGES)
    )
    notification_preferences = NotificationPreferencesSerializer(required=False)
    consents = ConsentInputSerializer(many=True, required=False, max_length=MAX_CONSENTS)  # type: ignore[call-arg]

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        refused = {
            name: [ErrorDetail(str(_("This field cannot be changed here.")), code="read_only_field")]
            for name in unknown
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError({**detail, **refused}) from error
        if refused:
            raise serializers.ValidationError(refused)
        return value

    def validate_weekly_availability(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        slots = sorted((slot["weekday"], slot["start"], slot["end"]) for slot in value)
        for (day, _start, end), (next_day, next_start, _end) in pairwise(slots):
            if day == next_day and next_start < end:
                raise serializers.ValidationError(_("Time windows on the same day overlap."), code="overlap")
        return [
            {"weekday": day, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
            for day, start, end in slots
        ]

    def validate_languages(self, value: list[str]) -> list[str]:
        return sorted(set(value), key=LANGUAGES.index)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "area",
            "description",
            "contact_email",
            "is_care_host",
            "applied_at",
        ]


class OrganisationApplySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, validators=[validate_single_line])
    kind = serializers.ChoiceField(
        choices=[c for c in Organisation.Kind.choices if c[0] != Organisation.Kind.VOLUNTEER_CENTRE]
    )
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        error_messages={"does_not_exist": _("Unknown area.")},
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class DecisionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CareHostSerializer(serializers.Serializer[Any]):
    is_care_host = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class MatchNotificationDataSerializer(serializers.Serializer[Any]):
    # Read only, as the other kinds' data: a key missing from an old row is left out of the answer
    # rather than failing it.
    match_id = serializers.IntegerField(read_only=True, help_text="The match it announces (GET /matches/).")
    need_id = serializers.IntegerField(read_only=True, help_text="The need the match is for.")


class EventNotificationDataSerializer(serializers.Serializer[Any]):
    event = serializers.IntegerField(
        read_only=True, help_text="The event whose place is held for me (GET /events/{id}/)."
    )


class ParticipationNotificationDataSerializer(serializers.Serializer[Any]):
    participation = serializers.IntegerField(
        read_only=True, help_text="The participation that earned the points (GET /me/participations/)."
    )


class _NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "created_at", "read_at"]


class MatchNotificationSerializer(_NotificationSerializer):
    kind = serializers.ChoiceField(choices=MATCH_NOTIFICATION_KINDS)
    data = MatchNotificationDataSerializer()  # type: ignore[assignment]  # (the JSON key is "data")


class EventPlaceOfferedNotificationSerializer(_NotificationSerializer):
    kind = serializers.ChoiceField(choices=["event_place_offered"])
    data = EventNotificationDataSerializer()  # type: ignore[assignment]  # (the JSON key is "data")


class PointsAwardedNotificationSerializer(_NotificationSerializer):
    kind = serializers.ChoiceField(choices=["points_awarded"])
    data = ParticipationNotificationDataSerializer()  # type: ignore[assignment]  # (the JSON key is "data")


NOTIFICATION_SHAPES: dict[str, type[_NotificationSerializer]] = {
    **dict.fromkeys(MATCH_NOTIFICATION_KINDS, MatchNotificationSerializer),
    "event_place_offered": EventPlaceOfferedNotificationSerializer,
    "points_awarded": PointsAwardedNotificationSerializer,
}


class NotificationSerializer(_NotificationSerializer):
    """A notification with the data of its kind (the schema: one shape per kind, by `kind`)."""

    kind = serializers.ChoiceField(choices=NOTIFICATION_KINDS)

    def to_representation(self, instance: Notification) -> Any:
        shape = NOTIFICATION_SHAPES.get(instance.kind)
        if shape is None:
            return super().to_representation(instance)
        return shape(context=self.context).to_representation(instance)


class NotificationSchema(OpenApiSerializerExtension):
    """Documents NotificationSerializer as a oneOf of NOTIFICATION_SHAPES, told apart by `kind`."""

    target_class = NotificationSerializer

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> Any:
        shapes: dict[str, serializers.Serializer[Any] | type[serializers.Serializer[Any]]] = {
            **NOTIFICATION_SHAPES
        }
        by_kind = PolymorphicProxySerializer(
            component_name="Notification", serializers=shapes, resource_type_field_name="kind"
        )
        return PolymorphicProxySerializerExtension(by_kind).map_serializer(auto_schema, direction)


class MarkReadSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=False, max_length=500
    )


class DeviceSerializer(serializers.ModelSerializer[Device]):
    class Meta:
        model = Device
        fields = ["id", "platform", "token", "registered_at"]
        read_only_fields = ["id", "registered_at"]
        extra_kwargs: dict[str, Any] = {"token": {"validators": []}}  # a known token moves to this person
