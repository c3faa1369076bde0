"""Residents' rights over their data: disclosure, as an export of everything held (core.personal_data)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.personal_data import person_export
from volunteer.models import RightsRequest, User


@transaction.atomic
def personal_data_export(*, person: User) -> dict[str, Any]:
    """Everything the service holds about the person; the request is recorded first, so the
    export shows it too."""
    now = timezone.now()
    RightsRequest.objects.create(person=person, kind=RightsRequest.Kind.EXPORT, requested_at=now)
    return person_export(person, at=now)
