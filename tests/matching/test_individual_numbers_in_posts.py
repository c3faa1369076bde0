"""No individual number survives into a need (property test over the fields and the ways
people type one): the request is refused before the view and nothing is stored."""

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from matching.models import Need
from tests.core.test_individual_numbers import FORMATS, eleven_digits, number
from tests.matching.test_posts_api import need_body
from volunteer.models import Area, User

ApiClient = Callable[[User], APIClient]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=eleven_digits,
    form=st.sampled_from(sorted(FORMATS)),
    field=st.sampled_from(["title", "address", "note"]),
)
def test_no_number_survives_into_a_need_whatever_the_field(
    client_for: ApiClient,
    resident: User,
    school_district: Area,
    catalogue: None,
    first: str,
    form: str,
    field: str,
) -> None:
    before = Need.objects.count()
    body = need_body(school_district, **{field: f"連絡先 {FORMATS[form](number(first))} まで"})

    response = client_for(resident).post("/api/v1/needs/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "individual_number_refused"
    assert Need.objects.count() == before
