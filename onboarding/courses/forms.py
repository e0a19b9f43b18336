"""Forms of the courses app: catalogue filters, placement, results, report filters, cancelling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.accounts.models import StudentStatus
from onboarding.bookings.forms import CancelForm

from .levels import COURSE_LEVEL_CHOICES
from .models import CourseFormat, CourseResult, PriorityRule
from .placement import SKILL_QUESTIONS, SKILLS, STATEMENTS
from .selectors import INTERNATIONAL_STATUSES, CourseFilters
from .semesters import Semester


class CourseFilterForm(forms.Form):
    """The catalogue's filters (GET); every field may stay empty."""

    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Every level"))] + COURSE_LEVEL_CHOICES,
    )
    course_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Every format"))] + CourseFormat.choices,
    )
    semester = forms.ChoiceField(label=_("Semester"), required=False)

    def __init__(self, *args, semesters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = [("", _("Every semester"))] + [
            (semester.code, semester.label) for semester in semesters
        ]

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return CourseFilters()
        data = self.cleaned_data
        return CourseFilters(
            level=data.get("level") or "",
            course_format=data.get("course_format") or "",
            semester=Semester.from_code(data.get("semester")),
        )


class PlacementForm(forms.Form):
    """Four groups of "I can ..." statements; tick those that are true."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for skill in SKILLS:
            self.fields[skill.value] = forms.MultipleChoiceField(
                label=SKILL_QUESTIONS[skill],
                required=False,
                choices=list(STATEMENTS[skill].items()),
                widget=forms.CheckboxSelectMultiple,
            )

    def answers(self):
        return {skill.value: self.cleaned_data.get(skill.value) or [] for skill in SKILLS}

    def groups(self):
        """(skill, bound field) for the template, in order."""
        return [(skill, self[skill.value]) for skill in SKILLS]


class ResultForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("No result yet"))] + CourseResult.choices,
    )


class CoverageFilterForm(forms.Form):
    """The coverage report's filters (GET)."""

    faculty = forms.TypedChoiceField(
        label=_("Faculty"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, faculties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["faculty"].choices = (
            [("", _("Every faculty"))]
            + [(faculty.pk, faculty.title) for faculty in faculties]
            + [(0, _("No faculty given"))]
        )
        labels = dict(StudentStatus.choices)
        self.fields["status"].choices = [("", _("Every status"))] + [
            (status.value, labels[status]) for status in INTERNATIONAL_STATUSES
        ]

    def values(self):
        """(faculty id or None, status or "") when valid; (None, "") otherwise."""
        if not self.is_bound or not self.is_valid():
            return None, ""
        return self.cleaned_data.get("faculty"), self.cleaned_data.get("status") or ""


class CourseCancelForm(CancelForm):
    confirm_label = _("Yes, cancel the course and tell everyone with a place or on the waitlist")
    confirm_required = _("Tick the box to confirm that the course is cancelled.")


def _ordinal(number: int) -> str:
    return str(
        {
            1: _("1st choice"),
            2: _("2nd choice"),
            3: _("3rd choice"),
        }.get(number, _("choice %(number)s") % {"number": number})
    )


class RoundRankingForm(forms.Form):
    """A student's ranking of a round's courses: a choice number (or none) per course."""

    def __init__(self, *args, courses=(), application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = list(courses)
        current = list(application.choices) if application is not None else []
        choices = [("", _("Not for me"))] + [
            (str(n), _ordinal(n)) for n in range(1, len(self.courses) + 1)
        ]
        for course in self.courses:
            rank = current.index(course.pk) + 1 if course.pk in current else ""
            field = forms.ChoiceField(
                label=course.title, choices=choices, required=False, initial=str(rank)
            )
            field.course = course
            self.fields[f"rank-{course.pk}"] = field

    def bound_courses(self):
        return [(self[f"rank-{course.pk}"], course) for course in self.courses]

    def clean(self):
        data = super().clean()
        ranks = [data.get(f"rank-{course.pk}") for course in self.courses]
        given = [int(rank) for rank in ranks if rank]
        if not given:
            raise forms.ValidationError(_("Choose at least one course."), code="no_choice")
        if len(given) != len(set(given)):
            raise forms.ValidationError(
                _("Give each course its own choice number."), code="same_rank"
            )
        return data

    def ranked(self) -> list[int]:
        """The course ids, first choice first (gaps in the numbers close up)."""
        pairs = [
            (int(self.cleaned_data[f"rank-{course.pk}"]), course.pk)
            for course in self.courses
            if self.cleaned_data.get(f"rank-{course.pk}")
        ]
        return [course_id for _rank, course_id in sorted(pairs)]


class RoundRulesForm(forms.Form):
    """The round's priority rules, in order; the lot always comes last."""

    first = forms.ChoiceField(label=_("First by"), required=False)
    second = forms.ChoiceField(label=_("Then by"), required=False)

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("No rule"))] + PriorityRule.choices
        current = list(round.priority_rules) if round is not None else []
        for index, name in enumerate(("first", "second")):
            self.fields[name].choices = choices
            self.fields[name].initial = current[index] if index < len(current) else ""

    def rules(self) -> list[str]:
        return [self.cleaned_data[name] for name in ("first", "second") if self.cleaned_data[name]]
