import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.limits import MAX_ID
from core.text import validate_single_line
from disaster import selectors
from disaster.models import (
    AgeGroup,
    CallUp,
    CentreReception,
    CentreRegistration,
    CompletionReport,
    Disaster,
    DisasterDecision,
    DisasterNeed,
    EvacuationSupport,
    Household,
    HouseholdMember,
    Shelter,
    ShelterStay,
    SupportNeed,
    Team,
    Vehicle,
    VolunteerCentre,
    WorkType,
)
from disaster.services.needs import NeedInput
from plan_registry.models import Area
from volunteer.models import QualificationType, Skill

MAX_BATCH = 200
MAX_PEOPLE = 30


class DisasterDecisionSerializer(serializers.ModelSerializer[DisasterDecision]):
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)

    class Meta:
        model = DisasterDecision
        fields = ["action", "decided_by", "decided_at", "reason", "lapses_at"]


class DisasterSerializer(serializers.ModelSerializer[Disaster]):
    """A disaster as residents' apps see it: what, where, since when, until when unless renewed."""

    wards = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Disaster
        fields = [
            "id",
            "name",
            "wards",
            "accepted_residence",
            "insurance_special_measure",
            "declared_at",
            "lapses_at",
            "ended_at",
            "active",
        ]

    def get_wards(self, disaster: Disaster) -> list[str]:
        return [ward.code for ward in disaster.wards.all()]

    def get_active(self, disaster: Disaster) -> bool:
        return disaster.is_active(self.context["now"])


class StaffDisasterSerializer(DisasterSerializer):
    decisions = DisasterDecisionSerializer(many=True, read_only=True)

    class Meta(DisasterSerializer.Meta):
        fields = [*DisasterSerializer.Meta.fields, "decisions"]


class DeclareInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, validators=[validate_single_line])
    wards = serializers.ListField(
        child=serializers.SlugField(max_length=32), min_length=1, max_length=10, help_text=_("Ward codes.")
    )
    accepted_residence = serializers.ChoiceField(
        choices=Disaster.Residence.choices, default=Disaster.Residence.CITY
    )
    reason = serializers.CharField(max_length=1000)


class ReasonInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000)


class MemberSerializer(serializers.ModelSerializer[HouseholdMember]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=60, validators=[validate_single_line])

    class Meta:
        model = HouseholdMember
        fields = ["id", "name", "age_group"]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    members = MemberSerializer(many=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("Empty: never set."))

    class Meta:
        model = Household
        fields = ["members", "updated_at"]


class HouseholdInputSerializer(serializers.Serializer[Any]):
    members = serializers.ListField(child=MemberSerializer(), max_length=MAX_PEOPLE - 1)


class ShelterCodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PublicShelterSerializer(serializers.ModelSerializer[Shelter]):
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Shelter
        fields = ["id", "name", "school_district", "address", "status"]


class PersonEntrySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=60, validators=[validate_single_line])
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)


class ReceptionInputSerializer(serializers.Serializer[Any]):
    """One reception, made on the scanning device: the household head's shelter code (optionally
    with the members present), or people entered by staff."""

    reception_id = serializers.UUIDField(
        help_text=_("Made on the scanning device; the same id again is a repeat.")
    )
    scanned_at = serializers.DateTimeField(help_text=_("When the device scanned or entered it."))
    stay_type = serializers.ChoiceField(choices=ShelterStay.StayType.choices)
    code = serializers.CharField(max_length=200, required=False)
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_PEOPLE,
        help_text=_("The household members present; all of them when left out."),
    )
    people = serializers.ListField(child=PersonEntrySerializer(), required=False, max_length=MAX_PEOPLE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("code" in attrs) == ("people" in attrs):
            raise serializers.ValidationError(
                {"code": [_("Send either the household's shelter code or the people entered by hand.")]},
                code="code_or_people",
            )
        return attrs


class ReceptionBatchInputSerializer(serializers.Serializer[Any]):
    receptions = serializers.ListField(child=ReceptionInputSerializer(), min_length=1, max_length=MAX_BATCH)


class EvacueeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)


class StaySerializer(serializers.ModelSerializer[ShelterStay]):
    shelter = serializers.IntegerField(source="shelter_id", read_only=True)
    disaster = serializers.IntegerField(source="disaster_id", read_only=True)
    people = EvacueeSerializer(source="evacuees", many=True, read_only=True)
    transferred_to: serializers.SlugRelatedField[ShelterStay] = serializers.SlugRelatedField(
        slug_field="reception_id", read_only=True, allow_null=True
    )

    class Meta:
        model = ShelterStay
        fields = [
            "reception_id",
            "shelter",
            "disaster",
            "method",
            "stay_type",
            "scanned_at",
            "recorded_at",
            "left_at",
            "transferred_to",
            "people",
        ]


class ReceptionResultSerializer(serializers.Serializer[Any]):
    reception_id = serializers.UUIDField()
    result = serializers.ChoiceField(choices=[("new", "new"), ("known", "known"), ("refused", "refused")])
    code = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_null=True)
    stay = StaySerializer(allow_null=True)


