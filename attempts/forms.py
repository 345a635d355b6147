from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attempts.enums import MESSAGE_NO_SLOT, Channel, Outcome, Reply
from attempts.models import Attempt

ACCEPT = "image/png,image/jpeg,image/webp,application/pdf,.eml,message/rfc822"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content later, in attempts.evidence."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        # Empty files reach attempts.evidence, which names them in its refusal message.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def now_local_input():
    return timezone.localtime().strftime(DATETIME_LOCAL)


class AttemptForm(forms.ModelForm):
    moment = forms.DateTimeField(
        label=_("Date et heure (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
    )
    files = MultipleFileField(
        label=_("Captures d'écran ou documents"),
        help_text=_(
            "PNG, JPEG, WebP, PDF ou courriel .eml. Collez (Ctrl+V), déposez ou choisissez plusieurs fichiers."
        ),
    )

    class Meta:
        model = Attempt
        fields = [
            "moment",
            "outcome",
            "channel",
            "url",
            "message",
            "note",
            "acknowledgement_number",
            "acknowledgement_date",
            "reply",
            "reply_date",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "acknowledgement_date": DateInput(),
            "reply_date": DateInput(),
        }

    def __init__(self, *args, case=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("moment", now_local_input())
        initial.setdefault("outcome", Outcome.NO_SLOT)
        initial.setdefault("channel", Channel.PREFECTURE_WEB)
        initial.setdefault("message", MESSAGE_NO_SLOT)
        if case is not None:
            initial.setdefault("url", case.prefecture.booking_url)
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = [("", _("— (pas encore)"))] + list(Reply.choices)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > settings.EVIDENCE_MAX_FILES:
            raise forms.ValidationError(
                _("Trop de fichiers : %(max)d au plus par tentative.") % {"max": settings.EVIDENCE_MAX_FILES}
            )
        return files


class AttemptCorrectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motif de la correction"), max_length=300, required=False)

    class Meta:
        model = Attempt
        fields = ["outcome", "note", "acknowledgement_number", "acknowledgement_date", "reply", "reply_date"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "acknowledgement_date": DateInput(),
            "reply_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = [("", _("— (pas encore)"))] + list(Reply.choices)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class EvidenceDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la suppression"),
        max_length=300,
        help_text=_("Obligatoire. Le fichier est effacé ; son empreinte et ce motif restent au journal."),
    )


class SelfReportLinkForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Langue de la page"),
        choices=[("fr", "Français"), ("en", "English"), ("ar", "العربية")],
        initial="fr",
    )


class SelfReportForm(forms.Form):
    files = MultipleFileField(label=_("Capture d'écran (facultatif)"))
