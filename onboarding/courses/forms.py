"""Forms of the courses app: catalogue filters, placement, results, report filters, cancelling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.accounts.models import StudentStatus
from onboarding.bookings.forms import CancelForm

from .levels import COURSE_LEVEL_CHOICES
from .models import CourseFormat, CourseResult
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
