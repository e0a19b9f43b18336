"""Forms of the case pages: a new case, a line's courses, a decision, a message on a case.

The forms only parse what a person sent; the rules live in ``services.cases``,
whose refusals the views show on the form they came from.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import Agreement, IscedField, Season, StudyLevel

from ..models import HomeKind, LineDecision
from ..services.cases import MAX_COURSES, MAX_TEXT

# How many empty rows of each side a new line shows (more rows: save and edit the line).
FOREIGN_ROWS = 3
HOME_ROWS = 2
YEARS_AHEAD = 3


class CaseNewForm(forms.Form):
    """The destination (one of the agreements open to the student's programme) and semester."""

    agreement = forms.TypedChoiceField(label=_("Destination"), coerce=int)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    season = forms.ChoiceField(label=_("Semester"), choices=Season.choices)
    note = forms.CharField(
        label=_("Note to the adviser (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        agreements: Sequence[Agreement],
        today: datetime.date | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.agreements = {agreement.pk: agreement for agreement in agreements}
        self.fields["agreement"].choices = [
            (
                agreement.pk,
                f"{agreement.institution.name} ({agreement.institution.city}), "
                f"{agreement.owner_unit.title}: {agreement.reference}",
            )
            for agreement in agreements
        ]
        year = (today or timezone.localdate()).year
        self.fields["year"].choices = [(y, str(y)) for y in range(year, year + YEARS_AHEAD + 1)]

    def clean_agreement(self) -> Agreement:
        return self.agreements[self.cleaned_data["agreement"]]


class ForeignCourseForm(forms.Form):
    """One course abroad; an empty row is left out."""

    code = forms.CharField(label=_("Course code"), required=False, max_length=40)
    title = forms.CharField(label=_("Title (original language)"), required=False, max_length=255)
    ects = forms.DecimalField(
        label=_("ECTS credits"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("120"),
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=StudyLevel.choices, initial=StudyLevel.BACHELOR
    )
    url = forms.URLField(label=_("Course web page (optional)"), required=False, max_length=200)

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data.get("code") or data.get("title") or data.get("ects") is not None):
            return None
        return {
            "code": data.get("code", ""),
            "title": data.get("title", ""),
            "ects": data.get("ects"),
            "level": data.get("level") or StudyLevel.BACHELOR,
            "url": data.get("url", ""),
        }


def isced_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (field.code, f"{field.code} {field.name}") for field in IscedField.objects.order_by("code")
    ]


class HomeCourseForm(forms.Form):
    """What the courses abroad count as: one of our courses, or an elective; an empty row is left out."""

    kind = forms.ChoiceField(
        label=_("Counts as"), choices=HomeKind.choices, initial=HomeKind.COURSE
    )
    code = forms.CharField(label=_("Our course code"), required=False, max_length=40)
    title = forms.CharField(label=_("Title of our course"), required=False, max_length=255)
    ects = forms.DecimalField(
        label=_("ECTS credits"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("120"),
    )
    elective_level = forms.ChoiceField(
        label=_("Elective level"), required=False, choices=[("", "—"), *StudyLevel.choices]
    )
    elective_field = forms.ChoiceField(label=_("Elective subject area"), required=False)

    def __init__(self, *args: Any, fields: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["elective_field"].choices = fields if fields is not None else isced_choices()

    def row(self, *, language: str) -> dict[str, Any] | None:
        data = self.cleaned_data
        kind = data.get("kind") or HomeKind.COURSE
        if kind == HomeKind.COURSE and not (
            data.get("code") or data.get("title") or data.get("ects") is not None
        ):
            return None
        if kind == HomeKind.ELECTIVE and not (
            data.get("elective_level") or data.get("elective_field") or data.get("ects") is not None
        ):
            return None
        title = data.get("title", "")
        field_code = data.get("elective_field") or ""
        return {
            "kind": kind,
            "code": data.get("code", ""),
            "title_nb": title if language == "nb" else "",
            "title_en": title if language != "nb" else "",
            "ects": data.get("ects"),
            "elective_level": data.get("elective_level", ""),
            "elective_field": IscedField.objects.filter(code=field_code).first()
            if field_code
            else None,
        }


ForeignCourseFormSet = forms.formset_factory(
    ForeignCourseForm, extra=0, max_num=MAX_COURSES, absolute_max=MAX_COURSES, validate_max=True
)
HomeCourseFormSet = forms.formset_factory(
    HomeCourseForm, extra=0, max_num=MAX_COURSES, absolute_max=MAX_COURSES, validate_max=True
)


class LineCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Why these courses fit (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (value, label) for value, label in LineDecision.choices if value != LineDecision.PENDING
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (needed unless approved)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    """A question, answer, comment or host-institution step: which one is the button pressed."""

    ACTIONS = ("ask", "answer", "comment", "host_wait", "host_answered")

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    text = forms.CharField(
        label=_("Message"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    line = forms.IntegerField(required=False, min_value=1, max_value=2**62)
