"""The disaster staff pages in the staff site (under /staff/disaster/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
