from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts import views as account_views
from config import health

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # The language switcher is on the login page too: it must not require a login.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("attempts/", include("attempts.urls")),
    path("r/", include("attempts.public_urls")),
    path("litigation/", include("litigation.urls")),
    path("", include("reports.urls")),
    path("django-rq/", include("django_rq.urls")),
    path("maintenance/", include("config.maintenance")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)),
    ),
]

handler403 = "accounts.views.error_403"
handler404 = "accounts.views.error_404"
handler500 = "accounts.views.error_500"
