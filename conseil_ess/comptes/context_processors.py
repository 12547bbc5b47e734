def navigation(request):
    """Give every page the unread-notification count of the logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def non_lues():
        return user.notifications.non_lues().count()

    return {"notifications_non_lues": non_lues}
