"""Forms of the staff overview of students abroad: its filters, and the reason for a CSV."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.units.models import UnitPage

from ..selectors.overview import NO_FACULTY


class OverviewFilterForm(forms.Form):
    """Which stays abroad now to list: a country, a faculty (empty: all)."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    faculty = forms.TypedChoiceField(
        label=_("Faculty"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        countries: Sequence[tuple[str, str]],
        faculties: Sequence[UnitPage],
        no_faculty: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("Every country")),
            *countries,
        ]
        choices: list[tuple[Any, Any]] = [("", _("Every faculty"))]
        choices += [(faculty.pk, faculty.title) for faculty in faculties]
        if no_faculty:
            choices.append((NO_FACULTY, _("No faculty (no study programme given)")))
        cast(forms.ChoiceField, self.fields["faculty"]).choices = choices

    def values(self) -> tuple[str, int | None]:
        """The country and faculty chosen; nothing when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return "", None
        return self.cleaned_data["country"] or "", self.cleaned_data["faculty"]

    def query(self) -> str:
        """The chosen filters as a query string (empty when none)."""
        country, faculty = self.values()
        pairs = [("country", country)] if country else []
        if faculty is not None:
            pairs.append(("faculty", str(faculty)))
        return urlencode(pairs)


class ExportForm(forms.Form):
    """Why the stays abroad are downloaded: for crisis use only, and recorded."""

    reason = forms.CharField(
        label=_("Reason for the download"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For crisis use only. The download is recorded with your name, the time and this "
            "reason."
        ),
        error_messages={"required": _("Say why you download the list: it is for crisis use only.")},
    )
    query = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).replace("\x00", "").strip()
        if not reason:
            raise forms.ValidationError(
                _("Say why you download the list: it is for crisis use only.")
            )
        return reason
