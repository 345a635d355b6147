from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organisation, Team, User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    shared_computer = forms.BooleanField(
        label=_("Ordinateur partagé (se déconnecter à la fermeture du navigateur)"), required=False
    )


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    team = forms.ModelChoiceField(label=_("Équipe"), queryset=Team.objects.none())
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.CASEWORKER)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Un compte existe déjà avec cette adresse."))
        return email


class MembershipForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Équipe"), queryset=Team.objects.none())
    role = forms.ChoiceField(
        label=_("Rôle"), choices=[("", _("— retirer de l'équipe —")), *Role.choices], required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label


class OrganisationSecurityForm(forms.Form):
    # A plain form: the service compares with the stored value to audit only real changes.
    require_2fa_for_all = forms.BooleanField(
        label=Organisation._meta.get_field("require_2fa_for_all").verbose_name,
        help_text=Organisation._meta.get_field("require_2fa_for_all").help_text,
        required=False,
    )
