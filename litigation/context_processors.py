from litigation.models import Notification


def unread_notifications(request):
    """Unread reminders for the header: one COUNT query, only for members (lazy for others)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
