"""Scoped reads of offers, needs and matches: residents see their own, staff see their areas."""

from django.db.models import Q, QuerySet

from matching.models import Match, Need, Offer
from volunteer.models import OrganisationMembership, User
from volunteer.selectors import staff_area_ids

# The queue's "older than" filter: ten years is older than any match can be, and a larger
# number would overflow the date arithmetic.
MAX_QUEUE_AGE_HOURS = 24 * 365 * 10


def offer_list_for_person(*, person: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(person=person)
        .select_related("school_district")
        .prefetch_related("categories", "skills")
    )


def offer_get_for_person(*, offer_id: int, person: User) -> Offer | None:
    return offer_list_for_person(person=person).filter(pk=offer_id).first()


def need_list_for_person(*, person: User) -> QuerySet[Need]:
    """Needs the person asked for, or asked for on behalf of an organisation they act for."""
    organisations = OrganisationMembership.objects.filter(
        user=person, is_active=True, organisation__status="approved"
    ).values("organisation_id")
    return (
        Need.objects.filter(Q(requester=person) | Q(organisation_id__in=organisations))
        .select_related("category", "school_district", "organisation")
        .prefetch_related("windows", "required_skills", "preferred_skills", "required_qualifications")
        .distinct()
    )


def need_get_for_person(*, need_id: int, person: User) -> Need | None:
    return need_list_for_person(person=person).filter(pk=need_id).first()


def match_list_for_person(*, person: User) -> QuerySet[Match]:
    """Matches where the person is the volunteer, or the need is theirs (or their organisation's)."""
    own_needs = need_list_for_person(person=person).values("pk")
    return (
        Match.objects.filter(Q(volunteer=person) | Q(need_id__in=own_needs))
        .select_related("need__category", "need__school_district", "volunteer")
        .prefetch_related("need__windows")
        .order_by("-proposed_at", "-pk")
    )


def match_get_for_person(*, match_id: int, person: User) -> Match | None:
    return match_list_for_person(person=person).filter(pk=match_id).first()


def match_queue_for_staff(*, staff: User) -> QuerySet[Match]:
    """The coordinator's queue: matches on needs in her areas, oldest proposal first (its filters
    narrow it: matching.api.filters)."""
    # 利用停止: a person who suspended the use of their data is not listed to staff.
    matches = Match.objects.filter(need__school_district_id__in=staff_area_ids(user=staff)).exclude(
        Q(volunteer__use_suspended_at__isnull=False) | Q(need__requester__use_suspended_at__isnull=False)
    )
    return matches.select_related(
        "need__category", "need__school_district", "need__organisation", "volunteer__school_district"
    ).order_by("proposed_at", "pk")


def match_get_for_staff(*, match_id: int, staff: User) -> Match | None:
    return match_queue_for_staff(staff=staff).filter(pk=match_id).first()


def need_get_for_staff(*, need_id: int, staff: User) -> Need | None:
    return Need.objects.filter(pk=need_id, school_district_id__in=staff_area_ids(user=staff)).first()


def address_visible_to(*, match: Match, person: User) -> bool:
    """The need's exact address reaches the volunteer only once both sides settled: staff
    confirmed the match and the volunteer accepted it (scheduled). A match made by hand is
    confirmed at once, so confirmation alone is not enough."""
    return match.volunteer_id == person.pk and match.status == Match.Status.SCHEDULED
