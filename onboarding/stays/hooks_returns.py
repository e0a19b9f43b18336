"""Admin hooks: returns. What requests to come home early give the rest of the site: the
faculty's queue and request pages in the admin (``admin_returns``) with their menu item, the
notification kinds of each side, the staff right to handle every request, and the
personal-data register's entries for the requests and their steps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS, NOTIFICATION_KINDS, PERSONAL_DATA
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose

from .admin_returns import TITLE, admin_urls
from .apps import STAFF_PERMISSION
from .models import EarlyReturnRequest, EarlyReturnStep
from .selectors.returns import may_use_return_queue
from .services.returns import (
    ANSWERED_KIND,
    DECIDED_KIND,
    QUESTION_KIND,
    SUBMITTED_KIND,
    WITHDRAWN_KIND,
)


@hooks.register("register_admin_urls")
def register_returns_admin_urls() -> list[Any]:
    return [path("come-home/", include((admin_urls, "stays_returns"), namespace="stays_returns"))]


class ReturnQueueMenuItem(MenuItem):
    """Shown to the International Section's staff and the editors of faculties."""

    def is_shown(self, request: HttpRequest) -> bool:
        cached = getattr(request, "_stays_may_use_return_queue", None)
        if cached is None:
            cached = may_use_return_queue(request.user)
            setattr(request, "_stays_may_use_return_queue", cached)  # noqa: B010
        return bool(cached)


@hooks.register("register_admin_menu_item")
def register_return_queue_menu_item() -> MenuItem:
    return ReturnQueueMenuItem(
        TITLE, reverse("stays_returns:queue"), name="stays-returns", icon_name="home", order=266
    )


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def returns_staff_permissions() -> list[str]:
    """The International Section decides every unit's requests (the stays' staff right)."""
    return [STAFF_PERMISSION]


@hooks.register(NOTIFICATION_KINDS)
def returns_notification_kinds() -> list[NotificationKind]:
    """Each side of a request hears of the other's steps, in their own language."""
    return [
        NotificationKind(
            code=SUBMITTED_KIND,
            label=_("A student asks to come home early"),
            description=_("A student abroad has sent a request to come home early to your unit."),
            default_channel=Channel.EMAIL,
            context_keys=("request",),
        ),
        NotificationKind(
            code=QUESTION_KIND,
            label=_("A question about your request to come home"),
            description=_(
                "The request waits for your answer; its clock is paused until you answer."
            ),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("request",),
        ),
        NotificationKind(
            code=ANSWERED_KIND,
            label=_("A student has answered on a request to come home"),
            description=_("The request is back with the faculty and its clock runs again."),
            default_channel=Channel.EMAIL,
            context_keys=("request",),
        ),
        NotificationKind(
            code=DECIDED_KIND,
            label=_("Your request to come home has been decided"),
            description=_("The decision and what happens to your learning agreement."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("request",),
        ),
        NotificationKind(
            code=WITHDRAWN_KIND,
            label=_("A student has withdrawn a request to come home"),
            description=_("The request needs no decision any more."),
            default_channel=Channel.SITE,
            context_keys=("request",),
        ),
    ]


@hooks.register(PERSONAL_DATA)
def returns_personal_data() -> list[PersonalData]:
    common: dict[str, Any] = {"purpose": Purpose.EXCHANGE, "legal_basis": LegalBasis.PUBLIC_TASK}
    return [
        PersonalData(
            model=EarlyReturnRequest,
            subjects=("student",),
            fields=(
                "reason",
                "crisis",
                "explanation",
                "return_on",
                "status",
                "submitted_at",
                "decided_at",
                "decision_note",
                "agreement_outcome",
            ),
            other_fields=("id", "stay", "waiting_for", "unit", "decision_days", "decided_by"),
            context=("stay",),
            # Deleted with the account, as the stays they belong to are.
            **common,
        ),
        PersonalData(
            model=EarlyReturnStep,
            subjects=("request__student",),
            fields=("kind", "at", "text"),
            other_fields=("id", "actor", "waiting_for"),
            **common,
        ),
    ]
