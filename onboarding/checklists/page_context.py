"""What a checklist page shows besides its own fields: read-only assembly for ``get_context``.

The page model calls these builders; views may call them too. They read
through the selectors and never write.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ChecklistPage
from .selectors import matrix_page, plan_today


def offset_label(days: int) -> str:
    """When an item falls due, relative to arrival, in words."""
    if days == 0:
        return _("On the day you arrive")
    if days < 0:
        return ngettext(
            "%(count)s day before you arrive", "%(count)s days before you arrive", -days
        ) % {"count": -days}
    return ngettext("%(count)s day after you arrive", "%(count)s days after you arrive", days) % {
        "count": days
    }


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
        item.offset_label = offset_label(item.due_offset_days)
        item.responsible = item.responsible_unit or owner
    items.sort(key=lambda item: (item.due_offset_days, item.sort_order or 0))
    return {
        "owner": owner,
        "checklist_items": items,
        "matrix": matrix_page(),
        "today": plan_today(),
    }
