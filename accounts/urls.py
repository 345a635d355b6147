from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from accounts import views, views_2fa, views_security
from accounts.middleware import two_factor_exempt

app_name = "accounts"

_reset_done = reverse_lazy("accounts:password_reset_done")
_reset_complete = reverse_lazy("accounts:password_reset_complete")
_change_done = reverse_lazy("accounts:password_change_done")

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html", success_url=_change_done),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        login_not_required(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=_reset_done,
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html", success_url=_reset_complete
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
        ),
        name="password_reset_complete",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("teams/new/", views.team_create, name="team_create"),
    path("users/<int:pk>/2fa-reset/", views.user_two_factor_reset, name="user_two_factor_reset"),
    path("security/", views_security.security_settings, name="security"),
    path("users/<int:pk>/unlock/", views_security.account_unlock, name="account_unlock"),
    path("audit/", views_security.audit_journal, name="audit_journal"),
    path("audit/export.csv", views_security.audit_export, name="audit_export"),
    path("2fa/", views_2fa.two_factor_overview, name="two_factor"),
    path("2fa/setup/", views_2fa.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views_2fa.two_factor_verify, name="two_factor_verify"),
    path("2fa/backup-codes/", views_2fa.two_factor_backup_codes_generate, name="two_factor_backup_codes_generate"),
]
