"""Wagtail's privacy setting for pages, guarded like unpublishing: a page people hold places
at is not made private (password, login or groups) until it is cancelled, which tells them."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.models import PageViewRestriction

from .admin_guard import hidden_from_people, hiding_refusal


class GuardedSetPrivacyView(SetPrivacyView):
    """Wagtail's privacy dialog, refusing a restriction that would hide places people hold.

    A restriction on a page applies to every page under it, so one on a unit
    would hide all its events. Removing a restriction is always allowed.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        if form.cleaned_data["restriction_type"] != PageViewRestriction.NONE:
            blocked = hidden_from_people(self.page)
            if blocked is not None:
                form.add_error("restriction_type", hiding_refusal(*blocked))
                return self.form_invalid(form)
        return super().form_valid(form)
