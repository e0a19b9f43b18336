"""Account pages of our own; the rest of the account pages are allauth's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import PreferencesForm
from .services import AccountError, user_update_preferences


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The person's preferred language and name."""
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                user_update_preferences(user=user, **form.cleaned_data)
            except AccountError as error:
                form.add_error(error.field, error.message)
            else:
                language = form.cleaned_data["language"]
                with translation.override(language):
                    messages.success(request, _("Your preferences have been saved."))
                # Carry on in the language just chosen.
                return redirect(translate_url(reverse("account_preferences"), language))
    else:
        form = PreferencesForm(
            initial={
                "language": user.language,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "preferred_name": user.preferred_name,
            }
        )
    return render(request, "accounts/preferences.html", {"form": form})
