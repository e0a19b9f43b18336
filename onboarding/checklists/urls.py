"""The arrival plan and ticking items off, inside the language prefix."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

urlpatterns = [
    path("", views.arrival_plan, name="arrival_plan"),
    path(_("items/<id:item_id>/done/"), views.item_tick, name="arrival_plan_tick"),
    path(_("items/<id:item_id>/not-done/"), views.item_untick, name="arrival_plan_untick"),
    path(_("items/<id:item_id>/document/"), views.item_upload, name="arrival_plan_upload"),
    path(_("documents/<id:submission_id>/"), views.document_download, name="checklist_document"),
]
