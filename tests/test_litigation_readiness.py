"""The readiness rule against the court outcomes of DOMAIN.md, and the policy versions."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from attempts.enums import Channel, Outcome, RecordedVia
from cases.enums import ProcedureType, Readiness
from cases.models import Case
from litigation.forms import POLICY_FIELDS
from litigation.models import ReadinessEvaluation, ReadinessPolicy
from litigation.readiness import readiness_evaluate_case
from litigation.services import case_readiness_refresh, readiness_refresh_many
from tests.factories import CaseFactory, HarmEventFactory
from tests.litigation_helpers import add_attempt, granted_pattern, paris_moment

pytestmark = pytest.mark.django_db


def texts(evaluation):
    return [c.text for c in evaluation.conditions]


def assert_every_missing_condition_is_named(evaluation):
    missing = [c for c in evaluation.conditions if not c.met and c.group == "refere"]
    assert missing
    for condition in missing:
        assert condition.text.startswith(condition.label)
        assert "✗" in condition.text


def test_four_attempts_over_five_days_with_a_letter_and_an_email_is_not_ready(team):
    """Rejected in Sept 2019: 4 screenshots, 1 registered letter and 1 email over 5 days."""
    case = CaseFactory(team=team, procedure=ProcedureType.RENEWAL)
    for days, hour in [(5, 9), (4, 14), (2, 10), (1, 18)]:
        add_attempt(case, paris_moment(days, hour))
    add_attempt(case, paris_moment(5, 11), channel=Channel.LRAR, outcome=Outcome.NO_REPLY)
    add_attempt(case, paris_moment(3, 11), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)

    evaluation = readiness_evaluate_case(case.pk)

    assert evaluation.status == Readiness.NOT_YET
    lines = texts(evaluation)
    assert "Tentatives étalées sur 4 jours (21 requis) ✗ : continuer les tentatives au moins jusqu'au" in " ".join(
        lines
    )
    assert any(t.startswith("Tentatives sur 5 jours différents (10 requis) ✗") for t in lines)
    assert any(t.startswith("Demande écrite du ") and "8 jours sans réponse utile requis ✗" in t for t in lines)
    assert "Urgence présumée : renouvellement ✓" in lines
    assert_every_missing_condition_is_named(evaluation)


def test_three_weeks_ten_days_two_bands_evidence_and_an_old_email_is_ready_for_refere(team):
    """Granted (TA Cergy, TA Paris 2020): emails plus screenshots over at least 3 weeks."""
    case = CaseFactory(team=team, procedure=ProcedureType.RENEWAL)
    granted_pattern(case, email_days_ago=8)

    evaluation = case_readiness_refresh(case.pk)

    assert evaluation.status == Readiness.READY_FOR_REFERE, texts(evaluation)
    assert all(c.met for c in evaluation.conditions if c.group == "refere")
    lines = texts(evaluation)
    assert "Tentatives sur 11 jours différents (10 requis) ✓" in lines
    assert any(t.startswith("Tentatives sur ") and "semaines distinctes (3 requises) ✓" in t for t in lines)
    assert "Tentatives à 2 moments de la journée (2 requis) ✓" in lines
    assert "Preuve horodatée pour 11 tentatives sur 11 (toutes requises) ✓" in lines
    case.refresh_from_db()
    assert case.readiness == Readiness.READY_FOR_REFERE
    assert case.readiness_since is not None


def test_an_email_only_seven_days_old_is_not_enough(team):
    case = CaseFactory(team=team, procedure=ProcedureType.RENEWAL)
    granted_pattern(case, email_days_ago=7)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.NOT_YET
    assert [c.code for c in evaluation.missing] == ["written_recent"]


def test_no_written_request_says_to_send_one(team):
    case = CaseFactory(team=team)
    add_attempt(case, paris_moment(3, 9))
    evaluation = readiness_evaluate_case(case.pk)
    assert "Aucune demande écrite à la préfecture ✗ : envoyer un courriel ou une LRAR" in texts(evaluation)


def test_first_application_without_harm_goes_to_a_lawyer_and_with_harm_is_ready(team):
    case = CaseFactory(team=team, procedure=ProcedureType.FIRST_APPLICATION)
    granted_pattern(case)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.LAWYER_REVIEW
    assert any(
        t.startswith(
            "Urgence non établie : première demande sans préjudice enregistré ✗ : à examiner par un·e avocat·e"
        )
        for t in texts(evaluation)
    )
    HarmEventFactory(case=case, kind="job_lost")
    assert readiness_evaluate_case(case.pk).status == Readiness.READY_FOR_REFERE


def test_an_ignored_oqtf_goes_to_a_lawyer(team):
    case = CaseFactory(team=team, procedure=ProcedureType.RENEWAL, has_unexecuted_oqtf=True)
    granted_pattern(case)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.LAWYER_REVIEW
    assert any(
        t.startswith("OQTF non exécutée ✗ : l'urgence n'est en principe pas reconnue") for t in texts(evaluation)
    )


def test_imported_attempts_without_evidence_do_not_count_as_evidenced(team):
    case = CaseFactory(team=team)
    granted_pattern(case)
    add_attempt(case, paris_moment(4, 12), evidence=False, recorded_via=RecordedVia.IMPORT)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.NOT_YET
    assert any(
        t.startswith("Preuve horodatée pour 11 tentatives sur 12 (toutes requises) ✗") for t in texts(evaluation)
    )


def test_anef_cases_need_contact_centre_and_help_point_attempts(team):
    case = CaseFactory(team=team, uses_anef=True)
    granted_pattern(case)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.NOT_YET
    anef = next(c for c in evaluation.conditions if c.code == "anef")
    assert "Centre de contact citoyen ANEF (CCC)" in anef.text and "Point d'accueil numérique (PAN)" in anef.text
    add_attempt(case, paris_moment(6, 11), channel=Channel.ANEF_CONTACT_CENTRE, outcome=Outcome.NO_REPLY)
    add_attempt(case, paris_moment(6, 15), channel=Channel.DIGITAL_HELP_POINT, outcome=Outcome.REFUSED_AT_COUNTER)
    assert readiness_evaluate_case(case.pk).status == Readiness.READY_FOR_REFERE


def test_an_unanswered_request_of_thirty_days_allows_a_referral_beside_the_refere(team, caseworker, login_as):
    case = CaseFactory(team=team, procedure=ProcedureType.FIRST_APPLICATION)
    add_attempt(case, paris_moment(35, 10), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.READY_FOR_REFERRAL
    assert "Demande écrite sans réponse depuis au moins 30 jours ✓" in texts(evaluation)
    page = login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    assert "Prêt pour une saisine du Défenseur des droits" in page
    assert "ne remplace pas un référé" in page and "côte à côte" in page
    assert "à la place" not in page.replace("jamais à sa place", "")


def test_a_booked_appointment_stops_the_refere(team):
    case = CaseFactory(team=team)
    granted_pattern(case)
    add_attempt(case, paris_moment(1, 9), outcome=Outcome.BOOKED)
    evaluation = readiness_evaluate_case(case.pk)
    assert evaluation.status == Readiness.NOT_YET
    assert any(t.startswith("Rendez-vous obtenu le ") for t in texts(evaluation))


def test_the_case_page_shows_every_condition(team, caseworker, login_as):
    case = CaseFactory(team=team)
    granted_pattern(case)
    page = login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    assert "Prêt pour un référé" in page
    for text in texts(readiness_evaluate_case(case.pk)):
        assert text.replace("'", "&#x27;") in page


def _policy_post(policy, **changes):
    data = {"based_on": policy.pk, "change_note": "Jurisprudence locale plus exigeante"}
    for name in POLICY_FIELDS:
        value = getattr(policy, name)
        if name == "urgency_presumed_procedures":
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update(changes)
    return data


def test_a_policy_change_creates_a_version_and_evaluations_record_it(team, org_admin, login_as):
    case = CaseFactory(team=team)
    granted_pattern(case)
    first = case_readiness_refresh(case.pk)
    default = ReadinessPolicy.objects.get(organisation__isnull=True, is_current=True)
    assert first.status == Readiness.READY_FOR_REFERE and first.policy_id == default.pk

    client = login_as(org_admin)
    response = client.post(reverse("litigation:policy"), _policy_post(default, min_distinct_days=12))
    assert response.status_code == 302

    new = ReadinessPolicy.objects.get(organisation=team.organisation, is_current=True)
    assert new.version == default.version + 1 and new.min_distinct_days == 12
    assert new.min_span_days_source == default.min_span_days_source
    default.refresh_from_db()
    assert default.is_current  # other associations keep the shared default
    assert AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE, object_id=str(new.pk)).exists()

    second = case_readiness_refresh(case.pk)
    assert second.status == Readiness.NOT_YET
    assert "Tentatives sur 11 jours différents (12 requis) ✗ : essayer d'autres jours, à des heures variées" in texts(
        second
    )
    history = list(ReadinessEvaluation.objects.filter(case=case).order_by("evaluated_at", "id"))
    assert [e.policy.version for e in history] == [default.version, new.version]
    assert [e.is_latest for e in history] == [False, True]


def test_a_stale_policy_form_is_refused(team, org_admin, login_as):
    default = ReadinessPolicy.objects.get(organisation__isnull=True, is_current=True)
    client = login_as(org_admin)
    client.post(reverse("litigation:policy"), _policy_post(default, min_distinct_days=12))
    response = client.post(reverse("litigation:policy"), _policy_post(default, min_distinct_days=8))
    assert response.status_code == 200
    assert "La règle a été modifiée entre-temps" in response.text
    assert ReadinessPolicy.objects.filter(organisation=team.organisation).count() == 1


def test_only_org_admins_edit_the_policy(caseworker, coordinator, login_as):
    assert login_as(caseworker).get(reverse("litigation:policy")).status_code == 403
    assert login_as(coordinator).get(reverse("litigation:policy")).status_code == 403


def test_an_unchanged_result_adds_no_history_row(team):
    case = CaseFactory(team=team)
    granted_pattern(case)
    readiness_refresh_many([case.pk])
    readiness_refresh_many([case.pk])
    assert ReadinessEvaluation.objects.filter(case=case).count() == 1


def test_recompute_flags_evaluates_every_case(team):
    ready = CaseFactory(team=team)
    granted_pattern(ready)
    others = [CaseFactory(team=team) for _ in range(3)]
    call_command("recompute_flags", "--chunk-size", "2")
    assert Case.objects.get(pk=ready.pk).readiness == Readiness.READY_FOR_REFERE
    assert ReadinessEvaluation.objects.filter(is_latest=True).count() == 4
    assert {c.readiness for c in Case.objects.filter(pk__in=[o.pk for o in others])} == {Readiness.NOT_YET}
