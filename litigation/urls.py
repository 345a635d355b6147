from django.urls import path

from litigation import notification_views

app_name = "litigation"

urlpatterns = [
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_mark_read, name="notification_mark_read"),
    path("notifications/preferences/", notification_views.notification_preferences, name="notification_preferences"),
    path("cases/<int:pk>/snooze/", notification_views.case_snooze, name="case_snooze"),
]
