import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import signed_in_user
from core.api.errors import DomainError, error_body
from core.api.idempotency import accepts_idempotency_key
from core.api.pagination import PageNumberPagination
from core.api.schema import refuses
from core.api.throttling import AddressRateThrottle, SecretPathThrottle
from core.api.views import download_renderers, paginated, validated
from core.errors import NotFound, OwnCase, ReasonRequired
from events import errors, selectors, services
from events.api import filters
from events.api import serializers as s
from events.api.permissions import IsEventStaff
from events.calendar import calendar_ics
from events.models import Activity, CheckIn, Participation
from volunteer.models import Organisation, User
from volunteer.selectors import organisation_acting_for

# What any check-in, by the venue's code or by staff, can be refused for.
CHECKIN_REFUSALS = (
    errors.CheckinTokenInvalid,
    errors.CheckinTokenExpired,
    errors.CheckinTokenReplayed,
    errors.CheckinOutsideTime,
    errors.NotRegistered,
    errors.NotCheckedIn,
)


# What a calendar feed still shows of the past: a season, enough to look back at last month.
CALENDAR_HISTORY = dt.timedelta(days=90)


def _event(event_id: int) -> Activity:
    activity = selectors.event_get(event_id=event_id)
    if activity is None:
        raise exceptions.NotFound()
    return activity


# --- residents ----------------------------------------------------------------------------


class EventListView(generics.ListAPIView[Activity]):
    """Events, soonest first, from now on unless `date_from` says otherwise: by dates, area (a
    ward covers its districts), category, programme, free places and words."""

    serializer_class = s.EventSerializer
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.EventFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.event_list()


class PublicEventListView(EventListView):
    """Upcoming events for anyone, signed in or not (the plan's ボランティア情報の発信: 9.1 % of
    residents would take part but know of no recruitment): what a signed-in resident's list
    shows, from now on. No personal data: an event's organiser is its organisation. Counted
    per address (API_THROTTLE_ADDRESS)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]
    filterset_class = filters.PublicEventFilter


class PublicEventDetailView(APIView):
    """An upcoming event for anyone (404 once it has ended)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]

    @extend_schema(responses=s.EventSerializer)
    def get(self, request: Request, event_id: int) -> Response:
        event = selectors.event_get(event_id=event_id)
        if event is None or event.ends_at < timezone.now():
            raise exceptions.NotFound()
        return Response(s.EventSerializer(event).data)


class EventDetailView(APIView):
    """An event, or an activity I take part in (one scheduled from my match)."""

    @extend_schema(responses=s.EventSerializer)
    def get(self, request: Request, event_id: int) -> Response:
        activity = selectors.activity_get_for_person(activity_id=event_id, person=signed_in_user(request))
        if activity is None:
            raise exceptions.NotFound()
        return Response(s.EventSerializer(activity).data)


class EventRegisterView(APIView):
    @extend_schema(request=None, responses={201: s.MyParticipationSerializer})
    @refuses(errors.EventOver, errors.OfferExpired, errors.OutsideAgeRange, errors.GuardianConsentRequired)
    @accepts_idempotency_key
    def post(self, request: Request, event_id: int) -> Response:
        participation = services.event_register(activity=_event(event_id), person=signed_in_user(request))
        participation = selectors.participation_get(participation_id=participation.pk)
        return Response(s.MyParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)


class EventCancelView(APIView):
    @extend_schema(request=None, responses={204: None})
    @refuses(errors.EventOver)
    @accepts_idempotency_key
    def post(self, request: Request, event_id: int) -> Response:
        if not services.event_cancel(activity=_event(event_id), person=signed_in_user(request)):
            raise exceptions.NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyParticipationListView(APIView):
    """My registrations and attendance, latest first."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=s.MyParticipationSerializer(many=True))
    def get(self, request: Request) -> Response:
        participations = selectors.participation_list_for_person(person=signed_in_user(request))
        return paginated(request, self, participations, lambda p: s.MyParticipationSerializer(p).data)


class CheckInView(APIView):
    """The resident scanned the venue's code. A repeated scan answers 200 with the first check-in."""

    @extend_schema(
        request=s.CheckInInputSerializer, responses={201: s.CheckInSerializer, 200: s.CheckInSerializer}
    )
    @refuses(NotFound, errors.CheckinTokenWrongActivity, *CHECKIN_REFUSALS)
    def post(self, request: Request) -> Response:
        data = validated(s.CheckInInputSerializer, request.data)
        checkin, created = services.checkin_by_venue_token(
            token=data["token"],
            activity_id=data["event"],
            person=signed_in_user(request),
            direction=data["direction"],
        )
        return _checkin_response(checkin, created)


_AT = serializers.DateTimeField()


