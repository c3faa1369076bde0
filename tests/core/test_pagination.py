"""A paged list says so in the schema: the view names its pagination class, or its first
request fails (the app's generated client would otherwise read a page as a bare list)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.api.pagination import PageNumberPagination
from core.api.views import paginated


class _Undeclared(APIView):
    pass


class _Declared(APIView):
    pagination_class = PageNumberPagination


def _request() -> Request:
    return Request(APIRequestFactory().get("/api/v1/things/", {"page_size": 2}))


def test_a_view_that_pages_without_declaring_it_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="_Undeclared"):
        paginated(_request(), _Undeclared(), [1, 2, 3], str)


def test_a_declared_view_answers_a_page() -> None:
    response = paginated(_request(), _Declared(), [1, 2, 3], str)

    assert (response.data["count"], response.data["results"]) == (3, ["1", "2"])
    assert response.data["next"] is not None
