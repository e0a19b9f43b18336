"""The live layer's own registrations: the notification kinds it defines."""

from wagtail import hooks

from onboarding.hooks import NOTIFICATION_KINDS

from .kinds import LIVE_KINDS


@hooks.register(NOTIFICATION_KINDS)
def live_notification_kinds():
    """The kinds defined in ``kinds.py``: signups, waitlists, event changes, reminders, messages."""
    return LIVE_KINDS
