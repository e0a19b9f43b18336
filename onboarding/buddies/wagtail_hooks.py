"""What the buddy programme gives other apps: its kinds of notification."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from onboarding.hooks import NOTIFICATION_KINDS
from onboarding.live.kinds import Channel, NotificationKind


@hooks.register(NOTIFICATION_KINDS)
def buddy_notification_kinds():
    """Publishing a matching introduces each pair: the student to their buddy and back."""
    return [
        NotificationKind(
            code="buddy_introduced_student",
            label=_("You have a buddy"),
            description=_("The buddy programme has matched you with a local student."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("round", "buddy"),
        ),
        NotificationKind(
            code="buddy_introduced_buddy",
            label=_("A student has been matched with you"),
            description=_("The buddy programme has given you an arriving student."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("round", "student", "arrives_on"),
        ),
    ]
