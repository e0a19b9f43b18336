"""Forms of the account pages that are ours rather than allauth's."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import NAME_MAX_LENGTH

INVALID_LANGUAGE = _("Choose one of the languages offered.")


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Emails and notifications are sent in this language."),
        error_messages={"invalid_choice": INVALID_LANGUAGE, "required": INVALID_LANGUAGE},
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
