from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/charts/", views.charts, name="charts"),
    path("cases/export.csv", views.cases_export, name="cases_export"),
    path("attempts/export.csv", views.attempts_export, name="attempts_export"),
    path("exports/saturation.csv", views.saturation_export, name="saturation_export"),
    path("exports/litigation.csv", views.litigation_export, name="litigation_export"),
    path("exports/referrals.csv", views.referrals_export, name="referrals_export"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/columns/", views.export_columns, name="export_columns"),
]
