"""Signal handlers of the live app: they only call services."""


def close_live_connections_on_logout(sender, request, user, **kwargs):
    """Logging out closes that browser's live connections, so no more hints reach it."""
    from .services import session_end_push

    session = getattr(request, "session", None)
    if user is not None and session is not None:
        session_end_push(user_id=user.pk, session_key=session.session_key)