class TransferInputSerializer(serializers.Serializer[Any]):
    shelter = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reception_id = serializers.UUIDField(
        help_text=_("Made on the device for the new stay; a retry sends it again.")
    )


class OpenInputSerializer(serializers.Serializer[Any]):
    disaster = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CountSerializer(serializers.Serializer[Any]):
    people = serializers.IntegerField()
    households = serializers.IntegerField()
    by_stay_type = serializers.DictField(child=serializers.IntegerField())
    by_age_group = serializers.DictField(child=serializers.IntegerField())


class ShelterHeadcountSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    school_district = serializers.CharField()
    status = serializers.ChoiceField(choices=Shelter.Status.choices)
    disaster = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField()
    count = CountSerializer()


class HeadcountsSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    city = CountSerializer()
    shelters = ShelterHeadcountSerializer(many=True)


class CentreSerializer(serializers.ModelSerializer[VolunteerCentre]):
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    disaster = serializers.IntegerField(source="disaster_id", read_only=True)
    accepted_residence = serializers.ChoiceField(
        source="disaster.accepted_residence", choices=Disaster.Residence.choices, read_only=True
    )

    class Meta:
        model = VolunteerCentre
        fields = ["id", "name", "disaster", "school_district", "address", "accepted_residence"]


class CentreInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, validators=[validate_single_line])
    school_district = serializers.SlugField(max_length=32)
    address = serializers.CharField(
        max_length=200, allow_blank=True, default="", validators=[validate_single_line]
    )
    daily_quota = serializers.IntegerField(min_value=1, max_value=10_000)


class RegistrationSerializer(serializers.ModelSerializer[CentreRegistration]):
    centre = serializers.IntegerField(source="centre_id", read_only=True)
    skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    licences: serializers.SlugRelatedField[QualificationType] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    days = serializers.SerializerMethodField()

    class Meta:
        model = CentreRegistration
        fields = ["centre", "skills", "licences", "vehicle", "home_prefecture", "days", "registered_at"]

    def get_days(self, registration: CentreRegistration) -> list[dt.date]:
        return [day.day for day in registration.days.all()]


class RegistrationInputSerializer(serializers.Serializer[Any]):
    skills = serializers.ListField(child=serializers.SlugField(max_length=48), max_length=30, default=list)
    licences = serializers.ListField(child=serializers.SlugField(max_length=48), max_length=30, default=list)
    vehicle = serializers.ChoiceField(choices=Vehicle.choices, default=Vehicle.NONE)
    home_prefecture = serializers.IntegerField(
        min_value=1,
        max_value=47,
        help_text=_("JIS X 0401 code (43: Kumamoto); a city resident's is 43 anyway."),
    )
    days = serializers.ListField(child=serializers.DateField(), min_length=1, max_length=31)


class CallUpSerializer(serializers.ModelSerializer[CallUp]):
    centre = serializers.IntegerField(source="registration.centre_id", read_only=True)
    centre_name = serializers.CharField(source="registration.centre.name", read_only=True)

    class Meta:
        model = CallUp
        fields = ["id", "centre", "centre_name", "day", "status", "called_at", "replied_at"]


class CallUpReplySerializer(serializers.Serializer[Any]):
    coming = serializers.BooleanField()


class VolunteerScanSerializer(serializers.Serializer[Any]):
    reception_id = serializers.UUIDField(
        help_text=_("Made on the scanning device; the same id again is a repeat.")
    )
    scanned_at = serializers.DateTimeField(help_text=_("When the device scanned it."))
    code = serializers.CharField(max_length=200, help_text=_("The volunteer's app code (GET /me/qr/)."))


class VolunteerScanBatchSerializer(serializers.Serializer[Any]):
    receptions = serializers.ListField(child=VolunteerScanSerializer(), min_length=1, max_length=MAX_BATCH)


class CentreReceptionSerializer(serializers.ModelSerializer[CentreReception]):
    centre = serializers.IntegerField(source="centre_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.display_name", read_only=True)
    insurance_obtained_on = serializers.DateField(
        source="insurance.obtained_on", read_only=True, allow_null=True
    )
    licences_to_check = serializers.SerializerMethodField(
        help_text="Licences declared on registering but not on record: see the certificate at the door."
    )

    class Meta:
        model = CentreReception
        fields = [
            "reception_id",
            "centre",
            "day",
            "person",
            "name",
            "method",
            "scanned_at",
            "recorded_at",
            "insurance_obtained_on",
            "licences_to_check",
        ]

    def get_licences_to_check(self, reception: CentreReception) -> list[str]:
        return selectors.licences_to_check(reception=reception)


class CentreReceptionResultSerializer(serializers.Serializer[Any]):
    reception_id = serializers.UUIDField()
    result = serializers.ChoiceField(choices=[("new", "new"), ("known", "known"), ("refused", "refused")])
    code = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_null=True)
    reception = CentreReceptionSerializer(allow_null=True)


