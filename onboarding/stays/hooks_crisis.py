"""What crises give the rest of the site: notification kinds, live topics, the staff's right,
the personal-data register, and (in ``admin_crisis``) their admin."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from onboarding.hooks import (
    INTERNATIONAL_STAFF_PERMISSIONS,
    LIVE_TOPICS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose, Retention

from . import admin_crisis  # noqa: F401  (its hooks register on import)
from .apps import STAFF_PERMISSION
from .models import Crisis, CrisisArea, SafetyCheck
from .selectors.crisis import (
    BOARD_TOPIC_PREFIX,
    SAFETY_TOPIC_PREFIX,
    board_topic_allowed,
    safety_topic_allowed,
)
from .services.crisis import CHECK_KIND, HELP_KIND, REMINDER_KIND


@hooks.register(NOTIFICATION_KINDS)
def crisis_notification_kinds() -> list[NotificationKind]:
    """A crisis must reach the students in it, and a call for help its duty officer."""
    return [
        NotificationKind(
            code=CHECK_KIND,
            label=_("A safety check in a crisis where you are staying"),
            description=_(
                "The International Section asks whether you are safe; answer with one click."
            ),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("crisis",),
        ),
        NotificationKind(
            code=REMINDER_KIND,
            label=_("A reminder of a safety check you have not answered"),
            description=_("Sent now and then until you answer the safety check."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("crisis",),
        ),
        NotificationKind(
            code=HELP_KIND,
            label=_("A student in a crisis needs help"),
            description=_(
                "A student has answered “I need help” in a crisis you are the duty officer of."
            ),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=(
                "crisis",
                "student",
                "email",
                "phone",
                "city",
                "country",
                "message",
                "asked_at",
                "minutes",
            ),
        ),
    ]


@hooks.register(LIVE_TOPICS)
def crisis_topics() -> dict[str, object]:
    """``crisis:<id>``: a crisis's board, for staff and faculties; ``safety:checks``: "your
    open checks may have changed", for anyone signed in (the page re-reads its own)."""
    return {BOARD_TOPIC_PREFIX: board_topic_allowed, SAFETY_TOPIC_PREFIX: safety_topic_allowed}


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def crisis_staff_permissions() -> list[str]:
    """The International Section declares and closes crises and sees every board."""
    return [STAFF_PERMISSION]


CRISIS_TEXTS = ("title", "title_nb", "title_en", "message", "message_nb", "message_en")


@hooks.register(PERSONAL_DATA)
def crisis_personal_data() -> list[PersonalData]:
    return [
        # Who declared, closed and answered for a crisis: the record of what staff did.
        PersonalData(
            model=Crisis,
            subjects=("duty_officer", "declared_by", "closed_by"),
            fields=(),
            other_fields=(
                "id",
                *CRISIS_TEXTS,
                "severity",
                "reminder_hours",
                "acknowledge_minutes",
                "declared_at",
                "closed_at",
                "summary",
            ),
            context=("title", "declared_at", "closed_at"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
        PersonalData(
            model=CrisisArea,
            subjects=("crisis__duty_officer", "crisis__declared_by", "crisis__closed_by"),
            fields=(),
            other_fields=("id", "country", "city"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            exported=False,
            erasure=Erasure.ANONYMISE,
        ),
        # A student's answers follow their stay's retention: the message goes with the stay's
        # personal details; the answer stays for the crisis's record.
        PersonalData(
            model=SafetyCheck,
            subjects=("student",),
            fields=(
                "answer",
                "message",
                "sent_at",
                "answered_at",
                "answer_count",
                "reminders_sent",
                "last_reminded_at",
                "help_asked_at",
                "acknowledged_at",
            ),
            other_fields=("id", "crisis", "stay", "acknowledged_by", "erased_at"),
            context=("crisis",),
            purpose=Purpose.EXCHANGE,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=settings.STAY_RETENTION_DAYS, after="stay__ends_on"),
            erasure=Erasure.ANONYMISE,
            cleared=("message",),
        ),
    ]
