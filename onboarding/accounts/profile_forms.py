"""The student profile form: short, in both languages, usable without JavaScript."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Interest, NorwegianLevel, StudentStatus
from .profile_selectors import unit_tree_for_profile
from .profile_services import TEXT_MAX_LENGTH

DATE_INPUT = {"type": "date"}


def _country_choices():
    return [("", _("Choose a country"))] + [(code, name) for code, name in countries]


class StudentProfileForm(forms.Form):
    status = forms.ChoiceField(
        label=_("I am"),
        choices=StudentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what describes you.")},
    )
    home_country = forms.ChoiceField(
        label=_("Home country"),
        choices=_country_choices,
        required=False,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    home_institution = forms.CharField(
        label=_("Home institution"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        help_text=_("The university you come from, if you are an exchange student."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    faculty = forms.TypedChoiceField(
        label=_("Faculty"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Choose your faculty."),
            "invalid_choice": _("Choose a faculty from the list."),
        },
    )
    department = forms.TypedChoiceField(
        label=_("Department"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Leave empty if you do not know yet."),
        error_messages={"invalid_choice": _("Choose a department from the list.")},
    )
    programme = forms.CharField(
        label=_("Study programme"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        help_text=_("For example: Master's programme in Computer Science."),
    )
    arrival_date = forms.DateField(
        label=_("Arrival date"),
        required=False,
        help_text=_("The day you arrive in Norway; your plan's dates count from it."),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-08-10.")},
    )
    departure_date = forms.DateField(
        label=_("Departure date"),
        required=False,
        help_text=_("When your stay ends, if you know it."),
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-12-20.")},
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Emails and notifications are sent in this language."),
        error_messages={"required": _("Choose one of the languages offered.")},
    )
    norwegian_level = forms.ChoiceField(
        label=_("Your Norwegian"),
        choices=NorwegianLevel.choices,
        initial=NorwegianLevel.NONE,
        help_text=_("Levels of the Common European Framework of Reference (CEFR)."),
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We suggest volunteer groups from these."),
    )
    contact_consent = forms.BooleanField(
        label=_("The units I follow may contact me by email"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        faculties, departments = unit_tree_for_profile()
        self.fields["faculty"].choices = [("", _("Choose a faculty"))] + [
            (faculty.pk, faculty.title) for faculty in faculties
        ]
        self.fields["department"].choices = [("", _("Not known yet"))] + [
            (faculty.title, [(unit.pk, unit.title) for unit in departments[faculty.pk]])
            for faculty in faculties
            if departments[faculty.pk]
        ]

    def clean(self):
        cleaned = super().clean()
        arrival, departure = cleaned.get("arrival_date"), cleaned.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error(
                "departure_date", _("The departure date must be on or after the arrival date.")
            )
        return cleaned
