from django.urls import path

from plan_registry.api import views

urlpatterns = [
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("open-data/indicator-values/", views.OpenDataView.as_view(), name="open-data"),
    path("open-data/indicator-values.csv", views.OpenDataCsvView.as_view(), name="open-data-csv"),
    path("plan/values/", views.ManualValueView.as_view(), name="plan-manual-values"),
    path("plan/feed-runs/", views.FeedRunView.as_view(), name="plan-feed-runs"),
    path(
        "plan/fiscal-years/<int:fiscal_year>/close/",
        views.FiscalYearActionView.as_view(action="close"),
        name="plan-fiscal-year-close",
    ),
    path(
        "plan/fiscal-years/<int:fiscal_year>/reopen/",
        views.FiscalYearActionView.as_view(action="reopen"),
        name="plan-fiscal-year-reopen",
    ),
    path("plan/report/", views.ReportView.as_view(), name="plan-report"),
    path("plan/report/csv/", views.ReportCsvView.as_view(), name="plan-report-csv"),
    path("plan/indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("plan/indicators/<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("areas/", views.AreaTreeView.as_view(), name="area-tree"),
]
