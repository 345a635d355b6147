"""Texts generated from the case's data: the letter, the email, the summary of facts, the complaint.

The generated texts are proposals: the user edits the summary and the narrative before the build,
and the build prints what they kept (escaped by the templates).
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cases.enums import ProcedureType
from litigation.documents.context import CaseDocumentData, paris

DEFAULT_DELAY_DAYS = 15

LEGAL_BASIS = {
    ProcedureType.RENEWAL: "articles R.431-5 et R.431-12 et suivants du CESEDA",
    ProcedureType.FIRST_APPLICATION: "articles R.431-4 et R.431-12 et suivants du CESEDA",
    ProcedureType.CHANGE_OF_STATUS: "articles R.431-4 et R.431-5 du CESEDA",
    ProcedureType.NATURALISATION_DECREE: "articles 21-15 et suivants du code civil",
    ProcedureType.NATURALISATION_DECLARATION: "articles 21-2 et suivants du code civil",
}


def legal_basis(procedure: str) -> str:
    return LEGAL_BASIS.get(procedure, "code de l'entrée et du séjour des étrangers et du droit d'asile (CESEDA)")


def _facts(data: CaseDocumentData) -> dict:
    failed = [r for r in data.rows if r.attempt.outcome != "booked"]
    return {
        "count": len(failed),
        "first": failed[0].moment if failed else None,
        "last": failed[-1].moment if failed else None,
        "days": len({r.moment.date() for r in failed}),
        "weeks": len({r.moment.isocalendar()[:2] for r in failed}),
    }


def default_summary(data: CaseDocumentData) -> str:
    """A first draft of the summary of facts, from the data; the user edits it before the build."""
    with translation.override("fr"):
        return render_to_string(
            "litigation/text/summary_of_facts.txt",
            {"data": data, "case": data.case, "person": data.case.person, "facts": _facts(data)},
        ).strip()


def default_narrative(data: CaseDocumentData) -> str:
    with translation.override("fr"):
        return render_to_string(
            "litigation/text/defender_narrative.txt",
            {"data": data, "case": data.case, "person": data.case.person, "facts": _facts(data)},
        ).strip()


def email_text(data: CaseDocumentData, *, delay_days: int = DEFAULT_DELAY_DAYS) -> str:
    with translation.override("fr"):
        return render_to_string(
            "litigation/text/appointment_email.txt",
            {
                "data": data,
                "case": data.case,
                "person": data.case.person,
                "delay_days": delay_days,
                "legal_basis": legal_basis(data.case.procedure),
            },
        ).strip()


def context_for(document, data: CaseDocumentData) -> dict:
    options = document.options or {}
    return {
        "document": document,
        "data": data,
        "case": data.case,
        "person": data.case.person,
        "prefecture": data.case.prefecture,
        "organisation": data.case.team.organisation,
        "evaluation": data.evaluation,
        "facts": _facts(data),
        "legal_basis": legal_basis(data.case.procedure),
        "delay_days": options.get("delay_days", DEFAULT_DELAY_DAYS),
        "place": options.get("place", ""),
        "summary": options.get("summary") or default_summary(data),
        "narrative": options.get("narrative") or default_narrative(data),
        "generated_at": paris(data.generated_at),
        "title": str(document.get_kind_display()) if document.pk else _("Document"),
    }
