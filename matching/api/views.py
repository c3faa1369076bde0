from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import signed_in_user
from core.api.idempotency import accepts_idempotency_key
from core.api.pagination import PageNumberPagination
from core.api.schema import refuses
from core.api.views import paginated as _paginated
from core.api.views import validated as _valid
from core.errors import NotFound, OwnCase, ReasonRequired
from matching import errors, selectors
from matching.api import serializers as s
from matching.api.filters import StaffMatchFilter
from matching.models import Match, Need, Offer
from matching.services import decisions, posts
from volunteer.api.permissions import IsCoordinator
from volunteer.errors import ConsentRequired, UseSuspended
from volunteer.models import User
from volunteer.selectors import person_get_active

# --- offers -------------------------------------------------------------------------------


class OfferListCreateView(APIView):
    """My offers (したい); POST posts a new one."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=s.OfferSerializer(many=True))
    def get(self, request: Request) -> Response:
        offers = selectors.offer_list_for_person(person=signed_in_user(request))
        return _paginated(request, self, offers, lambda offer: s.OfferSerializer(offer).data)

    @extend_schema(request=s.OfferInputSerializer, responses={201: s.OfferSerializer})
    @refuses(ConsentRequired, UseSuspended)
    @accepts_idempotency_key
    def post(self, request: Request) -> Response:
        person = signed_in_user(request)
        data = _valid(s.OfferInputSerializer, request.data)
        data.setdefault("school_district", person.school_district)
        data.setdefault("weekly_availability", person.weekly_availability)
        if data["school_district"] is None:
            raise exceptions.ValidationError(
                {"school_district": ["This field is required."]}, code="required"
            )
        offer = posts.offer_create(person=person, terms=posts.OfferTerms(**data))
        return Response(s.OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferDetailView(APIView):
    def _offer(self, request: Request, offer_id: int) -> Offer:
        offer = selectors.offer_get_for_person(offer_id=offer_id, person=signed_in_user(request))
        if offer is None:
            raise exceptions.NotFound()
        return offer

    @extend_schema(responses=s.OfferSerializer)
    def get(self, request: Request, offer_id: int) -> Response:
        return Response(s.OfferSerializer(self._offer(request, offer_id)).data)

    @extend_schema(request=s.OfferUpdateSerializer, responses=s.OfferSerializer)
    @refuses(errors.PostNotOpen)
    def patch(self, request: Request, offer_id: int) -> Response:
        offer = self._offer(request, offer_id)
        data = _valid(s.OfferUpdateSerializer, request.data)
        offer = posts.offer_update(offer=offer, changes=posts.OfferChanges(**data))
        return Response(s.OfferSerializer(offer).data)

    @extend_schema(request=None, responses={200: s.OfferSerializer})
    @refuses(errors.PostNotOpen)
    def delete(self, request: Request, offer_id: int) -> Response:
        offer = posts.offer_withdraw(offer=self._offer(request, offer_id))
        return Response(s.OfferSerializer(offer).data)


# --- needs --------------------------------------------------------------------------------


def _need_data(data: dict[str, Any]) -> dict[str, Any]:
    windows = data.pop("windows", None)
    if windows is not None:
        data["windows"] = [(w["starts_at"], w["ends_at"]) for w in windows]
    return data


class NeedListCreateView(APIView):
    """My needs (してほしい), and my organisations'; POST posts a new one."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=s.NeedSerializer(many=True))
    def get(self, request: Request) -> Response:
        needs = selectors.need_list_for_person(person=signed_in_user(request))
        return _paginated(request, self, needs, lambda need: s.NeedSerializer(need).data)

    @extend_schema(request=s.NeedInputSerializer, responses={201: s.NeedSerializer})
    @refuses(ConsentRequired, UseSuspended, errors.NotOrganisationStaff)
    @accepts_idempotency_key
    def post(self, request: Request) -> Response:
        data = _need_data(_valid(s.NeedInputSerializer, request.data))
        need = posts.need_create(requester=signed_in_user(request), terms=posts.NeedTerms(**data))
        return Response(s.NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetailView(APIView):
    def _need(self, request: Request, need_id: int) -> Need:
        need = selectors.need_get_for_person(need_id=need_id, person=signed_in_user(request))
        if need is None:
            raise exceptions.NotFound()
        return need

    @extend_schema(responses=s.NeedSerializer)
    def get(self, request: Request, need_id: int) -> Response:
        return Response(s.NeedSerializer(self._need(request, need_id)).data)

    @extend_schema(request=s.NeedUpdateSerializer, responses=s.NeedSerializer)
    @refuses(errors.PostNotOpen)
    def patch(self, request: Request, need_id: int) -> Response:
        need = self._need(request, need_id)
        data = _need_data(_valid(s.NeedUpdateSerializer, request.data, partial=True))
        data.pop("organisation", None)
        need = posts.need_update(need=need, actor=signed_in_user(request), changes=posts.NeedChanges(**data))
        return Response(s.NeedSerializer(need).data)

    @extend_schema(request=None, responses={200: s.NeedSerializer})
    @refuses(errors.PostNotOpen)
    def delete(self, request: Request, need_id: int) -> Response:
        need = posts.need_withdraw(need=self._need(request, need_id), actor=signed_in_user(request))
        return Response(s.NeedSerializer(need).data)


# --- matches, for residents -----------------------------------------------------------------


def _match_for(match: Match, person: User) -> dict[str, Any]:
    is_volunteer = match.volunteer_id == person.pk
    settled = match.status in (Match.Status.CONFIRMED, Match.Status.SCHEDULED)
    need = match.need
    return s.MatchSerializer(
        {
            "id": match.pk,
            "role": "volunteer" if is_volunteer else "requester",
            "status": match.status,
            "reason": match.reason,
            "need": {
                "id": need.pk,
                "title": need.title,
                "category": need.category,
                "school_district": need.school_district,
                "windows": need.windows.all(),
                "address": posts.address_release(match=match, person=person),
            },
            "volunteer_name": match.volunteer.display_name if (settled and not is_volunteer) else None,
            "accepted_at": match.accepted_at,
            "proposed_at": match.proposed_at,
        }
    ).data


class MatchListView(APIView):
    """My matches, as volunteer and as requester."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=s.MatchSerializer(many=True))
    def get(self, request: Request) -> Response:
        person = signed_in_user(request)
        matches = selectors.match_list_for_person(person=person)
        return _paginated(request, self, matches, lambda match: _match_for(match, person))


class _VolunteerAnswerView(APIView):
    answer: Any

    @extend_schema(request=s.VolunteerAnswerSerializer, responses=s.MatchSerializer)
    @accepts_idempotency_key
    def post(self, request: Request, match_id: int) -> Response:
        person = signed_in_user(request)
        match = selectors.match_get_for_person(match_id=match_id, person=person)
        if match is None or match.volunteer_id != person.pk:
            raise exceptions.NotFound()
        data = _valid(s.VolunteerAnswerSerializer, request.data)
        match = type(self).answer(match=match, volunteer=person, **data)
        return Response(_match_for(match, person))


@refuses(errors.MatchAlreadyDecided, ConsentRequired, UseSuspended)
class MatchAcceptView(_VolunteerAnswerView):
    @staticmethod
    def answer(*, match: Match, volunteer: User, reason: str = "") -> Match:
        return decisions.match_accept(match=match, volunteer=volunteer)


@refuses(errors.MatchAlreadyDecided)
class MatchDeclineView(_VolunteerAnswerView):
    answer = staticmethod(decisions.match_decline)


# --- the staff queue ------------------------------------------------------------------------


class StaffMatchQueueView(generics.ListAPIView[Match]):
    """Matches on needs in my areas, oldest proposal first; POST matches by hand."""

    serializer_class = s.StaffMatchSerializer
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = StaffMatchFilter
    permission_classes = [IsAuthenticated, IsCoordinator]
    queryset = Match.objects.none()  # the schema's model; each request's rows come from get_queryset

    def get_queryset(self) -> QuerySet[Match]:
        return selectors.match_queue_for_staff(staff=signed_in_user(self.request))

    @extend_schema(request=s.ManualMatchSerializer, responses={201: s.StaffMatchSerializer})
    @refuses(
        NotFound,
        ReasonRequired,
        OwnCase,
        errors.PostNotOpen,
        errors.VolunteerIsRequester,
        errors.NeedFull,
        errors.VolunteerBusy,
        errors.VolunteerHasNoOffer,
        errors.VolunteerAlreadyMatched,
    )
    @accepts_idempotency_key
    def post(self, request: Request) -> Response:
        staff = signed_in_user(request)
        data = _valid(s.ManualMatchSerializer, request.data)
        need = selectors.need_get_for_staff(need_id=data["need"], staff=staff)
        volunteer = person_get_active(person_id=data["volunteer"])
        if need is None or volunteer is None:
            raise exceptions.NotFound()
        match = decisions.match_create_manual(
            need=need,
            volunteer=volunteer,
            staff=staff,
            reason=data["reason"],
            without_offer_reason=data.get("without_offer_reason", ""),
        )
        return Response(s.StaffMatchSerializer(match).data, status=status.HTTP_201_CREATED)


class _StaffDecisionView(APIView):
    permission_classes = [IsAuthenticated, IsCoordinator]
    decide: Any

    @extend_schema(request=s.StaffDecisionSerializer, responses=s.StaffMatchSerializer)
    @accepts_idempotency_key
    def post(self, request: Request, match_id: int) -> Response:
        staff = signed_in_user(request)
        match = selectors.match_get_for_staff(match_id=match_id, staff=staff)
        if match is None:
            raise exceptions.NotFound()
        data = _valid(s.StaffDecisionSerializer, request.data)
        match = type(self).decide(match=match, staff=staff, reason=data.get("reason", ""))
        return Response(s.StaffMatchSerializer(match).data)


@refuses(OwnCase, errors.MatchAlreadyDecided)
class StaffMatchConfirmView(_StaffDecisionView):
    decide = staticmethod(decisions.match_confirm)


@refuses(OwnCase, ReasonRequired, errors.MatchAlreadyDecided)
class StaffMatchRejectView(_StaffDecisionView):
    decide = staticmethod(decisions.match_reject)
