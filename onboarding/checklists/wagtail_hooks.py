"""Admin wiring of checklists: the coordinators' dashboard and its menu item."""

from typing import IO

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.hooks import (
    GAP_CHECKS,
    INTERNATIONAL_STAFF_PERMISSIONS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose, Retention

from . import admin_views
from .documents import private_storage, retention_days
from .gaps import checklist_items_without_role
from .models import AcademicSemester, ItemProgress, ItemSubmission, OverdueReminder, ReminderLog
from .selectors import is_coordinator


@hooks.register("register_admin_urls")
def register_checklists_admin_urls():
    urls = [
        path("", admin_views.DashboardView.as_view(), name="index"),
        path(
            "<id:checklist_id>/",
            admin_views.ChecklistProgressView.as_view(),
            name="checklist",
        ),
        path("<id:checklist_id>/csv/", admin_views.checklist_progress_csv, name="checklist_csv"),
        path(
            "<id:checklist_id>/documents/",
            admin_views.DocumentsView.as_view(),
            name="checklist_documents",
        ),
        path(
            "<id:checklist_id>/remind/",
            admin_views.RemindOverdueView.as_view(),
            name="checklist_remind",
        ),
    ]
    return [
        path("arrival-progress/", include((urls, "checklists_admin"), namespace="checklists_admin"))
    ]


class ArrivalProgressMenuItem(MenuItem):
    def is_shown(self, request):
        cached = getattr(request, "_checklists_is_coordinator", None)
        if cached is None:
            cached = is_coordinator(user=request.user)
            request._checklists_is_coordinator = cached
        return cached


@hooks.register("register_admin_menu_item")
def register_arrival_progress_menu_item():
    return ArrivalProgressMenuItem(
        _("Arrival progress"),
        reverse("checklists_admin:index"),
        name="arrival-progress",
        icon_name="tasks",
        order=250,
    )


# The checklists' finding in the responsibility gap report: yields ``Gap``s for items
# whose responsible unit holds no R or A for the item's area.
hooks.register(GAP_CHECKS, checklist_items_without_role)


@hooks.register(NOTIFICATION_KINDS)
def checklist_notification_kinds():
    """The reminder of checklist items due soon or overdue."""
    return [
        NotificationKind(
            code="checklist_items_due",
            label=_("Checklist items are due"),
            description=_("Items on your onboarding checklist are due soon."),
            default_channel=Channel.DIGEST,
            context_keys=("checklist_title", "count", "due_date", "items"),
        ),
        NotificationKind(
            code="checklist_items_overdue",
            label=_("A coordinator reminds you of overdue items"),
            description=_(
                "Your faculty or the International Section reminds you of items past due."
            ),
            default_channel=Channel.EMAIL,
            context_keys=("checklist_title", "count", "items"),
        ),
        NotificationKind(
            code="checklist_document_reviewed",
            label=_("Staff have reviewed your document"),
            description=_("A document you uploaded on your checklist is verified or returned."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("item_title", "verified", "comment"),
        ),
    ]


class AcademicSemesterViewSet(SnippetViewSet):
    """The semesters and their start dates, which semester-relative items count from."""

    model = AcademicSemester
    icon = "date"
    menu_label = _("Semesters")
    add_to_admin_menu = False
    list_display = ["__str__", "starts_on"]
    ordering = ["-starts_on"]
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("term")]),
        FieldPanel("starts_on"),
    ]


register_snippet(AcademicSemesterViewSet)


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def semester_staff_permissions():
    """The International Section's staff keep the semesters and their start dates."""
    return [
        "checklists.add_academicsemester",
        "checklists.change_academicsemester",
        "checklists.delete_academicsemester",
    ]


def submission_files(submission: ItemSubmission) -> list[tuple[str, IO[bytes]]]:
    """The uploaded document, under the name the student gave it."""
    storage = private_storage()
    if not submission.file_name or not storage.exists(submission.file_name):
        return []
    return [(submission.original_name, storage.open(submission.file_name, "rb"))]


@hooks.register(PERSONAL_DATA)
def checklists_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=ItemProgress,
            subjects=("student",),
            fields=ItemProgress.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.ARRIVAL_PLAN,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=ItemSubmission,
            subjects=("student",),
            fields=(*ItemSubmission.PERSONAL_FIELDS, "reviewed_by"),
            other_fields=("id",),
            purpose=Purpose.ARRIVAL_PLAN,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=retention_days(), after="uploaded_at"),
            files=submission_files,
        ),
        PersonalData(
            model=ReminderLog,
            subjects=("student",),
            fields=ReminderLog.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.NOTIFICATIONS,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=365, after="sent_at"),
        ),
        PersonalData(
            model=OverdueReminder,
            subjects=("student",),
            fields=(*OverdueReminder.PERSONAL_FIELDS, "sent_by"),
            other_fields=("id",),
            purpose=Purpose.NOTIFICATIONS,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=365, after="sent_at"),
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def checklist_search_sources():
    """Onboarding checklists for the site search (live, public checklist pages)."""
    from cms.search.sources import SearchSource

    from .models import ChecklistPage

    return [
        SearchSource(
            key="checklist",
            name=_("Checklist"),
            plural=_("Checklists"),
            model=ChecklistPage,
            order=50,
        )
    ]
