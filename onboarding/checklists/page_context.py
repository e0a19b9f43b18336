"""What a checklist page shows besides its own fields: read-only assembly for ``get_context``.

The page model calls these builders; views may call them too. They read
through the selectors and never write.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.accounts.models import StudentStatus

from .models import AcademicSemester, ChecklistItem, ChecklistPage, DueKind, Region
from .selectors import matrix_page, plan_today


def offset_label(days: int, *, working_days: bool = False) -> str:
    """When an item falls due, relative to arrival, in words."""
    if working_days:
        if days == 0:
            return _("On the day you arrive, or the next working day")
        if days < 0:
            return ngettext(
                "%(count)s working day before you arrive",
                "%(count)s working days before you arrive",
                -days,
            ) % {"count": -days}
        return ngettext(
            "%(count)s working day after you arrive",
            "%(count)s working days after you arrive",
            days,
        ) % {"count": days}
    if days == 0:
        return _("On the day you arrive")
    if days < 0:
        return ngettext(
            "%(count)s day before you arrive", "%(count)s days before you arrive", -days
        ) % {"count": -days}
    return ngettext("%(count)s day after you arrive", "%(count)s days after you arrive", days) % {
        "count": days
    }


def semester_offset_label(days: int, *, working_days: bool = False) -> str:
    """When an item falls due, relative to the start of the semester, in words."""
    if days == 0:
        return _("On the first day of the semester")
    if working_days:
        if days < 0:
            return ngettext(
                "%(count)s working day before the semester starts",
                "%(count)s working days before the semester starts",
                -days,
            ) % {"count": -days}
        return ngettext(
            "%(count)s working day after the semester starts",
            "%(count)s working days after the semester starts",
            days,
        ) % {"count": days}
    if days < 0:
        return ngettext(
            "%(count)s day before the semester starts",
            "%(count)s days before the semester starts",
            -days,
        ) % {"count": -days}
    return ngettext(
        "%(count)s day after the semester starts",
        "%(count)s days after the semester starts",
        days,
    ) % {"count": days}


def due_label(item: ChecklistItem, *, semester: AcademicSemester | None = None) -> str:
    """When ``item`` falls due, in words, for each kind of due date.

    Fixed: "A fixed date for everyone". Semester: counted from the start,
    naming the semester and its first day when known. Arrival: counted from
    the arrival.
    """
    if item.due_kind == DueKind.FIXED:
        if item.due_on is None:
            return _("A fixed date for everyone")
        return _("By %(date)s, the same date for everyone") % {
            "date": formats.date_format(item.due_on, "DATE_FORMAT")
        }
    if item.due_kind == DueKind.SEMESTER:
        words = semester_offset_label(item.due_offset_days, working_days=item.working_days)
        if semester is None:
            return words
        return _("%(when)s (%(semester)s starts on %(date)s)") % {
            "when": words,
            "semester": semester,
            "date": formats.date_format(semester.starts_on, "DATE_FORMAT"),
        }
    return offset_label(item.due_offset_days, working_days=item.working_days)


def target_label(item: ChecklistItem) -> str:
    """Whom a targeted item is for, in words ("" for everyone on the checklist)."""
    parts: list[str] = []
    if item.target_statuses:
        labels = dict(StudentStatus.choices)
        parts.append(", ".join(str(labels[s]) for s in item.target_statuses if s in labels))
    if item.target_region:
        parts.append(str(Region(item.target_region).label))
    if item.target_countries:
        countries: list[Any] = list(item.target_countries)
        parts.append(", ".join(str(country.name) for country in countries))
    if item.target_programme.strip():
        parts.append(
            _("programmes containing “%(words)s”") % {"words": item.target_programme.strip()}
        )
    return "; ".join(parts)


def checklist_page_context(request: HttpRequest, *, checklist: ChecklistPage) -> dict[str, Any]:
    """What a checklist page shows: its items with who is responsible and when they fall due."""
    owner = checklist.get_parent().specific
    # Each item is given its offset in words and the unit that answers for it.
    items: list[Any] = list(
        checklist.items.select_related("area", "responsible_unit", "link_page").order_by(
            "sort_order", "pk"
        )
    )
    for item in items:
        item.offset_label = due_label(item)
        item.target_label = target_label(item)
        item.responsible = item.responsible_unit or owner
    kind_rank = {DueKind.FIXED: 0, DueKind.SEMESTER: 1, DueKind.ARRIVAL: 2}
    items.sort(
        key=lambda item: (
            kind_rank.get(item.due_kind, 2),
            item.due_on or datetime.date.min,
            item.due_offset_days,
            item.sort_order or 0,
        )
    )
    return {
        "owner": owner,
        "checklist_items": items,
        "matrix": matrix_page(),
        "today": plan_today(),
    }
