"""Synthetic organisations, teams and users for the demo (never real people)."""

from accounts.enums import Role
from accounts.models import Membership, Organisation, Team, User

DEMO_PASSWORD = "demo-plage-libre"  # noqa: S105 - synthetic demo accounts, printed only in dev

DEMO_ORGANISATION = "Association Démo"
OTHER_ORGANISATION = "Autre Association (démo)"

# (email, first name, last name, team, role)
DEMO_USERS = [
    ("admin@demo.test", "Aïssata", "Admin", "Permanence Montreuil", Role.ADMIN),
    ("coordination@demo.test", "Claire", "Coordination", "Permanence Montreuil", Role.COORDINATOR),
    ("benevole.montreuil@demo.test", "Bruno", "Bénévole", "Permanence Montreuil", Role.CASEWORKER),
    ("benevole.creteil@demo.test", "Céline", "Bénévole", "Permanence Créteil", Role.CASEWORKER),
]
OTHER_USERS = [("coordination@autre.test", "Olga", "Autre", "Permanence Lyon", Role.COORDINATOR)]


def _ensure_users(organisation, users):
    created = []
    for email, first, last, team_name, role in users:
        team, _ = Team.objects.get_or_create(organisation=organisation, name=team_name)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, organisation=organisation
            )
            created.append(user)
        Membership.objects.get_or_create(user=user, team=team, defaults={"role": role})
    return created


def seed_accounts():
    """Idempotent: running it twice creates nothing new."""
    demo, _ = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)
    Team.objects.get_or_create(organisation=demo, name="Permanence Créteil")
    _ensure_users(demo, DEMO_USERS)
    other, _ = Organisation.objects.get_or_create(name=OTHER_ORGANISATION)
    _ensure_users(other, OTHER_USERS)
    return demo, other


def demo_logins():
    return [(email, role.label, team) for email, _f, _l, team, role in DEMO_USERS + OTHER_USERS]


def demo_backup_codes(*, shown: int = 3, kept: int = 10) -> dict[str, list[str]]:
    """Backup codes for the demo accounts that must use 2FA, so `make run` needs no phone.

    Only called in development (seed_demo prints them with the passwords): each code works once,
    and the set is topped up at every run. Real accounts enrol with an authenticator app.
    """
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from accounts import two_factor

    codes = {}
    for email, *_ in DEMO_USERS + OTHER_USERS:
        user = User.objects.get(email=email)
        if not two_factor.is_required(user):
            continue
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="Codes de secours (démo)", defaults={"confirmed": True}
        )
        missing = kept - device.token_set.count()
        StaticToken.objects.bulk_create(
            [StaticToken(device=device, token=StaticToken.random_token()) for _ in range(max(missing, 0))]
        )
        codes[email] = list(device.token_set.order_by("id").values_list("token", flat=True)[:shown])
    return codes
