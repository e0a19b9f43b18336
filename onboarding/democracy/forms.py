"""Forms of student democracy: the admin form of its pages, and standing in an election."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from cms.forms import LANGUAGE_NAMES, TranslatedPageForm, is_blank


class DemocracyPageForm(TranslatedPageForm):
    """On publishing, a text written in one language must be written in the other too.

    Minutes, the place and the agenda may be left out altogether (a meeting has
    no minutes before it is held), but not given in one language only, unless
    the page is marked as written in one language.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "action-publish" in self.data:
            single = cleaned.get("single_language") or getattr(self.instance, "single_language", "")
            if not single:
                for name in getattr(self.instance, "paired_translated_fields", ()):
                    fields = {
                        language: build_localized_fieldname(name, language)
                        for language in LANGUAGE_NAMES
                    }
                    if any(f not in self.fields for f in fields.values()):
                        continue
                    filled = {lang for lang, f in fields.items() if not _blank(cleaned.get(f))}
                    for language, field in fields.items():
                        if filled and language not in filled:
                            self.add_error(
                                field,
                                ValidationError(
                                    _(
                                        "Fill this in %(language)s before publishing, or mark "
                                        "the page as written in one language only (Settings tab)."
                                    ),
                                    params={"language": LANGUAGE_NAMES[language]},
                                    code="missing_translation",
                                ),
                            )
        return cleaned


STATEMENT_MAX = 3000


def _blank(value: Any) -> bool:
    # An emptied rich-text editor may still send an empty paragraph.
    return is_blank(value) or (isinstance(value, str) and not strip_tags(value).strip())


class CandidacyForm(forms.Form):
    """Standing in an election: a statement in the student's language, their group, a seat."""

    statement = forms.CharField(
        label=_("Your statement"),
        help_text=_("Who you are and what you will work for. Write in Norwegian or English."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=STATEMENT_MAX,
    )
    statement_language = forms.ChoiceField(
        label=_("Language of your statement"),
        choices=[("nb", _("Norwegian")), ("en", _("English"))],
        widget=forms.RadioSelect,
    )
    group = forms.CharField(
        label=_("Your programme or group"),
        help_text=_("The study programme or student group you stand for."),
        max_length=200,
    )
    seat_type = forms.ChoiceField(label=_("Seat"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, seat_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["seat_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = seat_choices
        if len(seat_choices) == 1:
            field.initial = seat_choices[0][0]

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise ValidationError(_("Write a statement."), code="required")
        return statement

    def clean_group(self) -> str:
        group = self.cleaned_data["group"].strip()
        if not group:
            raise ValidationError(_("Name your programme or group."), code="required")
        return group
