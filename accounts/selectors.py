"""Reads for accounts."""

from django.db.models import Prefetch

from accounts.models import Membership, Team, User


def teams_of_organisation(organisation):
    return Team.objects.filter(organisation=organisation).order_by("name")


def users_of_organisation(organisation):
    return (
        User.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("team")))
        .order_by("last_name", "first_name", "email")
    )


def teams_visible_to(user):
    """Teams whose cases the user may see: all of the organisation for coordinators."""
    if not user.is_authenticated or user.organisation_id is None:
        return Team.objects.none()
    if user.is_coordinator:
        return teams_of_organisation(user.organisation)
    return Team.objects.filter(pk__in=user.team_ids()).order_by("name")
