import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import require_recent_sign_in, signed_in_user
from core.api.errors import DomainError, error_body
from core.api.schema import refuses
from core.api.views import download_renderers, validated
from core.errors import NotFound, OwnCase, ReasonRequired, ReauthenticationRequired
from disaster import errors, selectors, services
from disaster.api import serializers as s
from disaster.api.permissions import (
    IsCentreStaff,
    IsDisasterOffice,
    IsDisasterStaff,
    IsLocalSupporter,
    IsShelterStaff,
)
from disaster.models import CentreReception, Disaster, Shelter, ShelterStay, VolunteerCentre
from plan_registry.models import Area
from volunteer.errors import ConsentRequired, UseSuspended

# What any reception can be refused for.
RECEPTION_REFUSALS = (
    errors.NotShelterStaff,
    errors.ShelterClosed,
    errors.DisasterNotActive,
    errors.ScanTimeInvalid,
    errors.ShelterPassInvalid,
    errors.ShelterPassExpired,
    errors.HouseholdAlreadyReceived,
    errors.ReceptionIdReused,
    errors.MemberNotInHousehold,
    errors.PeopleRequired,
)


class DisasterListView(APIView):
    """Disasters declared now: the app switches to disaster mode for these wards."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.DisasterSerializer(many=True))
    def get(self, request: Request) -> Response:
        disasters = selectors.disasters_active().prefetch_related("wards")
        return Response(s.DisasterSerializer(disasters, many=True, context={"now": timezone.now()}).data)


class StaffDisasterListView(APIView):
    """Every declaration with its record (headquarters); POST declares a new disaster."""

    permission_classes = [IsAuthenticated, IsDisasterOffice]

    @extend_schema(responses=s.StaffDisasterSerializer(many=True))
    def get(self, request: Request) -> Response:
        disasters = selectors.disaster_list_for_staff()
        return Response(s.StaffDisasterSerializer(disasters, many=True, context={"now": timezone.now()}).data)

    @extend_schema(
        request=s.DeclareInputSerializer,
        responses={201: s.StaffDisasterSerializer},
        description="Declares a disaster for the wards named (the headquarters of every one of them). "
        "It lapses after DISASTER_DECLARATION_HOURS unless renewed. Needs a sign-in or a password "
        "confirmed within the last five minutes, else 403 `reauthentication_required`.",
    )
    @refuses(ReauthenticationRequired, errors.NotDisasterOffice, errors.WardsRequired, ReasonRequired)
    def post(self, request: Request) -> Response:
        require_recent_sign_in(request)
        data = validated(s.DeclareInputSerializer, request.data)
        ward_ids = list(
            Area.objects.filter(kind=Area.Kind.WARD, code__in=data["wards"]).values_list("pk", flat=True)
        )
        if len(ward_ids) != len(set(data["wards"])):
            raise errors.WardsRequired()
        disaster = services.disaster_declare(
            staff=signed_in_user(request),
            name=data["name"],
            ward_ids=ward_ids,
            accepted_residence=data["accepted_residence"],
            reason=data["reason"],
        )
        return _staff_disaster(disaster, status.HTTP_201_CREATED)


def _staff_disaster(disaster: Disaster, code: int = status.HTTP_200_OK) -> Response:
    disaster = selectors.disaster_list_for_staff().get(pk=disaster.pk)
    return Response(s.StaffDisasterSerializer(disaster, context={"now": timezone.now()}).data, status=code)


class _DisasterSwitchView(APIView):
    permission_classes = [IsAuthenticated, IsDisasterOffice]
    switch: Any = None

    @extend_schema(request=s.ReasonInputSerializer, responses=s.StaffDisasterSerializer)
    @refuses(
        ReauthenticationRequired, errors.NotDisasterOffice, errors.DisasterNotActive, ReasonRequired, NotFound
    )
    def post(self, request: Request, disaster_id: int) -> Response:
        require_recent_sign_in(request)
        data = validated(s.ReasonInputSerializer, request.data)
        disaster = Disaster.objects.filter(pk=disaster_id).first()
        if disaster is None:
            raise NotFound()
        changed = type(self).switch(disaster=disaster, staff=signed_in_user(request), reason=data["reason"])
        return _staff_disaster(changed)


class DisasterRenewView(_DisasterSwitchView):
    """Renews a declaration: it now lapses DISASTER_DECLARATION_HOURS from now (fresh sign-in)."""

    switch = staticmethod(services.disaster_renew)


class DisasterEndView(_DisasterSwitchView):
    """Ends disaster mode for the disaster's wards (fresh sign-in)."""

    switch = staticmethod(services.disaster_end)


