"""Admin wiring of units: the confirm action, the staff report, the people page and its
button, log actions, permissions and personal data."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from onboarding.hooks import NOTIFICATION_KINDS, PERSONAL_DATA, SEARCH_SOURCES
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose, Retention

from . import admin_views, completeness_admin
from .completeness_services import COMPLETENESS_KIND
from .models import (
    Follow,
    UnitConfirmation,
    UnitInvitation,
    UnitOrganiser,
    UnitPage,
    UnitRightsChange,
)
from .selectors import unit_may_manage_people, units_edited_by

# Invitations are kept this long after they expire (accepted ones are in the log too).
INVITATION_KEPT_DAYS = 90
# The log of who was given or gave up rights on a unit: two boards' terms.
RIGHTS_LOG_DAYS = 730


@hooks.register("register_admin_urls")
def register_units_admin_urls():
    urls = [
        path("<id:page_id>/confirm/", admin_views.confirm, name="confirm"),
        path("<id:page_id>/people/", admin_views.people, name="people"),
        path(
            "<id:page_id>/people/revoke/",
            admin_views.invitation_revoke,
            name="invitation_revoke",
        ),
        path("<id:page_id>/people/remove/", admin_views.person_remove, name="person_remove"),
        path("<id:page_id>/people/leave/", admin_views.leave, name="leave"),
        path(
            "<id:page_id>/completeness/",
            completeness_admin.completeness_unit,
            name="completeness_unit",
        ),
        path("reports/completeness/", completeness_admin.completeness_index, name="completeness"),
        path(
            "reports/units-to-confirm/",
            admin_views.StaleUnitsReportView.as_view(),
            name="stale_units",
        ),
        path(
            "reports/units-to-confirm/results/",
            admin_views.StaleUnitsReportView.as_view(results_only=True),
            name="stale_units_results",
        ),
    ]
    return [path("units/", include((urls, "units_admin"), namespace="units_admin"))]


class UnitReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_stale_units_menu_item():
    return UnitReportsMenuItem(
        _("Units to confirm"),
        reverse("units_admin:stale_units"),
        name="units-to-confirm",
        icon_name="time",
        order=1300,
    )


class CompletenessMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return completeness_admin.completeness_sees_all(user) or (
            user.is_active and units_edited_by(user=user).exists()
        )


@hooks.register("register_reports_menu_item")
def register_completeness_menu_item():
    return CompletenessMenuItem(
        _("Bilingual completeness"),
        reverse("units_admin:completeness"),
        name="bilingual-completeness",
        icon_name="doc-full",
        order=1310,
    )


@hooks.register(NOTIFICATION_KINDS)
def units_notification_kinds() -> list[NotificationKind]:
    """A unit's editors hear, once a month, when too little of its content is in both languages."""
    return [
        NotificationKind(
            code=COMPLETENESS_KIND,
            label=_("Too little of a unit's content is in both languages"),
            description=_(
                "Once a month, for a unit you edit whose share of content complete in "
                "Norwegian and English is below the aim."
            ),
            default_channel=Channel.EMAIL,
            context_keys=("unit", "percent", "threshold", "total", "single", "missing"),
        )
    ]


def _completeness_button(page, user):
    if page.specific_class is not UnitPage or not completeness_admin.completeness_may_view(
        unit=page, user=user
    ):
        return
    yield Button(
        _("Bilingual completeness"),
        reverse("units_admin:completeness_unit", args=[page.pk]),
        icon_name="doc-full",
        priority=70,
    )


def _people_button(page, user):
    if page.specific_class is not UnitPage or not unit_may_manage_people(unit=page, user=user):
        return
    yield Button(
        _("Editors and organisers"),
        reverse("units_admin:people", args=[page.pk]),
        icon_name="group",
        priority=60,
    )


# In the unit's header only: in the page listings it would cost a query per unit.
@hooks.register("register_page_header_buttons")
def register_people_header_button(page, user, view_name, next_url=None):
    yield from _people_button(page, user)
    yield from _completeness_button(page, user)


@hooks.register("register_log_actions")
def register_unit_log_actions(actions):
    actions.register_action(
        "units.confirm", _("Confirm up to date"), _("Confirmed the page is up to date")
    )


@hooks.register("register_permissions")
def register_unit_permissions():
    return Permission.objects.filter(
        content_type__app_label="units",
        codename__in=["change_unit_structure", "view_unit_reports", "manage_unit_people"],
    )


@hooks.register(PERSONAL_DATA)
def units_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=Follow,
            subjects=("user",),
            fields=Follow.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.FOLLOWS,
            legal_basis=LegalBasis.CONSENT,
        ),
        PersonalData(
            model=UnitConfirmation,
            subjects=("confirmed_by",),
            fields=UnitConfirmation.PERSONAL_FIELDS,
            other_fields=("id", "unit"),
            context=("unit",),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
        PersonalData(
            model=UnitOrganiser,
            subjects=("user",),
            fields=UnitOrganiser.PERSONAL_FIELDS,
            other_fields=("id", "unit"),
            context=("unit",),
            purpose=Purpose.EVENTS,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=UnitInvitation,
            subjects=("invited_by", "accepted_by"),
            fields=UnitInvitation.PERSONAL_FIELDS,
            other_fields=("id", "unit", "role", "expires_at", "token_hash", "revoked_at"),
            context=("unit", "role"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=INVITATION_KEPT_DAYS, after="expires_at"),
        ),
        PersonalData(
            model=UnitRightsChange,
            subjects=("person", "by"),
            fields=UnitRightsChange.PERSONAL_FIELDS,
            other_fields=("id", "unit", "role", "action"),
            context=("unit", "role", "action"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            retention=Retention(days=RIGHTS_LOG_DAYS, after="at"),
            # The unit's record of who held its rights, and who gave them, outlives an account.
            erasure=Erasure.KEEP,
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def unit_search_sources():
    """Units for the site search (live, public unit pages), each labelled with its kind."""
    import dataclasses

    from cms.search.selectors import page_hit
    from cms.search.sources import SearchSource

    def hit(page):
        return dataclasses.replace(page_hit(page), note=str(page.get_kind_display()))

    return [
        SearchSource(
            key="unit", name=_("Unit"), plural=_("Units"), model=UnitPage, order=20, hit=hit
        )
    ]
