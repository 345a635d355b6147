from django.urls import path

from litigation import notification_views, retention_views, views

app_name = "litigation"

urlpatterns = [
    path("", views.queues, name="queues"),
    path("policy/", views.policy_edit, name="policy"),
    path("cases/<int:case_pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("cases/<int:case_pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_edit, name="referral_edit"),
    path("cases/<int:case_pk>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:case_pk>/documents/<str:kind>/", views.document_request, name="document_request"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/status/", views.document_status, name="document_status"),
    path("documents/<int:pk>/retry/", views.document_retry, name="document_retry"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_mark_read, name="notification_mark_read"),
    path("notifications/preferences/", notification_views.notification_preferences, name="notification_preferences"),
    path("cases/<int:pk>/snooze/", notification_views.case_snooze, name="case_snooze"),
    path("retention/", retention_views.retention_list, name="retention"),
    path("retention/<int:pk>/extend/", retention_views.retention_extend, name="retention_extend"),
    path("persons/<int:pk>/archives/", retention_views.person_archives, name="person_archives"),
    path("archives/<int:pk>/download/", retention_views.person_archive_download, name="person_archive_download"),
]
