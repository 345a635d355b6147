import base64
import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attempts.models import Attempt, Evidence
from attempts.services import self_report_link_create
from tests.browser.conftest import assert_accessible
from tests.factories import CaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "attempts" / "demo_data" / "noslot-desktop-2026-10-13-1847.png"


PASTE = """
([b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const file = new File([bytes], "image.png", { type: "image/png" });
  const data = new DataTransfer();
  data.items.add(file);
  document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
}
"""


def test_paste_a_screenshot_into_the_attempt_form_and_see_it_in_the_timeline(live_server, page, caseworker, log_in):
    case = CaseFactory(team=caseworker.memberships.get().team)
    log_in(caseworker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Enregistrer une tentative")).to_be_visible()
    assert_accessible(page)
    page.evaluate(PASTE, [base64.b64encode(SCREENSHOT.read_bytes()).decode()])
    pending = page.locator("[data-pending-files] li")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("capture-")
    page.get_by_role("button", name="Enregistrer la tentative").click()
    expect(page.get_by_text("enregistrée (1 preuve(s))")).to_be_visible()
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(SCREENSHOT.read_bytes()).hexdigest()
    item = page.locator(f"#attempt-{evidence.attempt_id}")
    expect(item.get_by_role("img", name="Aperçu de capture-")).to_be_visible()
    expect(item).to_contain_text(evidence.sha256[:12])
    expect(item).to_contain_text("Aucun créneau disponible")
    assert page.locator(f"#attempt-{evidence.attempt_id} img").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page)


def test_report_an_attempt_from_a_phone_through_the_personal_link(live_server, page, caseworker):
    team = caseworker.memberships.get().team
    case = CaseFactory(team=team, person=PersonFactory(team=team, first_name="Nour"))
    _link, token = self_report_link_create(case=case, created_by=caseworker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/r/{token}/")
    expect(page.get_by_role("heading", name="Bonjour Nour")).to_be_visible()
    assert_accessible(page)
    button = page.get_by_role("button", name="J'ai essayé maintenant : aucun créneau")
    box = button.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 48  # one big button, easy to hit
    page.get_by_label("Capture d'écran (facultatif)").set_input_files(str(SCREENSHOT))
    button.click()
    expect(page.get_by_role("status")).to_contain_text("Reçu le")
    attempt = Attempt.objects.get()
    assert attempt.case_id == case.pk and attempt.recorded_via == "self_report" and attempt.evidence_count == 1
    assert_accessible(page)
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
