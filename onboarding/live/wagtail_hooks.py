"""Notifications in the personal-data register."""

from collections.abc import Iterable

from wagtail import hooks

from onboarding.hooks import PERSONAL_DATA
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose, Retention

from .models import DigestRun, Notification, NotificationPreference


@hooks.register(PERSONAL_DATA)
def live_personal_data() -> Iterable[PersonalData]:
    common = {
        "other_fields": ("id",),
        "purpose": Purpose.NOTIFICATIONS,
        "legal_basis": LegalBasis.PUBLIC_TASK,
    }
    return [
        PersonalData(
            model=Notification,
            subjects=("recipient",),
            fields=Notification.PERSONAL_FIELDS,
            retention=Retention(days=730, after="created_at"),
            **common,
        ),
        PersonalData(
            model=NotificationPreference,
            subjects=("user",),
            fields=NotificationPreference.PERSONAL_FIELDS,
            **common,
        ),
        PersonalData(
            model=DigestRun,
            subjects=("user",),
            fields=DigestRun.PERSONAL_FIELDS,
            retention=Retention(days=365, after="sent_at"),
            **common,
        ),
    ]