class InsuranceInputSerializer(serializers.Serializer[Any]):
    scanned_at = serializers.DateTimeField()
    code = serializers.CharField(max_length=200, help_text=_("The volunteer's app code (GET /me/qr/)."))


class InsuranceSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField()
    obtained_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    in_force_today = serializers.BooleanField()


class CentreDaySerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    quota = serializers.IntegerField()
    called = serializers.IntegerField(help_text=_("Called, no reply yet."))
    coming = serializers.IntegerField()
    not_coming = serializers.IntegerField()
    received = serializers.IntegerField()


class QuotaInputSerializer(serializers.Serializer[Any]):
    quota = serializers.IntegerField(min_value=0, max_value=10_000)


class DisasterNeedInputSerializer(serializers.Serializer[Any]):
    work_type = serializers.ChoiceField(choices=WorkType.choices)
    school_district = serializers.SlugField(max_length=32)
    address = serializers.CharField(max_length=200, validators=[validate_single_line])
    helpers_needed = serializers.IntegerField(min_value=1, max_value=200)
    needs_vehicle = serializers.BooleanField(default=False)
    licences = serializers.ListField(child=serializers.SlugField(max_length=48), max_length=10, default=list)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class PhoneNeedInputSerializer(DisasterNeedInputSerializer):
    contact_name = serializers.CharField(max_length=60, validators=[validate_single_line])
    contact_phone = serializers.RegexField(r"^[0-9+][0-9-]{5,19}$", max_length=20)


def need_input(data: dict[str, Any]) -> NeedInput:
    """The service's input from a need validated by either serializer (the app's, or a phone
    call's with its contact), for the API and the centre's page alike."""
    return NeedInput(
        work_type=data["work_type"],
        school_district_code=data["school_district"],
        address=data["address"],
        helpers_needed=data["helpers_needed"],
        needs_vehicle=data["needs_vehicle"],
        licence_codes=tuple(data["licences"]),
        note=data["note"],
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
    )


class DisasterNeedSerializer(serializers.ModelSerializer[DisasterNeed]):
    centre = serializers.IntegerField(source="centre_id", read_only=True)
    school_district: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    licences: serializers.SlugRelatedField[QualificationType] = serializers.SlugRelatedField(
        source="required_licences", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = DisasterNeed
        fields = [
            "id",
            "centre",
            "source",
            "work_type",
            "school_district",
            "address",
            "helpers_needed",
            "needs_vehicle",
            "licences",
            "note",
            "urgency",
            "status",
            "created_at",
        ]


class StaffDisasterNeedSerializer(DisasterNeedSerializer):
    class Meta(DisasterNeedSerializer.Meta):
        fields = [
            *DisasterNeedSerializer.Meta.fields,
            "contact_name",
            "contact_phone",
            "triage_reason",
            "triaged_at",
        ]


class TriageInputSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()
    urgency = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField(max_length=1000)


class TeamMemberSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(
        choices=[("leader", "leader"), ("sub_leader", "sub_leader"), ("member", "member")]
    )


class TeamSerializer(serializers.ModelSerializer[Team]):
    need = serializers.IntegerField(source="need_id", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "day", "number", "need", "status", "reasons", "formed_at", "members"]

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_members(self, team: Team) -> list[dict[str, Any]]:
        def role(person_id: int) -> str:
            return {team.leader_id: "leader", team.sub_leader_id: "sub_leader"}.get(person_id, "member")

        people = [member.reception.person for member in team.members.all()]
        return [{"person": p.pk, "name": p.display_name, "role": role(p.pk)} for p in people]


class TeamMemberInputSerializer(serializers.Serializer[Any]):
    reception_id = serializers.UUIDField()


class CompletionInputSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=CompletionReport.Outcome.choices)
    helpers_still_needed = serializers.IntegerField(min_value=0, max_value=200, default=0)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class CompletionSerializer(serializers.ModelSerializer[CompletionReport]):
    team = serializers.IntegerField(source="team_id", read_only=True)
    need_status = serializers.CharField(source="team.need.status", read_only=True)

    class Meta:
        model = CompletionReport
        fields = ["team", "outcome", "helpers_still_needed", "note", "reported_at", "need_status"]


class EvacuationSupportSerializer(serializers.ModelSerializer[EvacuationSupport]):
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=SupportNeed.choices), min_length=1, max_length=7
    )
    note = serializers.CharField(
        max_length=200, allow_blank=True, default="", validators=[validate_single_line]
    )

    class Meta:
        model = EvacuationSupport
        fields = ["needs", "note", "updated_at"]
        read_only_fields = ["updated_at"]


class SupportReadInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000, help_text=_("Why the register is read (recorded)."))


class SupportEntrySerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField()
    name = serializers.CharField()
    school_district = serializers.CharField()
    needs = serializers.ListField(child=serializers.ChoiceField(choices=SupportNeed.choices))
    note = serializers.CharField()
    ground = serializers.ChoiceField(
        choices=["consent", "disaster"],
        help_text=_("The person's consent, or the disaster declared for the area."),
    )
    disaster = serializers.IntegerField(allow_null=True)
