"""Forms of earlier decisions: the public search, the admin's decision form, the import upload."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from onboarding.exchange.isced import isced_broad, isced_detailed
from onboarding.exchange.models import Institution
from onboarding.http import parse_id
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from ..errors import ApprovalError
from ..models import HomeKind, default_valid_until
from ..permissions import edited_paths, is_approvals_staff
from ..services.precedents import precedent_check

ANY = [("", _("Any"))]
# What an address may say to leave a box unticked (include_expired=0).
OFF = {"", "0", "false", "no", "off"}
# The units that decide on courses abroad.
DECIDING_KINDS = (UnitKind.INTERNATIONAL_SECTION, UnitKind.FACULTY, UnitKind.DEPARTMENT)
# An import's progress is read back under this key, made by the page that sent the file.
JOB_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def subject_choices(language: str) -> list[tuple[Any, Any]]:
    """The ISCED-F fields by broad field, named in ``language``: the whole broad field first
    (its two digits, found by prefix), then its detailed fields (four digits)."""
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


class QuickSelect(forms.Select):
    """A select rendered in Python: the search page's lists of partners and subject areas run to
    hundreds of options, and Django renders each option through a template of its own."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}

        def options(choices: Any) -> SafeString:
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (key, mark_safe(" selected") if str(key) in selected else "", label)  # noqa: S308
                    for key, label in choices
                ),
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', key, options(label)))
            else:
                parts.append(options([(key, label)]))
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            mark_safe("".join(parts)),  # noqa: S308
        )


class PrecedentSearchForm(forms.Form):
    """The search of earlier decisions: every field optional, a plain GET form.

    "Include expired decisions" is on unless the form itself was sent with it off:
    the page's form sends ``searched=1``, a link with only a partner does not.
    """

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_(
            "Course codes, course titles, the partner or the city, in Norwegian or English."
        ),
    )
    institution = forms.ChoiceField(
        label=_("Partner institution"), required=False, widget=QuickSelect
    )
    home_code = forms.CharField(
        label=_("Our course code"),
        required=False,
        max_length=40,
        help_text=_("For example DAT100."),
    )
    isced = forms.ChoiceField(label=_("Subject area (ISCED-F)"), required=False, widget=QuickSelect)
    include_expired = forms.BooleanField(label=_("Include expired decisions"), required=False)

    def __init__(
        self, *args: Any, institutions: list[Institution], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        institution = cast(forms.ChoiceField, self.fields["institution"])
        institution.choices = ANY + [(i.schac_code, i.name) for i in institutions]
        cast(forms.ChoiceField, self.fields["isced"]).choices = subject_choices(language)

    @staticmethod
    def data_from(query: Any) -> dict[str, Any]:
        """The form's data from a request's GET (a ``QueryDict``): "include expired" is on
        unless the form was sent (``searched``) without it, or the address says otherwise."""
        data = query.copy()
        given = data.get("include_expired")
        if given is not None and given.strip().lower() in OFF:
            data.pop("include_expired")
        elif given is None and "searched" not in data:
            data["include_expired"] = "on"
        return data


def deciding_units(user: Any) -> QuerySet[UnitPage]:
    """The units whose decisions ``user`` keeps: every deciding unit for staff, else the
    units they edit and those below them."""
    units = UnitPage.objects.filter(kind__in=DECIDING_KINDS).order_by("path")
    if is_approvals_staff(user):
        return units
    paths = edited_paths(user)
    if not paths:
        return units.none()
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return units.filter(below)


def _live_rows(formset: Any) -> list[dict[str, Any]]:
    """The cleaned rows of a child formset that are kept (not deleted, not left empty)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append({"form": form, **data})
    return rows


# The form's fields that take a row's id, and those of its two sides' rows.
ID_FIELDS = re.compile(r"^(institution|deciding_unit|(foreign|home)_courses-\d+-id)$")


def _ids_only(data: Any) -> Any:
    """``data`` with every id that is not one (beyond 64 bits, not digits) made ``0``, an id no
    row has: Django looks such a value up as it comes and fails in the database, where ``0``
    is refused as a choice that does not exist."""
    bad = [
        key
        for key in data
        if ID_FIELDS.match(key) and data.get(key) and parse_id(data.get(key)) is None
    ]
    if not bad:
        return data
    data = data.copy()
    for key in bad:
        data[key] = "0"
    return data


class PrecedentAdminForm(WagtailAdminModelForm):
    """The admin's form of one decision with its two sides (inline panels).

    A unit editor chooses among the units whose decisions they keep. The decision is
    checked whole by the service (``precedent_check``) before anything is saved; a
    blank "valid until" becomes five years after the decision.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = _ids_only(data)
        super().__init__(data, *args, **kwargs)
        user = getattr(self, "for_user", None)
        if "deciding_unit" in self.fields and user is not None:
            self.fields["deciding_unit"].queryset = deciding_units(user)
        if "valid_until" in self.fields:
            self.fields["valid_until"].required = False
            self.fields["valid_until"].help_text = _(
                "Leave empty for five years after the decision."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        foreign_set = self.formsets.get("foreign_courses")
        home_set = self.formsets.get("home_courses")
        decided_on = cleaned.get("decided_on")
        if decided_on is not None and not cleaned.get("valid_until"):
            cleaned["valid_until"] = default_valid_until(decided_on)
        if (
            decided_on is None
            or foreign_set is None
            or home_set is None
            or not foreign_set.is_valid()
            or not home_set.is_valid()
        ):
            return cleaned
        foreign = _live_rows(foreign_set)
        home = _live_rows(home_set)
        for row in home:
            # A course's title may be given in one language; the other shows the same.
            if row.get("kind") == HomeKind.COURSE:
                form = row["form"]
                title_nb = (row.get("title_nb") or "").strip()
                title_en = (row.get("title_en") or "").strip()
                form.instance.title_nb = title_nb or title_en
                form.instance.title_en = title_en or title_nb
            elif row.get("kind") == HomeKind.ELECTIVE:
                form = row["form"]
                form.instance.code = ""
                form.instance.title_nb = form.instance.title_en = ""
        try:
            _foreign, _home, valid_until = precedent_check(
                decided_on=decided_on,
                foreign=foreign,
                home=home,
                valid_until=cleaned.get("valid_until"),
                deciding_unit=cleaned.get("deciding_unit"),
                user=getattr(self, "for_user", None),
            )
        except ApprovalError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(error.message))
        else:
            cleaned["valid_until"] = valid_until
            self.instance.valid_until = valid_until
        return cleaned


class PrecedentImportForm(forms.Form):
    """The upload of a list of earlier decisions (docs/approvals.md)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with the header row of the documented layout."),
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Deciding unit for rows that name none"),
        queryset=UnitPage.objects.none(),
        required=False,
        empty_label=_("Every row names its unit"),
    )
    # The key the page's script reads the progress under (a new one is made when it is not one).
    job = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    # Larger lists are imported with ``manage.py precedents_import``.
    MAX_BYTES = 10 * 1024 * 1024

    def __init__(self, data: Any = None, *args: Any, user: Any, **kwargs: Any) -> None:
        # A unit that is no id (beyond 64 bits, not digits) is a refused choice, as in the
        # decision's own form, not a failed lookup in the database.
        if data is not None and data.get("unit") and parse_id(data.get("unit")) is None:
            data = data.copy()
            data["unit"] = "0"
        super().__init__(data, *args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = deciding_units(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB. Split it, or ask for a command-line import.")
            )
        return upload
