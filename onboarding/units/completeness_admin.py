"""Admin views of bilingual completeness: a unit's own report, and the table of units.

A unit's report is for those who may edit the unit's page (its editors, the
editors of a unit above it, the International Section) and for the staff who
see the unit reports. The table shows the staff every unit and an editor the
units they edit. Anyone else gets the admin's refusal.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .admin_views import REPORT_PERMISSION
from .completeness import (
    completeness_report,
    completeness_threshold,
    unit_completeness,
    units_completeness,
)
from .models import UnitPage
from .selectors import units_edited_by


def completeness_sees_all(user) -> bool:
    """Whether ``user`` sees every unit's figures (the International Section's staff)."""
    return user.is_active and (user.is_superuser or user.has_perm(REPORT_PERMISSION))


def completeness_may_view(*, unit: UnitPage, user) -> bool:
    """Whether ``user`` may see ``unit``'s report: staff, or anyone who may edit its page."""
    if not user.is_authenticated or not user.is_active:
        return False
    return completeness_sees_all(user) or unit.permissions_for_user(user).can_edit()


def completeness_index(request):
    """Each unit's share of content complete in both languages, lowest first, with its counts.

    The International Section's staff see every unit; an editor the units they
    edit; anyone else is refused.
    """
    user = request.user
    sees_all = completeness_sees_all(user)
    if sees_all:
        figures = completeness_report()
    else:
        units = list(units_edited_by(user=user))
        if not units:
            raise PermissionDenied
        figures = units_completeness(units=units)
    return TemplateResponse(
        request,
        "units/admin/completeness_index.html",
        {
            "page_title": _("Bilingual completeness"),
            "header_title": _("Bilingual completeness"),
            "header_icon": "doc-full",
            "figures": figures,
            "sees_all": sees_all,
            "threshold": int(completeness_threshold() * 100),
        },
    )


def completeness_unit(request, page_id):
    """One unit's pages and other content: which are in both languages, and what to fix."""
    unit = get_object_or_404(UnitPage, pk=page_id)
    if not completeness_may_view(unit=unit, user=request.user):
        raise PermissionDenied
    figures = unit_completeness(unit=unit)
    return TemplateResponse(
        request,
        "units/admin/completeness_unit.html",
        {
            "page_title": _("Bilingual completeness"),
            "header_title": _("Bilingual completeness: %(unit)s") % {"unit": unit.title},
            "page_subtitle": unit.title,
            "header_icon": "doc-full",
            "unit": unit,
            "figures": figures,
            "threshold": int(completeness_threshold() * 100),
            "sees_all": completeness_sees_all(request.user),
        },
    )
