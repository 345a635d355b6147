from django import forms
from django.utils.translation import gettext_lazy as _

from cases.enums import ProcedureType
from litigation.documents.letters import DEFAULT_DELAY_DAYS
from litigation.models import DefenderReferral, LitigationAction, ReadinessPolicy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

POLICY_FIELDS = [
    "min_span_days",
    "min_span_days_source",
    "min_iso_weeks",
    "min_iso_weeks_source",
    "min_distinct_days",
    "min_distinct_days_source",
    "min_time_bands",
    "morning_ends_hour",
    "evening_starts_hour",
    "min_time_bands_source",
    "evidence_on_every_attempt",
    "evidence_on_every_attempt_source",
    "min_written_requests",
    "written_request_min_age_days",
    "written_request_source",
    "urgency_presumed_procedures",
    "urgency_from_recorded_harm",
    "urgency_source",
    "oqtf_requires_lawyer_review",
    "oqtf_source",
    "anef_help_channels_required",
    "anef_help_channels_source",
    "referral_written_request_days",
    "referral_written_request_source",
    "referral_provisional_document",
    "referral_provisional_document_grace_days",
    "referral_provisional_document_source",
    "referral_recorded_harm",
    "referral_recorded_harm_source",
    "referral_anef_technical_error",
    "referral_anef_technical_error_source",
]


class ReadinessPolicyForm(forms.ModelForm):
    urgency_presumed_procedures = forms.MultipleChoiceField(
        label=_("Démarches où l'urgence est présumée"),
        choices=ProcedureType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    change_note = forms.CharField(label=_("Motif du changement"), max_length=300)

    class Meta:
        model = ReadinessPolicy
        fields = POLICY_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in POLICY_FIELDS if name.endswith("_source")}

    def clean(self):
        data = super().clean()
        morning, evening = data.get("morning_ends_hour"), data.get("evening_starts_hour")
        if morning is not None and evening is not None and not 0 < morning < evening <= 23:
            raise forms.ValidationError(_("Les heures doivent vérifier : 0 < fin du matin < début du soir ≤ 23."))
        return data

    def policy_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def data_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class LitigationActionForm(VersionedForm):
    class Meta:
        model = LitigationAction
        fields = [
            "kind",
            "court",
            "court_case_number",
            "lawyer",
            "legal_aid",
            "filed_on",
            "hearing_on",
            "order_on",
            "outcome",
            "ordered_appointment_within_days",
            "ordered_held_within_days",
            "daily_penalty_eur",
            "executed_on",
            "notes",
        ]
        widgets = {
            "filed_on": DATE,
            "hearing_on": DATE,
            "order_on": DATE,
            "executed_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"court": _("Par défaut : le tribunal administratif compétent pour la préfecture.")}

    def clean(self):
        data = super().clean()
        filed, order, executed = data.get("filed_on"), data.get("order_on"), data.get("executed_on")
        if filed and order and order < filed:
            self.add_error("order_on", _("L'ordonnance ne peut pas précéder le dépôt."))
        if order and executed and executed < order:
            self.add_error("executed_on", _("L'exécution ne peut pas précéder l'ordonnance."))
        return data


class DefenderReferralForm(VersionedForm):
    class Meta:
        model = DefenderReferral
        fields = [
            "channel",
            "delegate_name",
            "reference",
            "sent_on",
            "acknowledged_on",
            "answered_on",
            "outcome",
            "notes",
        ]
        widgets = {
            "sent_on": DATE,
            "acknowledged_on": DATE,
            "answered_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class PlaceForm(forms.Form):
    place = forms.CharField(label=_("Fait à (ville)"), max_length=100, required=False)

    def options(self) -> dict:
        return dict(self.cleaned_data)


class LetterForm(PlaceForm):
    delay_days = forms.IntegerField(
        label=_("Délai demandé pour le rendez-vous (jours)"), min_value=1, max_value=90, initial=DEFAULT_DELAY_DAYS
    )


class DossierForm(PlaceForm):
    summary = forms.CharField(
        label=_("Exposé des faits"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text=_("Proposé à partir du dossier ; vous pouvez le corriger avant de construire le PDF."),
    )


class ComplaintForm(PlaceForm):
    narrative = forms.CharField(
        label=_("Récit de la situation"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=_("Proposé à partir du dossier ; vous pouvez le corriger avant de construire le PDF."),
    )


class QueueFilterForm(forms.Form):
    """Narrow the queues page to one of the user's teams and/or one queue (dashboard links land here)."""

    team = forms.ModelChoiceField(label=_("Équipe"), queryset=None, required=False, empty_label=_("Toutes"))
    queue = forms.ChoiceField(label=_("File"), required=False)

    def __init__(self, *args, user, queue_choices, **kwargs):
        from accounts.selectors import teams_visible_to

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_visible_to(user)
        self.fields["queue"].choices = [("", _("Toutes")), *queue_choices]
