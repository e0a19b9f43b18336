"""Forms of requests to come home early: the student's request with its plan-B courses, their
answer, and the faculty's message and decision.

The forms only parse what a person sent; the rules live in ``services.returns``, whose
refusals the views show on the form they came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AgreementOutcome, Crisis, PlanBCourse, ProgrammeCourse, ReturnReason
from ..services.returns import MAX_COURSES, MAX_TEXT, PlanBInput

# Empty rows a request form shows for courses typed by hand.
EMPTY_ROWS = 2
BIGGEST_ID = 2**62


class ReturnRequestForm(forms.Form):
    """The reason, the crisis (when the student has an open one), an explanation, the day they
    come home, and courses of their programme to add to plan B."""

    reason = forms.ChoiceField(
        label=_("Why do you want to come home early?"),
        choices=ReturnReason.choices,
        widget=forms.RadioSelect,
    )
    crisis = forms.TypedChoiceField(
        label=_("The crisis"), coerce=int, required=False, empty_value=None
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        help_text=_(
            "What the faculty should know to decide. Needed when the reason is “Other”. Only "
            "the people who decide your request read it."
        ),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    return_on = forms.DateField(
        label=_("The day you come home"),
        help_text=_("A day within your stay, before its last day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    catalogue = forms.TypedMultipleChoiceField(
        label=_("Add courses of your study programme"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        crises: Sequence[Crisis],
        catalogue: Sequence[ProgrammeCourse],
        language: str,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.crises = {crisis.pk: crisis for crisis in crises}
        self.courses = {course.pk: course for course in catalogue}
        if crises:
            cast(forms.ChoiceField, self.fields["crisis"]).choices = [
                ("", _("Choose the crisis"))
            ] + [
                (crisis.pk, getattr(crisis, f"title_{language}", "") or crisis.title)
                for crisis in crises
            ]
            if len(crises) == 1 and not self.is_bound:
                self.initial.setdefault("crisis", crises[0].pk)
        else:
            del self.fields["crisis"]
        if catalogue:
            cast(forms.ChoiceField, self.fields["catalogue"]).choices = [
                (course.pk, course_label(course, language)) for course in catalogue
            ]
        else:
            del self.fields["catalogue"]

    def clean_crisis(self) -> Crisis | None:
        chosen = self.cleaned_data.get("crisis")
        return self.crises.get(chosen) if chosen is not None else None

    def picked(self) -> list[ProgrammeCourse]:
        """The programme's courses the student ticked, in the catalogue's order."""
        chosen = set(self.cleaned_data.get("catalogue") or ())
        return [course for pk, course in self.courses.items() if pk in chosen]


def course_label(course: ProgrammeCourse, language: str) -> str:
    title = getattr(course, f"title_{language}", "") or course.title
    return str(
        _("%(code)s %(title)s, %(ects)s ECTS (semester %(semester)s)")
        % {"code": course.code, "title": title, "ects": course.ects, "semester": course.semester}
    )


class PlanBRowForm(forms.Form):
    """One plan-B course: kept from the stay (untick to remove it) or typed; an empty row is
    left out."""

    keep = forms.BooleanField(label=_("Keep this course"), required=False)
    code = forms.CharField(label=_("Course code"), required=False, max_length=40)
    title = forms.CharField(label=_("Title"), required=False, max_length=255)
    ects = forms.DecimalField(
        label=_("ECTS credits"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
    )
    course = forms.IntegerField(
        required=False, min_value=1, max_value=BIGGEST_ID, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get("code"), data.get("title"), data.get("ects")]
        if self.kept(data) and any(value not in (None, "") for value in given):
            missing = [value for value in given if value in (None, "")]
            if missing:
                raise forms.ValidationError(
                    _("Give the course's code, title and ECTS credits, or leave the row empty.")
                )
        return data

    def kept(self, data: dict[str, Any]) -> bool:
        """A row from the stay counts while it is ticked; a typed row counts when filled in."""
        return bool(data.get("keep")) or not self.initial

    def row(self) -> PlanBInput | None:
        """The course this row gives, or None (removed, or left empty)."""
        data = self.cleaned_data
        if not self.kept(data) or not (data.get("code") or data.get("title")):
            return None
        return PlanBInput(
            code=data["code"], title=data["title"], ects=data["ects"], course_id=data.get("course")
        )


PlanBFormSet = forms.formset_factory(
    PlanBRowForm,
    extra=EMPTY_ROWS,
    max_num=MAX_COURSES,
    absolute_max=MAX_COURSES + EMPTY_ROWS,
    validate_max=True,
)


def plan_b_initial(courses: Sequence[PlanBCourse]) -> list[dict[str, Any]]:
    """The rows of the stay's plan-B courses, each ticked to keep."""
    return [
        {
            "keep": True,
            "code": course.code,
            "title": course.title,
            "ects": course.ects,
            "course": course.course_id,
        }
        for course in courses
    ]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    """The faculty's question to the student or comment: which one is the button pressed."""

    ACTIONS = ("ask", "comment")

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    text = forms.CharField(
        label=_("Message"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approved", _("Approve")), ("refused", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("The learning agreement (needed to approve)"),
        choices=AgreementOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the student (needed to refuse)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