class DisasterSpecialMeasureView(_DisasterSwitchView):
    """Records that the large-scale disaster special measure (大規模災害特例) applies: volunteer
    activity insurance taken out from now on is in force the same day (fresh sign-in)."""

    switch = staticmethod(services.disaster_special_measure_apply)


class MyHouseholdView(APIView):
    """The people I evacuate with (I am always in it): one scan at a shelter takes us all in."""

    @extend_schema(responses=s.HouseholdSerializer)
    def get(self, request: Request) -> Response:
        person = signed_in_user(request)
        household = getattr(person, "household", None)
        if household is None:
            return Response({"members": [], "updated_at": None})
        return Response(s.HouseholdSerializer(household).data)

    @extend_schema(request=s.HouseholdInputSerializer, responses=s.HouseholdSerializer)
    def put(self, request: Request) -> Response:
        data = validated(s.HouseholdInputSerializer, request.data)
        members = [services.MemberInput(name=m["name"], age_group=m["age_group"]) for m in data["members"]]
        household = services.household_set(head=signed_in_user(request), members=members)
        return Response(s.HouseholdSerializer(household).data)


class MyShelterCodeView(APIView):
    """My household's shelter code: the app keeps it and shows it offline until it expires."""

    @extend_schema(responses=s.ShelterCodeSerializer)
    def get(self, request: Request) -> Response:
        code, expires_at = services.shelter_code_make(person=signed_in_user(request))
        return Response(s.ShelterCodeSerializer({"code": code, "expires_at": expires_at}).data)


