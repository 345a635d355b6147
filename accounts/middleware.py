"""Two-factor enforcement: a password alone opens only the second-factor pages."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts import two_factor


def two_factor_exempt(view):
    """Mark a view reachable before the second factor (logout, the 2FA pages themselves)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """After LoginRequiredMiddleware and OTPMiddleware.

    A logged-in user who must give a second factor (mandatory for their role or organisation,
    or enrolled voluntarily) and has not yet done so in this session is sent to the code page,
    or to the enrolment page when they have no device yet. Public views (login_not_required,
    e.g. /healthz) and views marked with `two_factor_exempt` stay reachable; static files are
    served by WhiteNoise before any of this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or getattr(view_func, "two_factor_exempt", False):
            return None
        if not two_factor.session_needs_second_factor(request):
            return None
        target = "accounts:two_factor_verify" if two_factor.has_device(request.user) else "accounts:two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(target))
