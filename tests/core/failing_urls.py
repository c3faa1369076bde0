"""The project's URLs and a view that fails, to see what a server error answers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


handler500 = urls.handler500
urlpatterns = [path("api/v1/fail/", fail), path("staff/fail/", fail), *urls.urlpatterns]
