"""Admin views of units: the one-click confirmation, the staff report of units to confirm, and
each unit's people page (editors, organisers, invitations, hand-over and its log)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from .errors import UnitError
from .forms import UnitInvitationChoiceForm, UnitInvitationForm, UnitPersonForm
from .models import UnitInvitation, UnitPage, UnitRole
from .selectors import (
    unit_editors,
    unit_invitations_pending,
    unit_is_editor,
    unit_may_manage_people,
    unit_organisers,
    unit_rights_changes,
    unit_stale_report,
)
from .services import (
    INVITATION_DAYS_MAX,
    unit_confirm,
    unit_invitation_create,
    unit_invitation_revoke,
    unit_leave,
    unit_person_remove,
)

REPORT_PERMISSION = "units.view_unit_reports"


@require_POST
def confirm(request, page_id):
    """Confirm that a unit's page is up to date: one click in its editor."""
    unit = get_object_or_404(UnitPage, pk=page_id)
    try:
        unit_confirm(unit=unit, user=request.user)
    except UnitError as error:
        if error.code == "forbidden":
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("'%(unit)s' is confirmed as up to date.") % {"unit": unit.title}
        )
    return redirect("wagtailadmin_pages:edit", unit.pk)


class StaleUnitsReportView(ReportView):
    """Live units that have not confirmed their page for 12 months, least recent first."""

    page_title = gettext_lazy("Units to confirm")
    header_icon = "time"
    index_url_name = "units_admin:stale_units"
    index_results_url_name = "units_admin:stale_units_results"
    paginate_by = 50
    columns = [
        TitleColumn("title", label=gettext_lazy("Unit"), url_name="wagtailadmin_pages:edit"),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        DateColumn("confirmed_on", label=gettext_lazy("Last confirmed")),
        Column("editor_count", label=gettext_lazy("Editors")),
        Column("follower_count", label=gettext_lazy("Followers")),
    ]
    list_export = ["title", "get_kind_display", "confirmed_on", "editor_count", "follower_count"]
    export_headings = {
        "title": gettext_lazy("Unit"),
        "get_kind_display": gettext_lazy("Kind"),
        "confirmed_on": gettext_lazy("Last confirmed"),
        "editor_count": gettext_lazy("Editors"),
        "follower_count": gettext_lazy("Followers"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return unit_stale_report()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_results_message"] = _(
            "Every unit has confirmed its page in the last 12 months."
        )
        return context


# --- A unit's people: editors, organisers, invitations ---------------------------------------


def _managed_unit(request, page_id):
    """The unit, if the person may manage its people (its editors, section staff); else 403."""
    unit = get_object_or_404(UnitPage, pk=page_id)
    if not unit_may_manage_people(unit=unit, user=request.user):
        raise PermissionDenied
    return unit


def _people_url(unit):
    return reverse("units_admin:people", args=[unit.pk])


@require_http_methods(["GET", "POST"])
def people(request, page_id):
    """The unit's editors and organisers, its pending invitations and its log; POST invites.

    For the unit's own editors and the International Section's staff. The
    invitation goes out by email; the form shows every refusal as an error
    and sends nothing.
    """
    unit = _managed_unit(request, page_id)
    form = UnitInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = unit_invitation_create(
                unit=unit,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                days=form.cleaned_data["days"],
                by=request.user,
            )
        except UnitError as error:
            form.add_error(
                error.extra.get("field") or _INVITE_FIELDS.get(error.code), error.message
            )
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(_people_url(unit))
    return TemplateResponse(
        request,
        "units/admin/people.html",
        {
            "unit": unit,
            "page_title": _("Editors and organisers"),
            "header_title": _("Editors and organisers: %(unit)s") % {"unit": unit.title},
            "page_subtitle": unit.title,
            "header_icon": "group",
            "form": form,
            "editors": list(unit_editors(unit=unit)),
            "organisers": list(unit_organisers(unit=unit)),
            "invitations": list(unit_invitations_pending(unit=unit)),
            "changes": list(unit_rights_changes(unit=unit)),
            "is_editor": unit_is_editor(unit=unit, user=request.user),
            "max_days": INVITATION_DAYS_MAX,
            "roles": UnitRole,
        },
    )


# The form field a service refusal belongs to.
_INVITE_FIELDS = {"email": "email", "already_invited": "email", "role": "role", "days": "days"}


@require_POST
def invitation_revoke(request, page_id):
    """Revoke one of the unit's pending invitations: its link stops working."""
    unit = _managed_unit(request, page_id)
    form = UnitInvitationChoiceForm(request.POST)
    invitation = None
    if form.is_valid():
        invitation = (
            UnitInvitation.objects.select_related("unit")
            .filter(unit=unit, pk=form.cleaned_data["invitation"])
            .first()
        )
    if invitation is None:
        messages.error(request, _("Choose one of the unit's invitations."))
        return redirect(_people_url(unit))
    try:
        unit_invitation_revoke(invitation=invitation, by=request.user)
    except UnitError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect(_people_url(unit))


@require_POST
def person_remove(request, page_id):
    """Take the editor or organiser role on the unit from someone else."""
    unit = _managed_unit(request, page_id)
    form = UnitPersonForm(request.POST)
    person = None
    if form.is_valid():
        person = get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
    if person is None:
        messages.error(request, _("Choose one of the unit's editors or organisers."))
        return redirect(_people_url(unit))
    try:
        unit_person_remove(unit=unit, user=person, role=form.cleaned_data["role"], by=request.user)
    except UnitError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer %(role)s of this unit.")
            % {
                "name": person.get_full_name() or person.email,
                "role": UnitRole(form.cleaned_data["role"]).label,
            },
        )
    return redirect(_people_url(unit))


@require_POST
def leave(request, page_id):
    """Hand over and leave: the person gives up their roles on the unit.

    The last editor may leave only while an invitation for a new editor is
    pending (the unit is then without editors until it is accepted, which the
    person is warned of); the International Section can always add editors.
    """
    unit = _managed_unit(request, page_id)
    try:
        without_editors = unit_leave(unit=unit, user=request.user)
    except UnitError as error:
        messages.error(request, error.message)
        return redirect(_people_url(unit))
    messages.success(request, _("You have left %(unit)s.") % {"unit": unit.title})
    if without_editors:
        messages.warning(
            request,
            _(
                "The unit has no editors until the pending invitation is accepted. "
                "The International Section can add editors if it expires."
            ),
        )
    if unit_may_manage_people(unit=unit, user=request.user):
        return redirect(_people_url(unit))
    return redirect("wagtailadmin_home")
