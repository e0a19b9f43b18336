"""The unit's status panel in the page editor: freshness, the confirm button, followers."""

from wagtail.admin.panels import Panel


class UnitStatusPanel(Panel):
    """Shows when the unit last confirmed its page, a one-click confirm button and its follower count.

    Only people who can edit the page see the editor, so the follower count
    (a number, never names) reaches the unit's editors and the International
    Section only.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "units/admin/unit_status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from .selectors import unit_follower_count

            context = super().get_context_data(parent_context)
            unit = self.instance
            context.update(
                {
                    "unit": unit,
                    "follower_count": unit_follower_count(unit=unit),
                    "confirm_url": reverse("units_admin:confirm", args=[unit.pk]),
                }
            )
            return context