def _checkin_response(checkin: CheckIn, created: bool) -> Response:
    # The CheckInSerializer's shape, built by hand: this is the busiest write when an event
    # opens (see scripts/bench_checkin.py).
    body = {
        "id": checkin.pk,
        "event": checkin.activity_id,
        "person": checkin.person_id,
        "direction": checkin.direction,
        "method": checkin.method,
        "at": _AT.to_representation(checkin.at),
    }
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MyQrView(APIView):
    """My own short-lived code, for staff to scan (one scan; ask again when it expires)."""

    @extend_schema(responses=s.TokenSerializer)
    def get(self, request: Request) -> Response:
        token = services.checkin_resident_token(person=signed_in_user(request))
        return Response({"token": token, "expires_in": settings.CHECKIN_PERSONAL_CODE_LIFETIME})


class MyCalendarFeedView(APIView):
    """My calendar subscription: POST makes a secret address for a calendar app (a new one
    revokes the old; the address is shown once), GET says whether one is live, DELETE revokes it."""

    @extend_schema(responses=s.CalendarFeedSerializer)
    @refuses(NotFound)
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_of(person=signed_in_user(request))
        if feed is None:
            raise exceptions.NotFound()
        return Response(s.CalendarFeedSerializer(feed).data)

    @extend_schema(request=None, responses={201: s.NewCalendarFeedSerializer})
    def post(self, request: Request) -> Response:
        feed, token = services.calendar_feed_create(person=signed_in_user(request))
        url = f"{settings.PUBLIC_BASE_URL}{services.calendar_feed_path(token)}"
        body = {"created_at": feed.created_at, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
        return Response(s.NewCalendarFeedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    @refuses(NotFound)
    def delete(self, request: Request) -> Response:
        if not services.calendar_feed_revoke(person=signed_in_user(request)):
            raise exceptions.NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarFeedView(APIView):
    """A person's activities as iCalendar (text/calendar), at the secret address their app made:
    from 90 days back on, not cancelled. Anyone holding the address may read it (calendar apps
    send no sign-in); a revoked or unknown one is a 404. Counted per feed (API_THROTTLE_CALENDAR_FEED)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [SecretPathThrottle]
    renderer_classes = download_renderers("text/calendar", "ics")

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request: Request, token: str) -> HttpResponse:
        now = timezone.now()
        participations = selectors.calendar_feed_participations(
            token_hash=services.calendar_token_hash(token), since=now - CALENDAR_HISTORY
        )
        if participations is None:
            raise exceptions.NotFound()
        response = HttpResponse(
            calendar_ics(participations, now=now), content_type="text/calendar; charset=utf-8"
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- organiser staff ----------------------------------------------------------------------


def _staff_event(request: Request, event_id: int) -> Activity:
    activity = selectors.activity_get_for_staff(activity_id=event_id, staff=signed_in_user(request))
    if activity is None:
        raise exceptions.NotFound()
    return activity


def _acting_organisation(staff: User, organisation: Organisation) -> Organisation:
    """The organisation, if the staff member acts for it (approved, active membership)."""
    acting = organisation_acting_for(user=staff, organisation_id=organisation.pk)
    if acting is None:
        raise errors.NotOrganisationStaff()
    return acting


class StaffEventListCreateView(APIView):
    """Events I organise or coordinate; POST creates one for an organisation I act for."""

    pagination_class = PageNumberPagination

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(responses=s.EventSerializer(many=True))
    def get(self, request: Request) -> Response:
        events = selectors.with_counts(
            selectors.activity_list_for_staff(staff=signed_in_user(request))
        ).order_by("-starts_at")
        return paginated(request, self, events, lambda event: s.EventSerializer(event).data)

    @extend_schema(request=s.EventInputSerializer, responses={201: s.EventSerializer})
    @refuses(errors.NotOrganisationStaff)
    def post(self, request: Request) -> Response:
        staff = signed_in_user(request)
        data = validated(s.EventInputSerializer, request.data)
        organisation = _acting_organisation(staff, data.pop("organisation"))
        activity = services.event_create(organisation=organisation, details=services.EventDetails(**data))
        return Response(s.EventSerializer(_event(activity.pk)).data, status=status.HTTP_201_CREATED)


class StaffEventDetailView(APIView):
    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(responses=s.EventSerializer)
    def get(self, request: Request, event_id: int) -> Response:
        return Response(s.EventSerializer(_event(_staff_event(request, event_id).pk)).data)

    @extend_schema(request=s.EventUpdateSerializer, responses=s.EventSerializer)
    @refuses(errors.EventOver, errors.CapacityBelowRegistered)
    def patch(self, request: Request, event_id: int) -> Response:
        activity = _staff_event(request, event_id)
        changes = services.EventChanges(**validated(s.EventUpdateSerializer, request.data))
        services.event_update(activity=activity, changes=changes)
        return Response(s.EventSerializer(_event(activity.pk)).data)


class StaffEventSeriesCreateView(APIView):
    """A recurring event (a weekly salon): its occurrences up to a year ahead."""

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(request=s.EventSeriesInputSerializer, responses={201: s.EventSeriesSerializer})
    @refuses(errors.NotOrganisationStaff, errors.InvalidRecurrence)
    def post(self, request: Request) -> Response:
        staff = signed_in_user(request)
        data = validated(s.EventSeriesInputSerializer, request.data)
        organisation = _acting_organisation(staff, data.pop("organisation"))
        rule = data.pop("rule")
        series = services.event_series_create(
            organisation=organisation, rule=rule, details=services.EventDetails(**data)
        )
        occurrences = selectors.with_counts(series.occurrences.all()).order_by("starts_at")
        body = {
            "id": series.pk,
            "rule": series.rule,
            "occurrences": s.EventSerializer(occurrences, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class StaffEventSeriesUpdateView(APIView):
    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(request=s.EventSeriesUpdateSerializer, responses=s.EventSeriesUpdatedSerializer)
    @refuses(errors.CapacityBelowRegistered)
    def patch(self, request: Request, series_id: int) -> Response:
        staff = signed_in_user(request)
        series = selectors.event_series_get_for_staff(series_id=series_id, staff=staff)
        if series is None:
            raise exceptions.NotFound()
        changes = services.EventSeriesChanges(**validated(s.EventSeriesUpdateSerializer, request.data))
        updated = services.event_series_update(series=series, changes=changes)
        return Response({"updated": updated})


class StaffCheckinTokenView(APIView):
    """The code the venue shows now; the organiser's screen asks again every `expires_in` seconds."""

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(responses=s.TokenSerializer)
    @refuses(errors.NotOrganiserStaff)
    def get(self, request: Request, event_id: int) -> Response:
        token = services.checkin_venue_token(
            activity=_staff_event(request, event_id), staff=signed_in_user(request)
        )
        return Response({"token": token, "expires_in": settings.CHECKIN_CODE_PERIOD})


class StaffCheckinView(APIView):
    """Staff scanned a resident's own code, or enter a person by hand with a reason."""

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(
        request=s.StaffCheckInInputSerializer, responses={201: s.CheckInSerializer, 200: s.CheckInSerializer}
    )
    @refuses(errors.NotOrganiserStaff, OwnCase, ReasonRequired, *CHECKIN_REFUSALS)
    def post(self, request: Request, event_id: int) -> Response:
        staff, activity = signed_in_user(request), _staff_event(request, event_id)
        data = validated(s.StaffCheckInInputSerializer, request.data)
        if "token" in data:
            checkin, created = services.checkin_by_resident_token(
                token=data["token"], activity=activity, staff=staff, direction=data["direction"]
            )
        else:
            person = selectors.participant_get(activity=activity, person_id=data["person"])
            if person is None:
                raise exceptions.ValidationError(
                    {"person": ["Not registered for this event."]}, code="not_registered"
                )
            checkin, created = services.checkin_manual(
                activity=activity,
                person=person,
                staff=staff,
                direction=data["direction"],
                reason=data.get("reason", ""),
            )
        return _checkin_response(checkin, created)


class StaffParticipantListView(APIView):
    pagination_class = PageNumberPagination

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(responses=s.ParticipantSerializer(many=True))
    def get(self, request: Request, event_id: int) -> Response:
        participants = selectors.participants_for_staff(activity=_staff_event(request, event_id))
        return paginated(request, self, participants, lambda p: s.ParticipantSerializer(p).data)


class StaffVerifyView(APIView):
    """Verify attendance, one or many: each participation gets its own result, so one refusal
    (not checked in, already verified) does not hold back the rest."""

    permission_classes = [IsAuthenticated, IsEventStaff]

    @extend_schema(request=s.VerifyInputSerializer, responses=s.VerifyResultSerializer(many=True))
    @accepts_idempotency_key
    def post(self, request: Request, event_id: int) -> Response:
        staff, activity = signed_in_user(request), _staff_event(request, event_id)
        data = validated(s.VerifyInputSerializer, request.data)
        participations = selectors.participations_of_activity(
            activity=activity, participation_ids=data["participations"]
        )
        results = []
        for participation_id in data["participations"]:
            results.append(_verify_one(participations.get(participation_id), participation_id, staff, data))
        return Response(results)


def _verify_one(
    participation: Participation | None, participation_id: int, staff: User, data: dict[str, Any]
) -> dict[str, Any]:
    if participation is None:
        return {"participation": participation_id, "ok": False, "code": "not_found", "minutes": None}
    try:
        verified = services.participation_verify(
            participation=participation, staff=staff, minutes=data.get("minutes"), reason=data["reason"]
        )
    except DomainError as refused:
        return {
            "participation": participation_id,
            "ok": False,
            "code": error_body(refused)["code"],
            "minutes": None,
        }
    return {"participation": participation_id, "ok": True, "code": None, "minutes": verified.minutes}
