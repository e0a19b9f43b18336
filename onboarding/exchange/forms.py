"""Forms of the exchange app: the finder's filters, the report form, the admin's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.forms import WagtailAdminModelForm

from onboarding.units.models import UnitPage

from .isced import isced_broad, isced_detailed
from .models import (
    CefrLevel,
    MobilityFormat,
    Programme,
    ReportLanguage,
    Season,
    StudyLevel,
    TeachingLanguage,
)
from .permissions import is_exchange_staff, owned_by_user_q
from .rules import OWNER_KINDS

ANY = [("", _("Any"))]


def subject_choices(language: str) -> list[tuple[Any, Any]]:
    """The ISCED-F fields by broad field, named in ``language``: the whole broad field first
    (its two digits), then its detailed fields (four digits)."""
    name = "name_nb" if language == "nb" else "name_en"
    broad = isced_broad()
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in isced_detailed():
        if entry.broad not in broad:
            continue
        if entry.broad not in groups:
            whole = _("%(field)s: all fields") % {"field": getattr(broad[entry.broad], name)}
            groups[entry.broad] = [(entry.broad, whole)]
        groups[entry.broad].append((entry.code, f"{entry.code} {getattr(entry, name)}"))
    return [*ANY, *((getattr(broad[code], name), options) for code, options in groups.items())]


class FinderForm(forms.Form):
    """The finder's filters; every field is optional and works as a plain GET form."""

    q = forms.CharField(
        label=_("Search partners, cities and reports"), required=False, max_length=100
    )
    programme = forms.ModelChoiceField(
        label=_("My study programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("None chosen"),
    )
    fits_window = forms.BooleanField(label=_("Fits my programme's exchange window"), required=False)
    placement_ok = forms.BooleanField(
        label=_("Compatible with my mandatory placement"), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(
        label=_("Language of teaching"), required=False, choices=ANY + TeachingLanguage.choices
    )
    cefr = forms.ChoiceField(
        label=_("My level in that language (CEFR)"),
        required=False,
        choices=ANY + CefrLevel.choices,
    )
    subject = forms.ChoiceField(label=_("Subject area (ISCED-F)"), required=False)
    level = forms.ChoiceField(
        label=_("Study level"), required=False, choices=ANY + StudyLevel.choices
    )
    season = forms.ChoiceField(label=_("Semester"), required=False, choices=ANY + Season.choices)
    mobility_format = forms.ChoiceField(
        label=_("Format"), required=False, choices=ANY + MobilityFormat.choices
    )
    grant = forms.BooleanField(label=_("With a grant"), required=False)
    package = forms.BooleanField(label=_("Package solution"), required=False)

    def __init__(self, *args: Any, country_codes: list[str], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name", "code")
        names = dict(countries)
        self.fields["country"].choices = ANY + sorted(
            ((code, names.get(code, code)) for code in country_codes), key=lambda c: str(c[1])
        )
        self.fields["subject"].choices = subject_choices(language)


class ReportForm(forms.Form):
    """A returned student's experience report."""

    agreement = forms.ChoiceField(label=_("Agreement you travelled on"))
    language = forms.ChoiceField(
        label=_("Language you write in"),
        choices=ReportLanguage.choices,
        help_text=_("The report is shown marked with this language."),
    )
    year = forms.IntegerField(label=_("Year of the stay"), min_value=2000)
    season = forms.ChoiceField(label=_("Semester of the stay"), choices=Season.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(
        label=_("Your experience"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Teaching, housing, costs, what you wish you had known. No personal data about others."
        ),
    )
    rating_academic = forms.TypedChoiceField(
        label=_("Teaching and courses"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    rating_housing = forms.TypedChoiceField(
        label=_("Housing"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    rating_support = forms.TypedChoiceField(
        label=_("Support from the partner"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    rating_social = forms.TypedChoiceField(
        label=_("Social life"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, agreements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = agreements
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("decline", _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the author"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (or a JSON export)"),
        help_text=_("UTF-8, comma-separated, with the header row of the documented layout."),
    )
    import_valid = forms.BooleanField(
        label=_("Import the valid rows even if some rows fail"), required=False
    )


class AgreementAdminForm(WagtailAdminModelForm):
    """The admin's agreement form: a unit editor chooses among the units they edit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = UnitPage.objects.filter(kind__in=OWNER_KINDS).order_by("path")
        user = getattr(self, "for_user", None)
        if user is not None and not is_exchange_staff(user):
            units = units.filter(owned_by_user_q(user, prefix=""))
        if "owner_unit" in self.fields:
            self.fields["owner_unit"].queryset = units
        if "subject_areas" in self.fields:
            self.fields["subject_areas"].required = True