class PublicShelterListView(APIView):
    """Shelters open now, for anyone looking for one."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.PublicShelterSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.PublicShelterSerializer(selectors.shelters_public(), many=True).data)


def _shelter(request: Request, shelter_id: int) -> Shelter:
    shelter = selectors.shelter_get_for_staff(shelter_id=shelter_id, staff=signed_in_user(request))
    if shelter is None:
        raise NotFound()
    return shelter


def _reception(data: dict[str, Any]) -> services.Reception:
    people = tuple(services.MemberInput(**person) for person in data.get("people", ()))
    members = data.get("members")
    return services.Reception(
        reception_id=data["reception_id"],
        scanned_at=data["scanned_at"],
        stay_type=data["stay_type"],
        code=data.get("code", ""),
        member_ids=tuple(members) if members is not None else None,
        people=people,
    )


def _stay_data(stay: ShelterStay) -> dict[str, Any]:
    stay = ShelterStay.objects.select_related("transferred_to").prefetch_related("evacuees").get(pk=stay.pk)
    return dict(s.StaySerializer(stay).data)


class ShelterReceptionView(APIView):
    """Takes people in: a household head's shelter code scanned (one scan for the household), or
    people entered by staff. 201 for a new reception; 200 with the first result for a reception id
    already known (an offline device's upload repeated)."""

    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(
        request=s.ReceptionInputSerializer, responses={201: s.StaySerializer, 200: s.StaySerializer}
    )
    @refuses(NotFound, *RECEPTION_REFUSALS)
    def post(self, request: Request, shelter_id: int) -> Response:
        shelter = _shelter(request, shelter_id)
        reception = _reception(validated(s.ReceptionInputSerializer, request.data))
        stay, created = services.shelter_receive(
            shelter=shelter, staff=signed_in_user(request), reception=reception
        )
        return Response(_stay_data(stay), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ShelterReceptionBatchView(APIView):
    """A device's queued receptions, uploaded when the network is back: each gets its own result
    (`new`, `known` for an id already stored, or `refused` with the code), so one refusal does not
    hold back the rest, and uploading the same batch again changes nothing."""

    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(request=s.ReceptionBatchInputSerializer, responses=s.ReceptionResultSerializer(many=True))
    @refuses(NotFound)
    def post(self, request: Request, shelter_id: int) -> Response:
        shelter, staff = _shelter(request, shelter_id), signed_in_user(request)
        data = validated(s.ReceptionBatchInputSerializer, request.data)
        return Response([_receive_one(shelter, staff, _reception(item)) for item in data["receptions"]])


def _receive_one(shelter: Shelter, staff: Any, reception: services.Reception) -> dict[str, Any]:
    return _batch_item(
        reception.reception_id,
        lambda: services.shelter_receive(shelter=shelter, staff=staff, reception=reception),
        _stay_data,
        "stay",
    )


def _batch_item(
    reception_id: uuid.UUID, receive: Callable[[], tuple[Any, bool]], render: Callable[[Any], Any], key: str
) -> dict[str, Any]:
    """One item of an offline device's batch: `new`, `known` (the first result again) or
    `refused` with the refusal's code and message; `key` names the stored row in the answer."""
    try:
        stored, created = receive()
    except DomainError as refused:
        body = error_body(refused)
        return {
            "reception_id": str(reception_id),
            "result": "refused",
            "code": body["code"],
            "message": body["message"],
            key: None,
        }
    result = "new" if created else "known"
    return {
        "reception_id": str(reception_id),
        "result": result,
        "code": None,
        "message": None,
        key: render(stored),
    }


def _stay(request: Request, reception_id: uuid.UUID) -> ShelterStay:
    stay = selectors.stay_get_for_staff(reception_id=reception_id, staff=signed_in_user(request))
    if stay is None:
        raise NotFound()
    return stay


class StayLeaveView(APIView):
    """The people of a reception left the shelter."""

    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(request=None, responses=s.StaySerializer)
    @refuses(NotFound, errors.NotShelterStaff, errors.StayAlreadyLeft)
    def post(self, request: Request, reception_id: uuid.UUID) -> Response:
        stay = services.stay_leave(stay=_stay(request, reception_id), staff=signed_in_user(request))
        return Response(_stay_data(stay))


class StayTransferView(APIView):
    """The people of a reception move to another open shelter (a new reception there)."""

    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(
        request=s.TransferInputSerializer, responses={201: s.StaySerializer, 200: s.StaySerializer}
    )
    @refuses(
        NotFound,
        errors.NotShelterStaff,
        errors.StayAlreadyLeft,
        errors.SameShelter,
        errors.ShelterClosed,
        errors.DisasterNotActive,
        errors.ReceptionIdReused,
    )
    def post(self, request: Request, reception_id: uuid.UUID) -> Response:
        stay = _stay(request, reception_id)
        data = validated(s.TransferInputSerializer, request.data)
        to_shelter = Shelter.objects.filter(pk=data["shelter"]).first()
        if to_shelter is None:
            raise NotFound()
        moved, created = services.stay_transfer(
            stay=stay, to_shelter=to_shelter, staff=signed_in_user(request), reception_id=data["reception_id"]
        )
        return Response(_stay_data(moved), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ShelterOpenView(APIView):
    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(request=s.OpenInputSerializer, responses=s.PublicShelterSerializer)
    @refuses(NotFound, errors.NotShelterStaff, errors.DisasterNotActive, errors.ShelterOutsideDisaster)
    def post(self, request: Request, shelter_id: int) -> Response:
        shelter = _shelter(request, shelter_id)
        data = validated(s.OpenInputSerializer, request.data)
        disaster = Disaster.objects.filter(pk=data["disaster"]).first()
        if disaster is None:
            raise NotFound()
        shelter = services.shelter_open(shelter=shelter, disaster=disaster, staff=signed_in_user(request))
        return Response(s.PublicShelterSerializer(shelter).data)


class ShelterCloseView(APIView):
    permission_classes = [IsAuthenticated, IsShelterStaff]

    @extend_schema(request=None, responses=s.PublicShelterSerializer)
    @refuses(NotFound, errors.NotShelterStaff, errors.ShelterStillOccupied)
    def post(self, request: Request, shelter_id: int) -> Response:
        shelter = services.shelter_close(shelter=_shelter(request, shelter_id), staff=signed_in_user(request))
        return Response(s.PublicShelterSerializer(shelter).data)


def headcounts_data() -> dict[str, Any]:
    rows, city = selectors.headcounts()
    shelters = [
        {
            "id": shelter.pk,
            "name": shelter.name,
            "school_district": shelter.school_district.code,
            "status": shelter.status,
            "disaster": shelter.disaster_id,
            "capacity": shelter.capacity,
            "count": vars(count),
        }
        for shelter, count in rows
    ]
    return {"at": timezone.now(), "city": vars(city), "shelters": shelters}


class HeadcountsView(APIView):
    """Live headcounts: each shelter open or still holding people, and the city's total."""

    permission_classes = [IsAuthenticated, IsDisasterStaff]

    @extend_schema(responses=s.HeadcountsSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.HeadcountsSerializer(headcounts_data()).data)


# --- the disaster volunteer centre ---------------------------------------------------------

CENTRE_RECEPTION_REFUSALS = (
    errors.NotCentreStaff,
    errors.CentreClosed,
    errors.ScanTimeInvalid,
    errors.VolunteerCodeInvalid,
    errors.VolunteerCodeExpired,
    errors.NotRegisteredWithCentre,
    errors.InsuranceNotInForce,
    errors.CentreFullToday,
    errors.VolunteerAlreadyReceived,
    errors.ReceptionIdReused,
)


class CentreListView(APIView):
    """Disaster volunteer centres taking volunteers now, with whom they accept."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.CentreSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.CentreSerializer(selectors.centres_open(), many=True).data)


class CentreCreateView(APIView):
    """The headquarters sets up a disaster volunteer centre in one of the disaster's wards."""

    permission_classes = [IsAuthenticated, IsDisasterOffice]

    @extend_schema(request=s.CentreInputSerializer, responses={201: s.CentreSerializer})
    @refuses(NotFound, errors.NotCentreStaff, errors.DisasterNotActive, errors.CentreOutsideDisaster)
    def post(self, request: Request, disaster_id: int) -> Response:
        data = validated(s.CentreInputSerializer, request.data)
        disaster = Disaster.objects.filter(pk=disaster_id).first()
        district = Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT, code=data["school_district"]).first()
        if disaster is None or district is None:
            raise NotFound()
        centre = services.centre_open(
            disaster=disaster,
            staff=signed_in_user(request),
            name=data["name"],
            school_district_id=district.pk,
            address=data["address"],
            daily_quota=data["daily_quota"],
        )
        return Response(s.CentreSerializer(centre).data, status=status.HTTP_201_CREATED)


def _open_centre(centre_id: int) -> VolunteerCentre:
    centre = selectors.centres_open().filter(pk=centre_id).first()
    if centre is None:
        raise NotFound()
    return centre


class CentreRegistrationView(APIView):
    """My pre-registration with a centre: PUT registers or changes it, DELETE withdraws it."""

    @extend_schema(responses=s.RegistrationSerializer)
    @refuses(NotFound)
    def get(self, request: Request, centre_id: int) -> Response:
        registration = (
            selectors.registrations_of(person=signed_in_user(request)).filter(centre_id=centre_id).first()
        )
        if registration is None:
            raise NotFound()
        return Response(s.RegistrationSerializer(registration).data)

    @extend_schema(request=s.RegistrationInputSerializer, responses=s.RegistrationSerializer)
    @refuses(
        NotFound,
        errors.CentreClosed,
        errors.ResidenceNotAccepted,
        errors.DaysOutOfRange,
        errors.UnknownSkillOrLicence,
        ConsentRequired,
        UseSuspended,
    )
    def put(self, request: Request, centre_id: int) -> Response:
        data = validated(s.RegistrationInputSerializer, request.data)
        registration = services.centre_register(
            centre=_open_centre(centre_id),
            person=signed_in_user(request),
            registration=services.RegistrationInput(
                skill_codes=tuple(data["skills"]),
                licence_codes=tuple(data["licences"]),
                vehicle=data["vehicle"],
                home_prefecture=data["home_prefecture"],
                days=tuple(data["days"]),
            ),
        )
        fresh = selectors.registrations_of(person=signed_in_user(request)).get(pk=registration.pk)
        return Response(s.RegistrationSerializer(fresh).data)

    @extend_schema(responses={204: None})
    @refuses(NotFound)
    def delete(self, request: Request, centre_id: int) -> Response:
        registration = (
            selectors.registrations_of(person=signed_in_user(request)).filter(centre_id=centre_id).first()
        )
        if registration is None:
            raise NotFound()
        services.centre_registration_withdraw(registration=registration)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyCallUpListView(APIView):
    """The days centres have asked me to come, and my replies."""

    @extend_schema(responses=s.CallUpSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            s.CallUpSerializer(selectors.call_ups_of(person=signed_in_user(request)), many=True).data
        )


class MyCallUpReplyView(APIView):
    """Coming or not: "not coming" frees the place for the next volunteer."""

    @extend_schema(request=s.CallUpReplySerializer, responses=s.CallUpSerializer)
    @refuses(NotFound, errors.CallUpPast, errors.CallUpPlaceGiven)
    def post(self, request: Request, call_up_id: int) -> Response:
        person = signed_in_user(request)
        call_up = selectors.call_up_get(call_up_id=call_up_id, person=person)
        if call_up is None:
            raise NotFound()
        data = validated(s.CallUpReplySerializer, request.data)
        replied = services.call_up_reply(call_up=call_up, person=person, coming=data["coming"])
        return Response(s.CallUpSerializer(selectors.call_ups_of(person=person).get(pk=replied.pk)).data)


def _centre(request: Request, centre_id: int) -> VolunteerCentre:
    centre = selectors.centre_get_for_staff(centre_id=centre_id, staff=signed_in_user(request))
    if centre is None:
        raise NotFound()
    return centre


def _reception_data(reception: Any) -> dict[str, Any]:
    reception = type(reception).objects.select_related("person", "insurance").get(pk=reception.pk)
    return dict(s.CentreReceptionSerializer(reception).data)


def _scan(data: dict[str, Any]) -> services.VolunteerScan:
    return services.VolunteerScan(
        reception_id=data["reception_id"], scanned_at=data["scanned_at"], code=data["code"]
    )


class CentreReceptionView(APIView):
    """Receives a volunteer at the door by their app code: registered here, called up or within the
    day's quota, and insured (natural disaster plan) for the day. 201 new; 200 with the first
    result for a reception id already known."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(
        request=s.VolunteerScanSerializer,
        responses={201: s.CentreReceptionSerializer, 200: s.CentreReceptionSerializer},
    )
    @refuses(NotFound, *CENTRE_RECEPTION_REFUSALS)
    def post(self, request: Request, centre_id: int) -> Response:
        centre = _centre(request, centre_id)
        scan = _scan(validated(s.VolunteerScanSerializer, request.data))
        reception, created = services.centre_receive(centre=centre, staff=signed_in_user(request), scan=scan)
        return Response(
            _reception_data(reception), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class CentreReceptionBatchView(APIView):
    """A device's queued scans, uploaded when the network is back: each gets `new`, `known` or
    `refused` with its code; uploading the same batch again changes nothing."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(
        request=s.VolunteerScanBatchSerializer, responses=s.CentreReceptionResultSerializer(many=True)
    )
    @refuses(NotFound)
    def post(self, request: Request, centre_id: int) -> Response:
        centre, staff = _centre(request, centre_id), signed_in_user(request)
        data = validated(s.VolunteerScanBatchSerializer, request.data)
        return Response([_centre_receive_one(centre, staff, _scan(item)) for item in data["receptions"]])


def _centre_receive_one(centre: VolunteerCentre, staff: Any, scan: services.VolunteerScan) -> dict[str, Any]:
    return _batch_item(
        scan.reception_id,
        lambda: services.centre_receive(centre=centre, staff=staff, scan=scan),
        _reception_data,
        "reception",
    )


class CentreInsuranceView(APIView):
    """Records volunteer activity insurance (natural disaster plan) the volunteer took out at the
    desk, identified by their app code. In force from tomorrow, or at once under the disaster's
    large-scale special measure (大規模災害特例)."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(request=s.InsuranceInputSerializer, responses={201: s.InsuranceSerializer})
    @refuses(
        NotFound,
        errors.NotCentreStaff,
        errors.CentreClosed,
        errors.VolunteerCodeInvalid,
        errors.VolunteerCodeExpired,
        errors.InsuranceTypeMissing,
        OwnCase,
    )
    def post(self, request: Request, centre_id: int) -> Response:
        centre = _centre(request, centre_id)
        data = validated(s.InsuranceInputSerializer, request.data)
        person = services.person_from_code(code=data["code"], scanned_at=data["scanned_at"])
        insurance = services.insurance_record_on_the_spot(
            centre=centre, staff=signed_in_user(request), person=person
        )
        today = timezone.localdate()
        in_force = services.insurance_in_force(
            person=person, day=today, special_measure=centre.disaster.insurance_special_measure
        )
        body = {
            "person": person.pk,
            "obtained_on": insurance.obtained_on,
            "expires_on": insurance.expires_on,
            "in_force_today": in_force is not None,
        }
        return Response(s.InsuranceSerializer(body).data, status=status.HTTP_201_CREATED)


def _day(day: str) -> dt.date:
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        raise NotFound() from None


class CentreDayView(APIView):
    """A day at a centre: its quota, the call-ups and their replies, those received. PUT sets the
    day's quota (rain, a holiday); the call-ups follow it."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(responses=s.CentreDaySerializer)
    @refuses(NotFound)
    def get(self, request: Request, centre_id: int, day: str) -> Response:
        return Response(
            s.CentreDaySerializer(
                selectors.centre_day_summary(centre=_centre(request, centre_id), day=_day(day))
            ).data
        )

    @extend_schema(request=s.QuotaInputSerializer, responses=s.CentreDaySerializer)
    @refuses(NotFound, errors.NotCentreStaff)
    def put(self, request: Request, centre_id: int, day: str) -> Response:
        centre, the_day = _centre(request, centre_id), _day(day)
        data = validated(s.QuotaInputSerializer, request.data)
        services.centre_day_quota_set(
            centre=centre, day=the_day, quota=data["quota"], staff=signed_in_user(request)
        )
        if the_day > timezone.localdate():
            services.centre_call_up(centre=centre, day=the_day)
        return Response(s.CentreDaySerializer(selectors.centre_day_summary(centre=centre, day=the_day)).data)


# --- needs, triage, teams ------------------------------------------------------------------


NEED_REFUSALS = (
    errors.CentreClosed,
    errors.PlaceRequired,
    errors.NeedOutsideDisaster,
    errors.UnknownSkillOrLicence,
)


class CentreNeedView(APIView):
    """A resident asks the centre for help (泥出し, 家財搬出, 片付け …) at a place in the disaster's
    wards; staff triage it before teams go."""

    @extend_schema(request=s.DisasterNeedInputSerializer, responses={201: s.DisasterNeedSerializer})
    @refuses(NotFound, *NEED_REFUSALS)
    def post(self, request: Request, centre_id: int) -> Response:
        data = validated(s.DisasterNeedInputSerializer, request.data)
        need = services.need_post(
            centre=_open_centre(centre_id), need=s.need_input(data), requester=signed_in_user(request)
        )
        return Response(s.DisasterNeedSerializer(need).data, status=status.HTTP_201_CREATED)


class MyDisasterNeedListView(APIView):
    """What I asked the centres for, and where it stands."""

    @extend_schema(responses=s.DisasterNeedSerializer(many=True))
    def get(self, request: Request) -> Response:
        needs = selectors.disaster_needs_of(person=signed_in_user(request))
        return Response(s.DisasterNeedSerializer(needs, many=True).data)


class StaffCentreNeedView(APIView):
    """The centre's needs (GET, with `status`); POST enters a phone call for someone, with the
    caller's name and a number to call back."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(responses=s.StaffDisasterNeedSerializer(many=True))
    @refuses(NotFound)
    def get(self, request: Request, centre_id: int) -> Response:
        needs = selectors.disaster_needs_of_centre(
            centre=_centre(request, centre_id), status=request.query_params.get("status")
        )
        return Response(s.StaffDisasterNeedSerializer(needs, many=True).data)

    @extend_schema(request=s.PhoneNeedInputSerializer, responses={201: s.StaffDisasterNeedSerializer})
    @refuses(NotFound, errors.NotCentreStaff, errors.ContactRequired, *NEED_REFUSALS)
    def post(self, request: Request, centre_id: int) -> Response:
        centre = _centre(request, centre_id)
        data = validated(s.PhoneNeedInputSerializer, request.data)
        need = services.need_post(centre=centre, need=s.need_input(data), entered_by=signed_in_user(request))
        return Response(s.StaffDisasterNeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedTriageView(APIView):
    """Staff decide whether volunteers go, and how urgent it is (1 most), with a reason."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(request=s.TriageInputSerializer, responses=s.StaffDisasterNeedSerializer)
    @refuses(NotFound, errors.NotCentreStaff, errors.NeedDone, ReasonRequired, OwnCase)
    def post(self, request: Request, need_id: int) -> Response:
        need = selectors.disaster_need_get_for_staff(need_id=need_id, staff=signed_in_user(request))
        if need is None:
            raise NotFound()
        data = validated(s.TriageInputSerializer, request.data)
        triaged = services.need_triage(
            need=need,
            staff=signed_in_user(request),
            accept=data["accept"],
            urgency=data["urgency"],
            reason=data["reason"],
        )
        return Response(s.StaffDisasterNeedSerializer(triaged).data)


class CentreTeamView(APIView):
    """Today's teams (GET); POST forms teams of the volunteers received and free, by the exact
    engine, and dispatches them to the accepted needs, most urgent first."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(responses=s.TeamSerializer(many=True))
    @refuses(NotFound)
    def get(self, request: Request, centre_id: int) -> Response:
        teams = selectors.teams_of_day(centre=_centre(request, centre_id), day=timezone.localdate())
        return Response(s.TeamSerializer(teams, many=True).data)

    @extend_schema(request=None, responses={201: s.TeamSerializer(many=True)})
    @refuses(NotFound, errors.NotCentreStaff, errors.NoTeamsToForm)
    def post(self, request: Request, centre_id: int) -> Response:
        centre = _centre(request, centre_id)
        formed = services.teams_form(centre=centre, staff=signed_in_user(request))
        teams = selectors.teams_of_day(centre=centre, day=timezone.localdate()).filter(
            pk__in=[t.pk for t in formed]
        )
        return Response(s.TeamSerializer(teams, many=True).data, status=status.HTTP_201_CREATED)


def _team(request: Request, team_id: int) -> Any:
    team = selectors.team_get_for_staff(team_id=team_id, staff=signed_in_user(request))
    if team is None:
        raise NotFound()
    return team


class TeamMemberAddView(APIView):
    """Adds a late arrival (received today, in no team) to a team, never past the team size."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(request=s.TeamMemberInputSerializer, responses={201: s.TeamSerializer})
    @refuses(
        NotFound,
        errors.NotCentreStaff,
        errors.TeamFull,
        errors.TeamAlreadyReported,
        errors.VolunteerAlreadyReceived,
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = _team(request, team_id)
        data = validated(s.TeamMemberInputSerializer, request.data)
        reception = CentreReception.objects.filter(
            reception_id=data["reception_id"], centre=team.centre
        ).first()
        if reception is None:
            raise NotFound()
        services.team_member_add(team=team, reception=reception, staff=signed_in_user(request))
        return Response(
            s.TeamSerializer(selectors.teams_of_day(centre=team.centre, day=team.day).get(pk=team.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class TeamReportView(APIView):
    """The day's report: the need done, or the helpers still needed; the members' attendance is
    verified (points and certificates follow)."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(request=s.CompletionInputSerializer, responses={201: s.CompletionSerializer})
    @refuses(NotFound, errors.NotCentreStaff, errors.TeamAlreadyReported, OwnCase)
    def post(self, request: Request, team_id: int) -> Response:
        team = _team(request, team_id)
        data = validated(s.CompletionInputSerializer, request.data)
        report = services.team_complete(
            team=team,
            staff=signed_in_user(request),
            outcome=data["outcome"],
            helpers_still_needed=data["helpers_still_needed"],
            note=data["note"],
        )
        return Response(s.CompletionSerializer(report).data, status=status.HTTP_201_CREATED)


# --- the register of people who need help to evacuate --------------------------------------


class MyEvacuationSupportView(APIView):
    """My entry on the register of people who need help to evacuate (避難行動要支援者). Local
    supporters of my area see it if I consent (the `support_register` consent, /me/consents/), and
    in a disaster declared for my area without it, every read recorded."""

    @extend_schema(responses=s.EvacuationSupportSerializer)
    @refuses(NotFound)
    def get(self, request: Request) -> Response:
        support = selectors.evacuation_support_of(person=signed_in_user(request))
        if support is None:
            raise NotFound()
        return Response(s.EvacuationSupportSerializer(support).data)

    @extend_schema(request=s.EvacuationSupportSerializer, responses=s.EvacuationSupportSerializer)
    @refuses(errors.SupportNeedsRequired)
    def put(self, request: Request) -> Response:
        data = validated(s.EvacuationSupportSerializer, request.data)
        support = services.evacuation_support_set(
            person=signed_in_user(request), needs=data["needs"], note=data["note"]
        )
        return Response(s.EvacuationSupportSerializer(support).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        services.evacuation_support_remove(person=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SupportRegisterReadView(APIView):
    """The register of the reader's areas (民生委員 and 自主防災組織): in normal times those who
    consented; in a ward under a declared disaster, everyone on it. The reason is required, and
    every entry shown is recorded as read (who, when, whom, why, under which disaster)."""

    permission_classes = [IsAuthenticated, IsLocalSupporter]

    @extend_schema(request=s.SupportReadInputSerializer, responses=s.SupportEntrySerializer(many=True))
    @refuses(ReasonRequired)
    def post(self, request: Request) -> Response:
        data = validated(s.SupportReadInputSerializer, request.data)
        entries = services.support_register_read(reader=signed_in_user(request), reason=data["reason"])
        return Response(
            [
                {
                    "person": e.support.person_id,
                    "name": e.support.person.display_name,
                    "school_district": e.support.person.school_district.code
                    if e.support.person.school_district
                    else "",
                    "needs": e.support.needs,
                    "note": e.support.note,
                    "ground": "consent" if e.disaster_id is None else "disaster",
                    "disaster": e.disaster_id,
                }
                for e in entries
            ]
        )


class TeamWorkOrderView(APIView):
    """The team's printable work order (活動指示書, A4 PDF): place, work, contact, members with the
    leader and sub-leader, equipment, safety, and a report section filled in on the way back."""

    permission_classes = [IsAuthenticated, IsCentreStaff]
    renderer_classes = download_renderers("application/pdf", "pdf")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @refuses(NotFound, errors.WorkOrderFontMissing)
    def get(self, request: Request, team_id: int) -> HttpResponse:
        team = _team(request, team_id)
        response = HttpResponse(services.work_order_pdf(team=team), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="work-order-{team.day:%Y%m%d}-{team.number}.pdf"'
        return response
