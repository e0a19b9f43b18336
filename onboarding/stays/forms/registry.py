"""Forms of the stay registry: a stay, its plan-B courses, the quick phone and address change.

The forms only parse what a student sent; the rules live in
``services.registry``, whose refusals the views show on the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from onboarding.exchange.models import Agreement, MobilityFormat

from ..models import ProgrammeCourse
from ..services.registry import MAX_PLAN_B, PlanBInput

# Empty plan-B rows a new stay shows, and a stay being changed shows below its courses.
PLAN_B_ROWS_NEW = 3
PLAN_B_ROWS_MORE = 2


def _text_input(*, autocomplete: str = "", input_type: str = "text", **attrs: str) -> Any:
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return widget


def agreement_label(agreement: Agreement) -> str:
    """The partner, its city, the unit that keeps the agreement and, for a stay that is not a
    semester or year, its format."""
    institution = agreement.institution
    label = f"{institution.name} ({institution.city}) · {agreement.owner_unit.title}"
    if agreement.mobility_format != MobilityFormat.SEMESTER:
        label += f" · {agreement.get_mobility_format_display()}"
    return label


def agreement_choices(agreements: Sequence[Agreement]) -> list[Any]:
    """The agreements grouped by the partner's country, in the reader's language."""
    names = dict(countries)
    groups: dict[str, list[tuple[int, str]]] = {}
    for agreement in agreements:
        country = names.get(str(agreement.institution.country), str(agreement.institution.country))
        groups.setdefault(country, []).append((agreement.pk, agreement_label(agreement)))
    choices: list[Any] = [("", _("None: my stay is outside the agreements"))]
    choices += [(country, groups[country]) for country in sorted(groups)]
    return choices


class StayForm(forms.Form):
    """Where and when, how to reach the student, whom to call at home, and their consent."""

    agreement = forms.TypedChoiceField(
        label=_("Exchange agreement"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The partner institution you go to on one of our agreements."),
    )
    host_name = forms.CharField(
        label=_("Host outside the agreements"),
        required=False,
        max_length=255,
        help_text=_(
            "Only if your stay is not on an agreement: the university, company or organisation."
        ),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=100,
        widget=_text_input(autocomplete="address-level2"),
        help_text=_("Leave it empty to use the partner institution's city."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Leave it empty to use the partner institution's country."),
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the first day of your stay.")},
    )
    ends_on = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the last day of your stay.")},
    )
    local_address = forms.CharField(
        label=_("Your address abroad"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    local_phone = forms.CharField(
        label=_("Your phone number abroad"),
        required=False,
        max_length=40,
        widget=_text_input(autocomplete="tel", input_type="tel"),
        help_text=_("With the country code, like +34 612 345 678."),
    )
    emergency_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Give the name of your emergency contact at home.")},
    )
    emergency_relation = forms.CharField(
        label=_("Relation to you"),
        required=False,
        max_length=100,
        help_text=_("For example mother, partner or friend."),
    )
    emergency_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        widget=_text_input(input_type="tel"),
        error_messages={"required": _("Give the phone number of your emergency contact at home.")},
    )
    emergency_email = forms.EmailField(label=_("Email (optional)"), required=False, max_length=254)
    second_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    second_phone = forms.CharField(
        label=_("Phone"), required=False, max_length=40, widget=_text_input(input_type="tel")
    )
    second_email = forms.EmailField(label=_("Email (optional)"), required=False, max_length=254)
    consent = forms.BooleanField(
        label=_("I agree that the university keeps these details as described above."),
        error_messages={
            "required": _("Tick the box to agree that we keep these details as described.")
        },
    )

    # The fields of each part of the form, in order (the template shows them in fieldsets).
    HOST_FIELDS = ("agreement", "host_name", "city", "country", "starts_on", "ends_on")
    ABROAD_FIELDS = ("local_phone", "local_address")
    EMERGENCY_FIELDS = (
        "emergency_name",
        "emergency_relation",
        "emergency_phone",
        "emergency_email",
    )
    SECOND_FIELDS = ("second_name", "second_phone", "second_email")

    def __init__(self, *args: Any, agreements: Sequence[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreements = {agreement.pk: agreement for agreement in agreements}
        cast(forms.ChoiceField, self.fields["agreement"]).choices = agreement_choices(agreements)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *countries]

    def clean_agreement(self) -> Agreement | None:
        chosen = self.cleaned_data.get("agreement")
        return self.agreements.get(chosen) if chosen is not None else None

    def part(self, names: Sequence[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def host_fields(self) -> list[forms.BoundField]:
        return self.part(self.HOST_FIELDS)

    def abroad_fields(self) -> list[forms.BoundField]:
        return self.part(self.ABROAD_FIELDS)

    def emergency_fields(self) -> list[forms.BoundField]:
        return self.part(self.EMERGENCY_FIELDS)

    def second_fields(self) -> list[forms.BoundField]:
        return self.part(self.SECOND_FIELDS)


def course_label(course: ProgrammeCourse) -> str:
    return f"{course.code} {course.title} ({course.ects} ECTS)"


class PlanBForm(forms.Form):
    """One plan-B course: chosen from the programme's courses, or typed in; an empty row is
    left out."""

    course = forms.TypedChoiceField(
        label=_("From your programme"), coerce=int, required=False, empty_value=None
    )
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

    def __init__(
        self,
        *args: Any,
        courses: dict[int, ProgrammeCourse] | None = None,
        shown: Sequence[ProgrammeCourse] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.courses = courses or {}
        offered = list(shown)
        # A course already chosen (or sent) stays among the choices, whatever its semester.
        wanted = self.data.get(self.add_prefix("course")) if self.is_bound else None
        wanted = wanted if wanted is not None else self.initial.get("course")
        text = str(wanted or "")
        chosen = self.courses.get(int(text)) if text.isdigit() and len(text) < 19 else None
        if chosen is not None and chosen not in offered:
            offered.append(chosen)
        cast(forms.ChoiceField, self.fields["course"]).choices = [
            ("", _("None: I type the course below")),
            *((course.pk, course_label(course)) for course in offered),
        ]

    def clean_course(self) -> ProgrammeCourse | None:
        chosen = self.cleaned_data.get("course")
        return self.courses.get(chosen) if chosen is not None else None

    def row(self) -> PlanBInput | None:
        data = self.cleaned_data
        if data.get("course") is not None:
            return PlanBInput(course=data["course"])
        if not (data.get("code") or data.get("title") or data.get("ects") is not None):
            return None
        return PlanBInput(
            code=data.get("code", ""), title=data.get("title", ""), ects=data.get("ects")
        )


PlanBFormSet = forms.formset_factory(
    PlanBForm, extra=0, max_num=MAX_PLAN_B, absolute_max=MAX_PLAN_B, validate_max=True
)


class ContactForm(forms.Form):
    """The quick change from a phone: the phone number and address abroad."""

    local_phone = forms.CharField(
        label=_("Your phone number abroad"),
        required=False,
        max_length=40,
        widget=_text_input(autocomplete="tel", input_type="tel"),
        help_text=_("With the country code, like +34 612 345 678."),
    )
    local_address = forms.CharField(
        label=_("Your address abroad"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
