"""Forms of the buddy programme: volunteering, asking for a buddy, a new round, pins and forbids.

They only clean input; the rules live in ``services`` and a refusal comes
back as a form error. Checkboxes and radio buttons, no script.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.accounts.models import Interest
from onboarding.dates import BoundedDateField

from .languages import language_choices
from .models import MAX_CAPACITY, ArrivingStatus, RuleKind
from .selectors import faculties
from .services import ProfileAnswers

DATE_INPUT = {"type": "date"}


def _faculty_choices():
    return [("", _("Choose a faculty"))] + [(unit.pk, unit.title) for unit in faculties()]


class _ProfileForm(forms.Form):
    faculty = forms.TypedChoiceField(
        label=_("Faculty"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a faculty from the list.")},
    )
    programme = forms.CharField(
        label=_("Study programme"),
        max_length=200,
        required=False,
        help_text=_("For example: Bachelor's programme in Biology."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language you speak.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("Shared only with the person you are matched with, once the match is made."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    about = forms.CharField(
        label=_("A few words about you"),
        max_length=600,
        required=False,
        help_text=_("Shared only with the person you are matched with."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["faculty"].choices = _faculty_choices()
        self.fields["languages"].choices = language_choices()
        self.faculties = {unit.pk: unit for unit in faculties()}

    def answers(self) -> ProfileAnswers:
        data = self.cleaned_data
        return ProfileAnswers(
            languages=tuple(data["languages"]),
            available_on=data["available_on"],
            faculty=self.faculties.get(data["faculty"]) if data["faculty"] else None,
            programme=data["programme"],
            interests=tuple(data["interests"]),
            capacity=data.get("capacity") or 1,
            student_status=data.get("student_status") or "",
            wants_same_faculty=bool(data.get("wants_same_faculty")),
            wants_language=data.get("wants_language") or "",
            phone=data["phone"],
            about=data["about"],
        )


class BuddyVolunteerForm(_ProfileForm):
    capacity = forms.TypedChoiceField(
        label=_("How many students can you take?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, MAX_CAPACITY + 1)],
        initial=1,
        help_text=_("Most buddies take one to three. You will not get more than you say."),
    )
    available_on = BoundedDateField(
        label=_("Available from"),
        help_text=_("The first day you can meet your students."),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={
            "required": _("Say from when you are available."),
            "invalid": _("Enter a date such as 2026-08-10."),
        },
    )
    field_order = [
        "faculty",
        "programme",
        "languages",
        "interests",
        "capacity",
        "available_on",
        "phone",
        "about",
    ]


class BuddyRequestForm(_ProfileForm):
    student_status = forms.ChoiceField(
        label=_("I am"),
        choices=ArrivingStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say what kind of student you are.")},
    )
    available_on = BoundedDateField(
        label=_("Arrival date"),
        help_text=_("The day you arrive; we look for a buddy who is here by then."),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give your arrival date."),
            "invalid": _("Enter a date such as 2026-08-10."),
        },
    )
    wants_same_faculty = forms.BooleanField(
        label=_("I would like a buddy from my faculty"), required=False
    )
    wants_language = forms.ChoiceField(
        label=_("I would like a buddy who speaks"),
        required=False,
        help_text=_("A wish, not a promise: we try."),
    )
    field_order = [
        "student_status",
        "faculty",
        "programme",
        "available_on",
        "languages",
        "interests",
        "wants_same_faculty",
        "wants_language",
        "phone",
        "about",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wants_language"].choices = [("", _("No wish"))] + language_choices()


class RoundForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Volunteer group"), coerce=int)
    name_nb = forms.CharField(label=_("Name in Norwegian"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    semester_starts_on = BoundedDateField(
        label=_("First day of the semester"),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-08-10.")},
    )
    closes_on = BoundedDateField(
        label=_("Sign-up closes"),
        help_text=_("People can give and change their answers until the end of this day."),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-08-10.")},
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = [(unit.pk, unit.title) for unit in units]


class RuleForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    buddy = forms.TypedChoiceField(label=_("Buddy"), coerce=int)
    kind = forms.ChoiceField(label=_("Rule"), choices=RuleKind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, students=(), buddies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(p.pk, p.user.display_name) for p in students]
        self.fields["buddy"].choices = [(p.pk, p.user.display_name) for p in buddies]
