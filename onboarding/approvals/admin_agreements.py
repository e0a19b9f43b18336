"""Admin wiring of recognition: the grade conversion tables staff keep.

A table belongs to a partner institution or, for all partners of a country
without one of their own, to a country; each row converts one of their
grades to one of ours. Staff of the International Section hold the model
permissions (the ``INTERNATIONAL_STAFF_PERMISSIONS`` hook in
``wagtail_hooks.py``); nobody else sees the menu item or the views.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GradeScale


class GradeScaleViewSet(SnippetViewSet):
    model = GradeScale
    icon = "table"
    menu_label = _("Grade conversion tables")
    menu_name = "approvals-grade-scales"
    add_to_admin_menu = True
    menu_order = 265
    list_display = ["__str__", "country", "updated_at"]
    list_filter = ["country"]
    ordering = ["institution__name", "country"]


register_snippet(GradeScaleViewSet)
