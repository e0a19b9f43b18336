"""Admin hooks: registry.

What the stay registry gives the rest of the site: the "Stays abroad" admin
menu (other parts of the app add their items to it through the
``STAYS_MENU_HOOK`` hook), the overview of students abroad
(``admin_overview``), the courses of each programme that plan-B courses are
picked from, the section's staff rights, and the personal-data register.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.exchange.models import Programme
from onboarding.exchange.permissions import may_edit_unit_content, owned_by_user_q
from onboarding.hooks import INTERNATIONAL_STAFF_PERMISSIONS, PERSONAL_DATA
from onboarding.privacy.register import (
    Erasure,
    LegalBasis,
    PersonalData,
    Purpose,
    Retention,
)
from onboarding.units.owned import InstanceCheckedMixin

from . import admin_overview
from .apps import STAFF_PERMISSION
from .models import PlanBCourse, ProgrammeCourse, StayAbroad
from .selectors.overview import EXPORT_PERMISSION, may_see_overview

# The hook whose menu items make the "Stays abroad" admin menu (overview, crises, returns...).
STAYS_MENU_HOOK = "register_stays_menu_item"
# The model permission that lets staff keep every programme's courses.
COURSE_STAFF_PERMISSION = "stays.change_programmecourse"


# --- The courses of the programmes ------------------------------------------------------------


def keeps_programmes(user: Any) -> bool:
    """Whether ``user`` edits a unit that owns a study programme, or one above it (kept on the
    user for the request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached: bool | None = getattr(user, "_stays_keeps_programmes", None)
    if cached is None:
        cached = Programme.objects.filter(owned_by_user_q(user)).exists()
        setattr(user, "_stays_keeps_programmes", cached)  # noqa: B010
    return cached


class ProgrammeCoursePermissionPolicy(ModelPermissionPolicy):
    """Model permissions for staff; for unit editors, the courses of the programmes their units
    (or units below them) own."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"add", "change", "delete", "view"} and keeps_programmes(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"change", "delete", "view"} and may_edit_unit_content(
            user=user, unit=instance.programme.owner_unit
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        queryset = self.model._default_manager.all()
        if any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions):
            return queryset
        return queryset.filter(owned_by_user_q(user, prefix="programme__owner_unit__"))


register_permission_policy(ProgrammeCourse, ProgrammeCoursePermissionPolicy(ProgrammeCourse))


class ProgrammeCourseForm(WagtailAdminModelForm):
    """A unit editor chooses among the programmes of the units they edit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "programme" in self.fields:
            programmes = Programme.objects.order_by("name")
            if user is not None and not user.has_perm(COURSE_STAFF_PERMISSION):
                programmes = programmes.filter(owned_by_user_q(user))
            self.fields["programme"].queryset = programmes


class ProgrammeCourseEditView(InstanceCheckedMixin, snippet_views.EditView):
    pass


class ProgrammeCourseDeleteView(InstanceCheckedMixin, snippet_views.DeleteView):
    instance_permission = "delete"


class ProgrammeCourseIndexView(snippet_views.IndexView):
    """Unit editors list their programmes' courses; staff list all."""

    def get_base_queryset(self) -> QuerySet:
        queryset = super().get_base_queryset().select_related("programme")
        user = self.request.user
        if user.has_perm(COURSE_STAFF_PERMISSION):
            return queryset
        return queryset.filter(owned_by_user_q(user, prefix="programme__owner_unit__"))


class ProgrammeCourseViewSet(SnippetViewSet):
    model = ProgrammeCourse
    icon = "list-ol"
    menu_label = _("Programme courses")
    menu_name = "stays-programme-courses"
    menu_order = 900
    copy_view_enabled = False
    list_display = ["code", "title", "programme", "semester", "ects"]
    list_filter = ["semester", "programme"]
    search_fields = ["code", "title_nb", "title_en"]
    ordering = ["programme__name", "semester", "code"]
    index_view_class = ProgrammeCourseIndexView
    edit_view_class = ProgrammeCourseEditView
    delete_view_class = ProgrammeCourseDeleteView
    edit_handler = ObjectList(
        [
            # A select, not a chooser: it lists only the programmes the editor keeps.
            FieldPanel("programme", widget=forms.Select),
            FieldRowPanel([FieldPanel("semester"), FieldPanel("code"), FieldPanel("ects")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("autumn"), FieldPanel("spring")]),
        ],
        base_form_class=ProgrammeCourseForm,
    )


class StaysViewSetGroup(SnippetViewSetGroup):
    """The "Stays abroad" menu: the programme courses, and every item of ``STAYS_MENU_HOOK``."""

    items = (ProgrammeCourseViewSet,)
    menu_icon = "globe"
    menu_label = _("Stays abroad")
    menu_name = "stays"
    menu_order = 266
    submenu_hook = STAYS_MENU_HOOK


register_snippet(StaysViewSetGroup)


# --- The overview of students abroad -----------------------------------------------------------


@hooks.register("register_admin_urls")
def register_stays_overview_admin_urls() -> list[Any]:
    return [
        path(
            "stays-abroad/overview/",
            include((admin_overview.admin_urls, "stays_overview"), namespace="stays_overview"),
        )
    ]


class OverviewMenuItem(MenuItem):
    """Shown to the International Section's staff and to the editors of faculties and departments."""

    def is_shown(self, request: HttpRequest) -> bool:
        cached = getattr(request, "_stays_may_see_overview", None)
        if cached is None:
            cached = may_see_overview(request.user)
            setattr(request, "_stays_may_see_overview", cached)  # noqa: B010
        return bool(cached)


@hooks.register(STAYS_MENU_HOOK)
def register_overview_menu_item() -> MenuItem:
    return OverviewMenuItem(
        _("Students abroad now"),
        reverse("stays_overview:index"),
        name="stays-overview",
        icon_name="globe",
        order=100,
    )


# --- Staff rights and the personal-data register -----------------------------------------------


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def stays_registry_staff_permissions() -> list[str]:
    """The International Section sees every stay, downloads them for crisis use and keeps the
    programmes' courses."""
    return [
        STAFF_PERMISSION,
        EXPORT_PERMISSION,
        *(f"stays.{action}_programmecourse" for action in ("add", "change", "delete", "view")),
    ]


@hooks.register(PERSONAL_DATA)
def stays_registry_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=StayAbroad,
            subjects=("student",),
            fields=(
                "host_name",
                "city",
                "country",
                "starts_on",
                "ends_on",
                *StayAbroad.PERSONAL_FIELDS,
                "consented_at",
                "created_at",
                "updated_at",
                "erased_at",
            ),
            other_fields=("id", "agreement", "case"),
            context=("agreement",),
            purpose=Purpose.EXCHANGE,
            # The student registers the stay, and may change or delete it, by consent.
            legal_basis=LegalBasis.CONSENT,
            # The address, phones and contacts go a set time after the stay; the host, place and
            # dates stay without them for the statistics (``stays_erase_expired`` does the same
            # and notes when).
            retention=Retention(days=settings.STAY_RETENTION_DAYS, after="ends_on"),
            erasure=Erasure.ANONYMISE,
            cleared=StayAbroad.PERSONAL_FIELDS,
        ),
        PersonalData(
            model=PlanBCourse,
            subjects=("stay__student", "request__student"),
            fields=("code", "title", "ects"),
            other_fields=("id", "course", "sort_order"),
            context=("course",),
            purpose=Purpose.EXCHANGE,
            legal_basis=LegalBasis.CONSENT,
            # Course facts, kept with the anonymised stay.
            erasure=Erasure.ANONYMISE,
        ),
    ]
