"""Forms of the cases pages. They validate input; the services do the writing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import teams_visible_to
from cases.countries import country_choices
from cases.enums import CaseStatus, DocumentKind, ProcedureType
from cases.models import Case, HarmEvent, Person, Prefecture, ResidenceDocument
from cases.validators import (
    normalise_foreigner_number,
    validate_foreigner_number,
    validate_nationality,
    validate_plausible_date,
)
from cases.workflow import allowed_transitions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def past_or_today(value, message):
    validate_plausible_date(value)
    if value and value > timezone.localdate():
        raise forms.ValidationError(message, code="future")
    return value


class PrefectureChoiceField(forms.ModelChoiceField):
    """Options read "93 · Préfecture de la Seine-Saint-Denis · Bobigny" so typing a number finds it."""

    default_error_messages = {"invalid_choice": _("Préfecture inconnue : choisissez-la dans la liste.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Prefecture.objects.order_by("department_code", "kind", "name"))
        kwargs.setdefault("label", _("Préfecture"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.department_code} · {obj.name} · {obj.city}"


class NationalityField(forms.ChoiceField):
    """A select of countries by French name; the value is the ISO code (typed codes are upper-cased)."""

    default_error_messages = {
        "invalid_choice": _("« %(value)s » n'est pas un pays connu : choisissez la nationalité dans la liste.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Nationalité"))
        kwargs.setdefault("required", False)
        # A callable: the list is read from the data file on first render, not at import.
        super().__init__(choices=lambda: [("", _("— Non renseignée —")), *country_choices()], **kwargs)
        self.validators.append(validate_nationality)

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class PersonFieldsMixin:
    def clean_birth_date(self):
        return past_or_today(
            self.cleaned_data.get("birth_date"), _("La date de naissance ne peut pas être dans le futur.")
        )

    def clean_foreigner_number(self):
        value = normalise_foreigner_number(self.cleaned_data.get("foreigner_number", ""))
        validate_foreigner_number(value)
        return value

    def clean_consent_at(self):
        return past_or_today(
            self.cleaned_data.get("consent_at"), _("Le consentement ne peut pas être daté dans le futur.")
        )


PERSON_FIELDS = [
    "last_name",
    "first_name",
    "aliases",
    "birth_date",
    "birth_place",
    "nationality",
    "languages",
    "phone",
    "email",
    "has_no_email",
    "postal_address",
    "is_domiciliation",
    "foreigner_number",
    "situation",
    "consent_at",
]


class PersonForm(PersonFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    nationality = NationalityField()

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": DateInput,
            "consent_at": DateInput,
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "postal_address": forms.Textarea(attrs={"rows": 2}),
            "situation": forms.Textarea(attrs={"rows": 2}),
        }

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class CaseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    prefecture = PrefectureChoiceField()

    class Meta:
        model = Case
        fields = [
            "assignee",
            "procedure",
            "prefecture",
            "uses_anef",
            "entry_date",
            "filing_date",
            "has_unexecuted_oqtf",
            "notes",
        ]
        widgets = {"entry_date": DateInput, "filing_date": DateInput, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(memberships__team_id=self.instance.team_id, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "email")
        )

    def clean_entry_date(self):
        return past_or_today(self.cleaned_data.get("entry_date"), _("La date d'entrée ne peut pas être dans le futur."))

    def clean_filing_date(self):
        return past_or_today(
            self.cleaned_data.get("filing_date"), _("La date de dépôt ne peut pas être dans le futur.")
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=CaseStatus.choices)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CaseStatus.choices)
        # Every status is accepted by the field so that an impossible move gets the workflow's
        # message; the menu only offers the allowed ones.
        self.fields["status"].widget.choices = [(s, labels[s]) for s in allowed_transitions(case.status)]
        self.initial.setdefault("version", case.version)


def check_document_dates(form, cleaned):
    valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
    for name in ("valid_from", "valid_until"):
        try:
            validate_plausible_date(cleaned.get(name))
        except forms.ValidationError as error:
            form.add_error(name, error)
    if valid_from and valid_until and valid_until < valid_from:
        form.add_error("valid_until", _("La date de fin de validité est antérieure à la date de début."))


class DocumentForm(forms.ModelForm):
    class Meta:
        model = ResidenceDocument
        fields = ["kind", "number", "valid_from", "valid_until", "duration_years", "authorises_work", "note"]
        widgets = {"valid_from": DateInput, "valid_until": DateInput}

    def clean(self):
        cleaned = super().clean()
        check_document_dates(self, cleaned)
        return cleaned

    def fields_dict(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class HarmForm(forms.ModelForm):
    class Meta:
        model = HarmEvent
        fields = ["kind", "occurred_on", "note"]
        widgets = {"occurred_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}

    def clean_occurred_on(self):
        return past_or_today(
            self.cleaned_data.get("occurred_on"), _("Un préjudice ne peut pas être daté dans le futur.")
        )


class NewCaseForm(PersonFieldsMixin, forms.Form):
    """One page: pick an existing person or describe a new one, then the procedure and document."""

    # Rendered by hand as radio buttons next to the search results (cases/includes/person_results.html).
    person = forms.IntegerField(label=_("Personne"), required=False, widget=forms.HiddenInput)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput)
    foreigner_number = forms.CharField(
        label=_("Numéro étranger (AGDREF)"), max_length=20, required=False, help_text=_("10 chiffres, facultatif.")
    )
    nationality = NationalityField()
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    procedure = forms.ChoiceField(label=_("Démarche"), choices=ProcedureType.choices)
    prefecture = PrefectureChoiceField()
    team = forms.ModelChoiceField(label=_("Équipe"), queryset=None)
    uses_anef = forms.BooleanField(label=_("Démarche sur l'ANEF"), required=False)
    document_kind = forms.ChoiceField(
        label=_("Document actuel"), choices=[("", _("Aucun"))] + list(DocumentKind.choices), required=False
    )
    valid_from = forms.DateField(label=_("Valable du"), required=False, widget=DateInput)
    valid_until = forms.DateField(label=_("Valable jusqu'au"), required=False, widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.picked_person = None
        self.fields["team"].queryset = teams_visible_to(user)
        self.fields["team"].empty_label = None

    def clean_person(self):
        pk = self.cleaned_data.get("person")
        if pk is None:
            return None
        # The scoping rule decides which people may be picked: anyone else is "not found".
        self.picked_person = Person.objects.visible_to(self.user).filter(pk=pk).first()
        if self.picked_person is None:
            raise forms.ValidationError(_("Cette personne est introuvable."))
        return pk

    def clean(self):
        cleaned = super().clean()
        if self.picked_person is None and not (cleaned.get("last_name") or "").strip():
            self.add_error(
                "last_name", _("Indiquez le nom de la nouvelle personne, ou choisissez une personne existante.")
            )
        if cleaned.get("document_kind") and not cleaned.get("valid_until"):
            self.add_error("valid_until", _("Indiquez la date de fin de validité du document."))
        check_document_dates(self, cleaned)
        return cleaned

    def person_fields(self) -> dict:
        names = ("first_name", "birth_date", "foreigner_number", "nationality", "phone")
        return {name: self.cleaned_data[name] for name in names}

    def document(self) -> dict | None:
        if not self.cleaned_data.get("document_kind"):
            return None
        return {
            "kind": self.cleaned_data["document_kind"],
            "valid_from": self.cleaned_data.get("valid_from"),
            "valid_until": self.cleaned_data["valid_until"],
        }
