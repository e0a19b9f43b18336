"""Forms of the account pages that are ours rather than allauth's."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import NAME_MAX_LENGTH

INVALID_LANGUAGE = _("Choose one of the languages offered.")


NAME_TOO_LONG = _("Use at most 150 characters.")
PREFERRED_NAME_HELP = _(
    "What you would like to be called, if not your given name. "
    "Official lists keep your given and family name."
)


def _name_field(label, autocomplete, *, required, help_text=""):
    return forms.CharField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        error_messages={"max_length": NAME_TOO_LONG},
    )


class SignupForm(forms.Form):
    """The names allauth's signup form asks for besides the email address and password.

    allauth builds its signup form on this class (``ACCOUNT_SIGNUP_FORM_CLASS``)
    and saves the given and family name itself; the preferred name is saved by
    the account adapter.
    """

    field_order = ["first_name", "last_name", "preferred_name", "email", "password1", "password2"]

    first_name = _name_field(_("Given name"), "given-name", required=True)
    last_name = _name_field(_("Family name"), "family-name", required=True)
    preferred_name = _name_field(
        _("Preferred name (optional)"), "nickname", required=False, help_text=PREFERRED_NAME_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].error_messages["required"] = _("Enter your given name.")
        self.fields["last_name"].error_messages["required"] = _("Enter your family name.")

    def signup(self, request, user):
        """Called by allauth once the user is saved; the names are already on it."""


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Emails and notifications are sent in this language."),
        error_messages={"invalid_choice": INVALID_LANGUAGE, "required": INVALID_LANGUAGE},
    )
    first_name = _name_field(_("Given name"), "given-name", required=False)
    last_name = _name_field(_("Family name"), "family-name", required=False)
    preferred_name = _name_field(
        _("Preferred name (optional)"), "nickname", required=False, help_text=PREFERRED_NAME_HELP
    )
