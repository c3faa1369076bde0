"""Downloads by content negotiation: the certificate PDF and the CSVs answer the media type the
schema declares when an app asks for it (`Accept`), and `*/*`; an error on the way is JSON."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from points import services
from volunteer.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(senior: User, verified: Any) -> Any:
    return services.certificate_issue(person=senior, participation=verified(senior))


@pytest.mark.parametrize("accept", ["application/pdf", "*/*", "application/pdf, application/json;q=0.5"])
def test_the_certificate_pdf_answers_what_the_schema_declares(
    client_for: Callable[[User], APIClient], senior: User, certificate: Any, accept: str
) -> None:
    response = client_for(senior).get(f"/api/v1/certificates/{certificate.pk}/pdf/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_error_asked_as_pdf_is_still_json(
    client_for: Callable[[User], APIClient], resident: User, certificate: Any
) -> None:
    response = client_for(resident).get(
        f"/api/v1/certificates/{certificate.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_type_the_download_does_not_have_is_a_406(
    client_for: Callable[[User], APIClient], senior: User, certificate: Any
) -> None:
    response = client_for(senior).get(f"/api/v1/certificates/{certificate.pk}/pdf/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("accept", ["text/csv", "*/*"])
def test_the_csvs_answer_what_the_schema_declares(
    api_client: APIClient, client_for: Callable[[User], APIClient], planner: User, accept: str
) -> None:
    open_data = api_client.get("/api/v1/open-data/indicator-values.csv", HTTP_ACCEPT=accept)
    report = client_for(planner).get("/api/v1/plan/report/csv/", {"fiscal_year": 2025}, HTTP_ACCEPT=accept)

    for response in (open_data, report):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith("\ufeff".encode())
