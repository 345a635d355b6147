"""factory-boy factories: synthetic data only."""

import datetime

import factory
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership, Organisation, Team, User
from cases.enums import CaseStatus, DocumentKind, ProcedureType
from cases.models import Case, HarmEvent, Person, Prefecture, ResidenceDocument

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Permanence {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Bénévole{n}")
    organisation = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(team, role=Role.CASEWORKER, **kwargs):
    """A user of `team`'s organisation with `role` in `team`."""
    user = UserFactory(organisation=team.organisation, **kwargs)
    Membership.objects.create(user=user, team=team, role=role)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    last_name = factory.Sequence(lambda n: f"Diallo{n}")
    first_name = "Aïcha"
    birth_date = datetime.date(1990, 5, 14)
    nationality = "SN"


def prefecture(code="PREF-93"):
    return Prefecture.objects.get(code=code)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory, team=factory.SelfAttribute("..team"))
    procedure = ProcedureType.RENEWAL
    prefecture = factory.LazyFunction(prefecture)
    status = CaseStatus.ATTEMPTING


class ResidenceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidenceDocument

    person = factory.SubFactory(PersonFactory)
    kind = DocumentKind.TEMPORARY_CARD
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=300))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=65))
    authorises_work = True


class HarmEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HarmEvent

    case = factory.SubFactory(CaseFactory)
    kind = "job_suspended"
    occurred_on = factory.LazyFunction(timezone.localdate)


def open_case(team, *, expiry_in_days=None, assignee=None, **fields):
    """A case of `team` with a current title expiring in `expiry_in_days`, deadlines computed."""
    from cases.services import deadlines_recompute

    person_fields = {k[7:]: fields.pop(k) for k in list(fields) if k.startswith("person_")}
    person = PersonFactory(team=team, **person_fields)
    case = CaseFactory(team=team, person=person, assignee=assignee, **fields)
    if expiry_in_days is not None:
        ResidenceDocumentFactory(
            person=person, valid_until=timezone.localdate() + datetime.timedelta(days=expiry_in_days)
        )
    deadlines_recompute([case.pk])
    case.refresh_from_db()
    return case


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "attempts.Attempt"

    case = factory.SubFactory(CaseFactory)
    moment = factory.LazyFunction(timezone.now)
    channel = "prefecture_web"
    outcome = "no_slot"


class LitigationActionFactory(factory.django.DjangoModelFactory):
    """A référé filed last week, still pending. `execution_due_on` is set explicitly by the tests that
    need it (the services derive it from the order date and delays)."""

    class Meta:
        model = "litigation.LitigationAction"

    case = factory.SubFactory(CaseFactory)
    kind = "refere_mesures_utiles"
    court = "Tribunal administratif de Montreuil"
    filed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))


def order_not_executed(case, *, days_late=3, **fields):
    """A granted order whose execution delay passed `days_late` days ago."""
    today = timezone.localdate()
    values = {
        "outcome": "granted",
        "order_on": today - datetime.timedelta(days=30 + days_late),
        "ordered_appointment_within_days": 30,
        "execution_due_on": today - datetime.timedelta(days=days_late),
        **fields,
    }
    return LitigationActionFactory(case=case, **values)
