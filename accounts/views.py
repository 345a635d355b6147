from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, two_factor
from accounts.forms import LoginForm, MembershipForm, TeamForm, UserCreateForm
from accounts.permissions import org_admin_required


# Not one transaction: on SQLite (IMMEDIATE transactions) the request would hold the only write
# lock while the password is hashed, and simultaneous logins would queue behind each other.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            self.request.session.set_expiry(0)  # expires when the browser closes
        if two_factor.has_device(form.get_user()):
            # Enrolled users give a code at every login, even where 2FA is optional.
            self.request.session[two_factor.SESSION_PENDING_KEY] = True
        return response


def home(request):
    """Landing page: caseworkers go to their cases, coordinators to the dashboard."""
    user = request.user
    if user.organisation_id is None or user.role is None:
        return render(request, "accounts/no_membership.html", status=403)
    target = "reports:dashboard" if user.is_coordinator else "cases:list"
    return redirect(target)


@org_admin_required
def user_list(request):
    organisation = request.user.organisation
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": selectors.users_of_organisation(organisation),
            "teams": selectors.teams_of_organisation(organisation),
            "team_form": TeamForm(),
        },
    )


@org_admin_required
def user_create(request):
    organisation = request.user.organisation
    form = UserCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            organisation=organisation,
            created_by=request.user,
            request=request,
            **form.cleaned_data,
        )
        messages.success(
            request,
            _("Compte créé pour %(email)s. La personne choisit son mot de passe avec « mot de passe oublié ».")
            % {"email": user.email},
        )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@org_admin_required
def user_detail(request, pk):
    organisation = request.user.organisation
    user = get_object_or_404(selectors.users_of_organisation(organisation), pk=pk)
    form = MembershipForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.membership_set(
            user=user,
            team=form.cleaned_data["team"],
            role=form.cleaned_data["role"] or None,
            changed_by=request.user,
            request=request,
        )
        messages.success(request, _("Droits mis à jour."))
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_detail.html", {"member": user, "form": form})


@org_admin_required
@require_POST
def user_toggle_active(request, pk):
    user = get_object_or_404(selectors.users_of_organisation(request.user.organisation), pk=pk)
    if user == request.user:
        messages.error(request, _("Vous ne pouvez pas désactiver votre propre compte."))
    else:
        services.user_set_active(user=user, active=not user.is_active, changed_by=request.user, request=request)
        messages.success(request, _("Compte activé.") if user.is_active else _("Compte désactivé."))
    return redirect("accounts:user_detail", pk=user.pk)


@org_admin_required
@require_POST
def team_create(request):
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.instance.organisation = request.user.organisation
                form.save()
        except IntegrityError:
            messages.error(request, _("Une équipe porte déjà ce nom."))
        else:
            messages.success(request, _("Équipe créée."))
    else:
        messages.error(request, _("Nom d'équipe invalide."))
    return redirect(reverse("accounts:user_list"))


@org_admin_required
@require_POST
def user_two_factor_reset(request, pk):
    """Lost phone: the member enrols a new device at their next request."""
    user = get_object_or_404(selectors.users_of_organisation(request.user.organisation), pk=pk)
    two_factor.two_factor_reset(user=user, request=request)
    messages.success(request, _("Double authentification réinitialisée : la personne configurera un nouvel appareil."))
    return redirect("accounts:user_detail", pk=user.pk)


@login_not_required
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    return render(request, "errors/500.html", status=500)
