"""The checklist page's admin form: statuses as checkboxes, items translated before publishing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from cms.forms import LANGUAGE_NAMES, TranslatedPageForm, is_blank
from onboarding.accounts.models import StudentStatus

# Item fields that must be filled in every language the page is written in.
REQUIRED_ITEM_FIELDS = ("title",)


class ChecklistPageForm(TranslatedPageForm):
    statuses = forms.MultipleChoiceField(
        label=_("For students who are"),
        choices=StudentStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The checklist appears in the arrival plan of students with these statuses."),
        error_messages={"required": _("Choose at least one status.")},
    )

    def is_valid(self):
        valid = super().is_valid()
        if "action-publish" in self.data:
            valid = self._items_translated() and valid
        return valid

    def _items_translated(self):
        """Refuse to publish an item whose title is missing in a language the page is written in."""
        formset = getattr(self, "formsets", {}).get("items")
        if formset is None:
            return True
        single = self.cleaned_data.get("single_language") if hasattr(self, "cleaned_data") else ""
        languages = [code for code in LANGUAGE_NAMES if not single or code == single]
        ok = True
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            for name in REQUIRED_ITEM_FIELDS:
                for language in languages:
                    field = build_localized_fieldname(name, language)
                    if field in form.fields and is_blank(data.get(field)):
                        form.add_error(
                            field,
                            ValidationError(
                                _("Fill this in %(language)s before publishing."),
                                params={"language": LANGUAGE_NAMES[language]},
                                code="missing_translation",
                            ),
                        )
                        ok = False
        return ok
