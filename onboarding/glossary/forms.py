"""The form a student proposes a missing term with, and the editors' decision form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onboarding.exchange.models import IscedField

from .models import LANGUAGE_CHOICES
from .selectors import owner_choices


class ProposalForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the term"), choices=LANGUAGE_CHOICES)
    definition = forms.CharField(
        label=_("What it means (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field = forms.ModelChoiceField(
        label=_("Subject field"), queryset=IscedField.objects.none(), empty_label=None
    )
    owner = forms.ModelChoiceField(
        label=_("Unit it belongs to"),
        queryset=owner_choices().none(),
        required=False,
        empty_label=_("I don't know: the International Section"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = "en" if get_language() == "en" else "nb"
        self.fields["field"].queryset = IscedField.objects.order_by("code")
        self.fields["field"].label_from_instance = lambda isced: (
            f"{isced.code} {getattr(isced, f'name_{language}') or isced.name}"
        )
        self.fields["owner"].queryset = owner_choices()
        self.fields["owner"].label_from_instance = lambda unit: (
            getattr(unit, f"title_{language}") or unit.title
        )
        self.fields["language"].initial = language


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    other_term = forms.CharField(
        label=_("The term in the other language (optional)"), max_length=200, required=False
    )
    definition_nb = forms.CharField(
        label=_("Definition in Norwegian (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    definition_en = forms.CharField(
        label=_("Definition in English (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason for declining (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
