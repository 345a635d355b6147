from django.urls import path

from attempts.imports import views

# Included by attempts/urls.py under "import/" (names live in the "attempts" namespace).
urlpatterns = [
    path("", views.import_index, name="import_index"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/errors.csv", views.import_errors_csv, name="import_errors_csv"),
]
