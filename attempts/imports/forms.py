from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from attempts.imports.mapping import FIELDS, IGNORE
from attempts.imports.models import ImportMapping
from cases.enums import ProcedureType
from cases.models import Prefecture


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier (CSV ou XLSX)"),
        help_text=_("Une ligne d'en-têtes puis une ligne par personne. %(max)s Mo au plus.")
        % {"max": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    team = forms.ModelChoiceField(label=_("Équipe qui suivra les dossiers"), queryset=Team.objects.none())
    saved_mapping = forms.ModelChoiceField(
        label=_("Modèle d'import enregistré"),
        queryset=ImportMapping.objects.none(),
        required=False,
        empty_label=_("— reconnaître les colonnes automatiquement —"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)
        self.fields["saved_mapping"].queryset = ImportMapping.objects.filter(organisation=organisation)


class MappingForm(forms.Form):
    """One select per column of the file, plus defaults and an optional name to save the mapping."""

    default_prefecture = forms.ModelChoiceField(
        label=_("Préfecture par défaut"),
        queryset=Prefecture.objects.all(),
        required=False,
        help_text=_("Pour les lignes sans préfecture (ou si le fichier n'a pas cette colonne)."),
    )
    default_procedure = forms.ChoiceField(
        label=_("Démarche par défaut"),
        choices=[("", "—"), *ProcedureType.choices],
        required=False,
        help_text=_("Pour les lignes sans démarche."),
    )
    save_as = forms.CharField(
        label=_("Enregistrer ce modèle sous le nom"),
        max_length=100,
        required=False,
        help_text=_("Facultatif : pour réutiliser ces choix au prochain import."),
    )

    def __init__(self, *args, headers, samples, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, _("— ne pas importer —")), *[(name, label) for name, label, _s in FIELDS]]
        self.column_names = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            sample = samples[index] if index < len(samples) else ""
            self.fields[name] = forms.ChoiceField(
                label=header or _("(colonne sans titre %(n)s)") % {"n": index + 1},
                choices=choices,
                required=False,
                help_text=_("Exemple : %(value)s") % {"value": sample} if sample else "",
            )
            self.column_names.append(name)

    def column_fields(self):
        return [self[name] for name in self.column_names]

    def columns(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.column_names]

    def defaults(self) -> dict:
        prefecture = self.cleaned_data.get("default_prefecture")
        return {
            "prefecture": prefecture.pk if prefecture else None,
            "procedure": self.cleaned_data["default_procedure"],
        }
