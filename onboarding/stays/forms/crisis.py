"""Forms of crises: declaring one (with its areas), and a student's answer to a safety check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..models import CheckAnswer, Severity
from ..selectors.crisis import duty_officer_choices
from ..services.crisis import (
    ACKNOWLEDGE_MINUTES,
    MAX_ANSWER_MESSAGE,
    MAX_CITY,
    MAX_MESSAGE,
    MAX_TITLE,
    REMINDER_HOURS,
    AreaInput,
)

# The rows of areas the declaring form offers (blank rows are left out).
AREA_ROWS = 5


class DutyOfficerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.display_name
        return name if name == obj.email else f"{name} ({obj.email})"


class DeclareForm(forms.Form):
    """A crisis's texts in both languages, severity, duty officer and its clocks."""

    title_nb = forms.CharField(label=_("Title (Norwegian)"), max_length=MAX_TITLE)
    title_en = forms.CharField(label=_("Title (English)"), max_length=MAX_TITLE)
    message_nb = forms.CharField(
        label=_("Message to the students (Norwegian)"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    message_en = forms.CharField(
        label=_("Message to the students (English)"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.SERIOUS
    )
    duty_officer = DutyOfficerField(
        label=_("Duty officer"),
        queryset=duty_officer_choices(),
        help_text=_("Receives every “I need help” answer and must acknowledge it."),
    )
    reminder_hours = forms.IntegerField(
        label=_("Remind those who have not answered every (hours)"),
        min_value=REMINDER_HOURS[0],
        max_value=REMINDER_HOURS[1],
        initial=6,
    )
    acknowledge_minutes = forms.IntegerField(
        label=_("Acknowledge a call for help within (minutes)"),
        min_value=ACKNOWLEDGE_MINUTES[0],
        max_value=ACKNOWLEDGE_MINUTES[1],
        initial=60,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is made, not when the module is imported.
        self.fields["duty_officer"].queryset = duty_officer_choices()  # type: ignore[attr-defined]


class AreaForm(forms.Form):
    """One affected area: a country, and a city in it (empty: the whole country)."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    city = forms.CharField(
        label=_("City (empty: the whole country)"), max_length=MAX_CITY, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *countries]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("city") and not data.get("country"):
            self.add_error("country", _("Choose the country the city is in."))
        return data

    def area(self) -> AreaInput | None:
        """The area of a filled-in row, or None for a blank one."""
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("country"):
            return None
        return AreaInput(country=data["country"], city=data.get("city") or "")


AreaFormSet = forms.formset_factory(
    AreaForm, extra=AREA_ROWS, max_num=AREA_ROWS, absolute_max=AREA_ROWS
)


def areas_of(formset: Any) -> list[AreaInput]:
    """The filled-in areas of a valid formset of areas."""
    return [area for form in formset.forms if (area := form.area()) is not None]


class AnswerForm(forms.Form):
    """A student's answer: "I am safe" or "I need help", and an optional message."""

    answer = forms.ChoiceField(
        label=_("Are you safe?"),
        choices=[
            (CheckAnswer.SAFE.value, CheckAnswer.SAFE.label),
            (CheckAnswer.HELP.value, CheckAnswer.HELP.label),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        help_text=_(
            "Where you are, what you need, or anything we should know. The International "
            "Section's staff and the duty officer read it."
        ),
        max_length=MAX_ANSWER_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
