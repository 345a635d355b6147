"""HTML to PDF with WeasyPrint, reading evidence from storage and nothing from the network.

Templates are Django templates with autoescaping on: every piece of user text (names, messages,
notes, the edited summary) is escaped before WeasyPrint sees it.
"""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class EvidenceFetcher(URLFetcher):
    """Resolves `evidence:<id>` to the stored file; refuses every other URL (no network, no disk)."""

    def __init__(self, evidence_by_id: dict):
        super().__init__(allowed_protocols={"evidence"}, fail_on_errors=False)
        self.evidence_by_id = evidence_by_id

    def fetch(self, url, headers=None):
        scheme, _sep, rest = url.partition(":")
        if scheme != "evidence" or not rest.isdigit() or int(rest) not in self.evidence_by_id:
            raise ValueError(f"Blocked resource: {url[:80]}")
        evidence = self.evidence_by_id[int(rest)]
        with evidence.file.open("rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": evidence.content_type})


def render_document(template: str, context: dict, *, evidence_by_id: dict | None = None):
    """Render a template to a laid-out WeasyPrint document (French, whatever the request language)."""
    with translation.override("fr"):
        html = render_to_string(template, context)
    fetcher = EvidenceFetcher(evidence_by_id or {})
    return HTML(string=html, base_url="evidence:", url_fetcher=fetcher).render()
