from accounts import two_factor


def navigation(request):
    """Role flags for the navigation bar, computed once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or two_factor.session_needs_second_factor(request):
        return {"nav_role": None}
    return {
        "nav_role": user.role,
        "nav_is_coordinator": user.is_coordinator,
        "nav_is_admin": user.is_org_admin,
    }
