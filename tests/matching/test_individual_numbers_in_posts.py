"""No individual number survives into what residents post, whatever the endpoint and the field, and
however it is typed (property test): the request is refused before the view and nothing is
stored. Spellings with zero-width characters are refused by the hidden-characters check first."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.text import has_hidden_characters
from matching.models import Need, Offer
from tests.core.test_individual_numbers import FORMATS, eleven_digits, number
from tests.matching.test_posts_api import need_body
from volunteer.models import Area, Organisation, User

ApiClient = Callable[[User], APIClient]


def _offer(district: Area, **extra: Any) -> dict[str, Any]:
    valid_until = str(timezone.localdate() + dt.timedelta(days=60))
    return {"categories": ["listening"], "reach": "neighbours", "valid_until": valid_until, **extra}


def _organisation(district: Area, **extra: Any) -> dict[str, Any]:
    return {"name": "NPO 子育てひろば", "kind": "npo", "area": district.code, **extra}


# (method, path, body, the field typed into, the model whose rows must not change)
WRITES: dict[str, tuple[str, str, Callable[..., dict[str, Any]], str, type[models.Model]]] = {
    "need title": ("post", "/api/v1/needs/", need_body, "title", Need),
    "need address": ("post", "/api/v1/needs/", need_body, "address", Need),
    "need note": ("post", "/api/v1/needs/", need_body, "note", Need),
    "offer note": ("post", "/api/v1/offers/", _offer, "note", Offer),
    "organisation name": ("post", "/api/v1/organisations/", _organisation, "name", Organisation),
    "organisation description": (
        "post",
        "/api/v1/organisations/",
        _organisation,
        "description",
        Organisation,
    ),
    "profile name": ("patch", "/api/v1/me/", lambda district, **extra: extra, "display_name", User),
}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=eleven_digits, form=st.sampled_from(sorted(FORMATS)), write=st.sampled_from(sorted(WRITES)))
def test_no_number_survives_into_a_post_whatever_the_endpoint_and_field(
    client_for: ApiClient,
    resident: User,
    school_district: Area,
    catalogue: None,
    first: str,
    form: str,
    write: str,
) -> None:
    method, path, body, field, model = WRITES[write]
    typed = f"連絡先 {FORMATS[form](number(first))} まで"
    before = list(model.objects.values_list("pk", field if model is not User else "display_name"))

    response = getattr(client_for(resident), method)(
        path, body(school_district, **{field: typed}), format="json"
    )

    assert response.status_code == 400
    expected = {"individual_number_refused", "hidden_characters"} if has_hidden_characters(typed) else set()
    assert response.json()["code"] in expected | {"individual_number_refused"}
    assert list(model.objects.values_list("pk", field)) == before
