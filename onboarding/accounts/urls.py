"""Account URLs: our preferences page next to allauth's pages (mounted under a translated prefix).

allauth's own paths are English; each is given here a Norwegian translation
(a lazy string, resolved in the active language like the prefix), so that
/nb/konto/logg-inn/ and /en/accounts/login/ open the same view. A path that
allauth adds in a later version and that is missing here keeps its English
path in both languages, and a test lists it. The English paths under /nb/
that the site used before send people on to the Norwegian ones.
"""

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views

# Every path (or the start of a path) allauth serves, by its English route.
ALLAUTH_ROUTES = {
    "login/": _("login/"),
    "logout/": _("logout/"),
    "inactive/": _("inactive/"),
    "signup/": _("signup/"),
    "reauthenticate/": _("reauthenticate/"),
    "reauthenticate/code/": _("reauthenticate/code/"),
    "reauthenticate/code/confirm/": _("reauthenticate/code/confirm/"),
    "email/": _("email/"),
    "confirm-email/": _("confirm-email/"),
    "password/change/": _("password/change/"),
    "password/set/": _("password/set/"),
    "password/reset/": _("password/reset/"),
    "password/reset/done/": _("password/reset/done/"),
    "password/reset/key/": _("password/reset/key/"),
    "password/reset/key/done/": _("password/reset/key/done/"),
    "login/code/": _("login/code/"),
    "login/code/confirm/": _("login/code/confirm/"),
    # Two-factor authentication.
    "2fa/": _("2fa/"),
    "authenticate/": _("authenticate/"),
    "trust/": _("trust/"),
    "totp/": _("totp/"),
    "activate/": _("activate/"),
    "deactivate/": _("deactivate/"),
    "recovery-codes/": _("recovery-codes/"),
    "generate/": _("generate/"),
    "download/": _("download/"),
}


def _translated_regex(regex):
    """A regex starting with a translated route: ``^confirm-email/(?P<key>...)/$``."""
    for english in sorted(ALLAUTH_ROUTES, key=len, reverse=True):
        if regex.startswith(f"^{english}"):
            rest = regex[len(english) + 1 :].replace("{", "{{").replace("}", "}}")
            return format_lazy("^{}" + rest, ALLAUTH_ROUTES[english])
    return regex


def translated(patterns):
    """allauth's URL patterns again, with their routes translated (see ``ALLAUTH_ROUTES``)."""
    result = []
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            route = ALLAUTH_ROUTES.get(str(pattern._route), str(pattern._route))
            make = path
        elif isinstance(pattern, RegexPattern):
            route = _translated_regex(str(pattern._regex))
            make = re_path
        else:  # allauth uses only path() and re_path(); anything else is kept as it is
            result.append(entry)
            continue
        if isinstance(entry, URLResolver):
            result.append(make(route, include(translated(entry.url_patterns))))
        elif isinstance(entry, URLPattern):
            result.append(make(route, entry.callback, entry.default_args, name=entry.name))
    return result


urlpatterns = [
    path(_("preferences/"), views.preferences, name="account_preferences"),
    *translated(allauth_urls.urlpatterns),
    # Links to the English paths under /nb/ (in emails sent before) still lead somewhere.
    re_path(r"^(?P<rest>.+)$", views.english_account_path),
]
