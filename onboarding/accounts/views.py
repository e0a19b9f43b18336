"""Account pages of our own; the rest of the account pages are allauth's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .errors import AccountError
from .forms import PreferencesForm
from .services import user_update_preferences


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


def english_account_path(request, rest):
    """An English account path under another language's prefix: on to the translated path.

    /nb/konto/signup/ was the sign-up page before the account paths were
    translated, and emails sent then link to such paths; anything else is
    not found.
    """
    language = translation.get_language()
    with translation.override("en"):
        english = f"/en/{_('accounts/')}{rest}"
        try:
            match = resolve(english)
        except Resolver404:
            raise Http404 from None
    if language == "en" or match.func is english_account_path or not match.url_name:
        raise Http404
    url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)
