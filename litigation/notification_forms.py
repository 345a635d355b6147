"""Forms of the reminders area (see litigation/notifications.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from litigation.enums import NotificationKind


class DigestPreferenceForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Je veux être prévenu·e de"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    paused = forms.BooleanField(label=_("Suspendre l'e-mail du matin jusqu'à nouvel ordre"), required=False)
    paused_until = forms.DateField(
        label=_("Ou le suspendre jusqu'au (inclus)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Par exemple pendant vos congés. Les notifications restent visibles dans l'application."),
    )


class CaseSnoozeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    until = forms.DateField(
        label=_("Suspendre les rappels jusqu'au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Raison"), max_length=200)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return until
