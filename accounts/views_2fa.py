"""Second-factor pages: enrolment (QR code), the code page after the password, backup codes."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.forms import TwoFactorCodeForm
from accounts.middleware import two_factor_exempt


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _throttled_message(throttled):
    return _("Trop de codes erronés. Attendez %(seconds)s secondes avant de réessayer.") % {
        "seconds": throttled.seconds
    }


@never_cache
@two_factor_exempt
def two_factor_setup(request):
    """Enrol an authenticator app. Replacing a device needs a verified session first."""
    if two_factor.has_device(request.user) and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = two_factor.totp_enrolment_device(request.user)
    form = TwoFactorCodeForm(request.POST or None, label=_("Code à 6 chiffres affiché par l'application"))
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.totp_confirm(request=request, device=device, code=form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            form.add_error("code", _throttled_message(throttled))
        else:
            if codes is not None:
                request.session[two_factor.SESSION_NEW_CODES_KEY] = codes
                messages.success(request, _("Double authentification activée."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et réessayez."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.is_required(request.user),
            "next": _next_url(request, ""),
        },
    )


@never_cache
@two_factor_exempt
def two_factor_verify(request):
    """The second step of the login."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = TwoFactorCodeForm(request.POST or None, label=_("Code à 6 chiffres ou code de secours"))
    if request.method == "POST" and form.is_valid():
        try:
            ok = two_factor.verify(request=request, code=form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            form.add_error("code", _throttled_message(throttled))
        else:
            if ok:
                return redirect(_next_url(request))
            form.add_error("code", _("Code incorrect ou déjà utilisé."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")})


@never_cache
def two_factor_overview(request):
    """The user's 2FA status. New backup codes are shown here once, right after generation."""
    codes = request.session.pop(two_factor.SESSION_NEW_CODES_KEY, None)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "codes": codes,
            "codes_left": two_factor.backup_codes_left(request.user),
            "device": two_factor.totp_device(request.user),
            "required": two_factor.is_required(request.user),
        },
    )


@require_POST
def two_factor_backup_codes_generate(request):
    if not request.user.is_verified():
        return redirect("accounts:two_factor_setup")
    request.session[two_factor.SESSION_NEW_CODES_KEY] = two_factor.backup_codes_generate(request=request)
    return redirect("accounts:two_factor")
