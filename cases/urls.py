from django.urls import path

from cases import bin_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("people/search/", views.people_search, name="people_search"),
    path("people/duplicates/", views.people_duplicates, name="people_duplicates"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/status/", views.case_status, name="status"),
    path("<int:pk>/person/", views.person_edit, name="person_edit"),
    path("<int:pk>/person/merge/", views.person_merge, name="person_merge"),
    path("<int:pk>/documents/new/", views.document_edit, name="document_new"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_edit, name="document_edit"),
    path("<int:pk>/harms/new/", views.harm_new, name="harm_new"),
    path("<int:pk>/delete/", bin_views.case_delete, name="delete"),
    path("<int:pk>/person/delete/", bin_views.person_delete, name="person_delete"),
    path("bin/", bin_views.bin_list, name="bin"),
    path("bin/cases/<int:pk>/restore/", bin_views.case_restore, name="case_restore"),
    path("bin/people/<int:pk>/restore/", bin_views.person_restore, name="person_restore"),
]
