from django.urls import path

from attempts import public_views

app_name = "selfreport"

urlpatterns = [
    path("<str:token>/", public_views.report, name="report"),
]
