from django.urls import include, path

from attempts import views

app_name = "attempts"

urlpatterns = [
    path("case/<int:case_id>/new/", views.attempt_create, name="create"),
    path("case/<int:case_id>/links/new/", views.self_report_link_create, name="link_create"),
    path("links/<int:pk>/revoke/", views.self_report_link_revoke, name="link_revoke"),
    path("<int:pk>/correct/", views.attempt_correct, name="correct"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/thumbnail/", views.evidence_thumbnail, name="evidence_thumbnail"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("saturation/", views.saturation_view, name="saturation"),
    path("import/", include("attempts.imports.urls")),
]
