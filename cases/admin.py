from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.enums import DocumentKind, ProcedureType
from cases.models import Case, DeadlineRule, HarmEvent, Person, Prefecture, ResidenceDocument
from cases.services import deadline_rule_revise


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department_code", "city", "tribunal_administratif"]
    search_fields = ["code", "name", "city", "department_name"]
    list_filter = ["kind"]


class DeadlineRuleForm(forms.ModelForm):
    procedures = forms.MultipleChoiceField(
        label=_("démarches concernées"),
        choices=ProcedureType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les démarches."),
    )
    document_kinds = forms.MultipleChoiceField(
        label=_("documents concernés"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tous les documents."),
    )

    class Meta:
        model = DeadlineRule
        fields = [
            "code",
            "label",
            "anchor",
            "offset_days",
            "offset_months",
            "procedures",
            "document_kinds",
            "min_document_years",
            "anef",
            "is_deadline",
            "until_filed",
            "hide_after_days",
            "source",
            "tag",
            "active",
            "valid_from",
        ]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Saving a changed rule adds a new version; the previous row stays as it was."""

    form = DeadlineRuleForm
    list_display = [
        "code",
        "version",
        "label",
        "anchor",
        "offset_days",
        "offset_months",
        "is_deadline",
        "active",
        "valid_from",
        "tag",
    ]
    list_filter = ["active", "anchor", "tag", "is_deadline"]
    search_fields = ["code", "label", "source"]
    readonly_fields = ["version", "created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            revised = deadline_rule_revise(rule=obj, changes=changes, by=request.user, request=request)
            # The admin redirects to the object it saved: point it at the new version.
            obj.pk, obj.version = revised.pk, revised.version
            return
        latest = DeadlineRule.objects.filter(code=obj.code).order_by("-version").first()
        obj.version = latest.version + 1 if latest else 1
        obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Person)
admin.site.register(Case)
admin.site.register(ResidenceDocument)
admin.site.register(HarmEvent)
