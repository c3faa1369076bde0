from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config import views
from core.api.errors import api_path_not_found
from core.api.throttling import StaffLoginAttemptThrottle, throttled_page
from core.api.views import ErrorCatalogueView, PingView
from matching import views as matching_views
from plan_registry import staff_values as plan_values
from plan_registry import views as plan_views
from points import views as points_views
from volunteer import views as volunteer_views

handler400 = "core.api.errors.bad_request"
handler403 = "core.api.errors.permission_denied"
handler404 = "core.api.errors.page_not_found"
handler500 = "core.api.errors.server_error"

api_v1: list[URLPattern | URLResolver] = [
    path("ping/", PingView.as_view(), name="ping"),
    path("errors/", ErrorCatalogueView.as_view(), name="error-catalogue"),
    path("", include("plan_registry.api.urls")),
    path("", include("volunteer.api.urls")),
    path("", include("matching.api.urls")),
    path("", include("events.api.urls")),
    path("", include("points.api.urls")),
    path("", include("disaster.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("readyz", views.ready, name="ready"),
    path(".well-known/did.json", points_views.did_json, name="did-document"),
    path("credentials/status/1", points_views.status_list, name="certificate-status-list"),
    path("verify/<str:serial>/", points_views.verify_page, name="certificate-verify-page"),
    path("identity/callback/", volunteer_views.identity_callback, name="identity-callback"),
    path("staff/queue/", matching_views.match_queue, name="staff-match-queue-page"),
    path("staff/plan/report/", plan_views.report_page, name="plan-report-page"),
    path("staff/plan/report.pdf", plan_views.report_pdf_view, name="plan-report-pdf-page"),
    path("staff/plan/values/", plan_values.values_page, name="plan-values-page"),
    path("staff/queue/<id:match_id>/<str:action>/", matching_views.match_decide, name="staff-match-decide"),
    path(
        "staff/queue/confirm-selected/",
        matching_views.match_confirm_selected,
        name="staff-match-confirm-selected",
    ),
    # Before the staff site's own route: its sign-in POSTs counted per address (spraying).
    path(
        "staff/login/",
        throttled_page(StaffLoginAttemptThrottle, methods=("POST",))(admin.site.login),
        name="staff-login",
    ),
    path("staff/points/", include("points.staff_urls")),
    path("staff/disaster-mode/", include("disaster.staff_urls")),
    path("staff/", include("events.staff_urls")),
    path("staff/", admin.site.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL: the Content-Security-Policy refuses inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    re_path(r"^(?:api|_allauth)/(?P<unmatched>.*)$", api_path_not_found, name="api-not-found"),
]
