"""Forms of the learning agreement and of recognition: they parse; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import CefrLevel, TeachingLanguage

NONE_CHOSEN: list[tuple[str, Any]] = [("", _("Not given yet"))]


class AgreementDetailsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of instruction"),
        required=False,
        choices=NONE_CHOSEN + TeachingLanguage.choices,
    )
    cefr = forms.ChoiceField(
        label=_("Your level in it (CEFR)"),
        required=False,
        choices=NONE_CHOSEN + CefrLevel.choices,
        help_text=_("The level you have, or will have when the stay starts."),
    )


class ChangeCreateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you change the agreement?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: a course is cancelled, its teaching language changed, or two "
            "courses clash in the timetable."
        ),
    )


class TranscriptLineForm(forms.Form):
    code = forms.CharField(label=_("Course code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    grade = forms.CharField(
        label=_("Grade"),
        max_length=20,
        help_text=_("As on the transcript, for example 1,7 or B or passed."),
    )
    ects = forms.DecimalField(
        label=_("ECTS credits"),
        min_value=Decimal("0.5"),
        max_value=120,
        max_digits=4,
        decimal_places=1,
    )


class RecognitionDecideForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the student (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
