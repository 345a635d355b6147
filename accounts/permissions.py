"""Role checks for views. Data scoping is separate: see Case.objects.visible_to(user)."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def _role_required(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = _role_required(lambda u: u.organisation_id is not None and u.role is not None)
coordinator_required = _role_required(lambda u: u.organisation_id is not None and u.is_coordinator)
org_admin_required = _role_required(lambda u: u.organisation_id is not None and u.is_org_admin)
