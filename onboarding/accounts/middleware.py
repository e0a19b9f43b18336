"""Account-related request handling for the Wagtail admin."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from onboarding.http import local_path

ADMIN_PREFIX = "/admin/"
ADMIN_PERMISSION = "wagtailadmin.access_admin"
# Wagtail's own admin pages that stay open without two-factor authentication.
ADMIN_OPEN_PATHS = ("/admin/logout/",)
# Wagtail's own sign-in pages; there is one login page (allauth's), with its
# rate limits and its two-factor step, so these send people there.
ADMIN_LOGIN_PATHS = {
    "/admin/login/": "account_login",
    "/admin/password_reset/": "account_reset_password",
}
# The end of the path of the login page Wagtail keeps for private pages.
FRONTEND_LOGIN_SUFFIX = "/_util/login/"
# Where the admin page a person was heading for waits while they set up
# two-factor authentication; the two-factor pages offer a link back to it.
MFA_NEXT_SESSION_KEY = "accounts_mfa_next"


def needs_mfa(user):
    """Staff, and everyone the admin lets in (editors' groups), must use two-factor authentication."""
    return user.is_active and (user.is_staff or user.has_perm(ADMIN_PERMISSION))


def _with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class StaffMFARequiredMiddleware:
    """Staff and editors must use two-factor authentication to open the admin.

    A signed-in staff member or editor without an authenticator is sent to set
    one up, with the admin page they asked for as ``next``; anyone else signed
    in is told the admin is not for them. Wagtail's own login and
    password-reset pages, and the login page Wagtail keeps for private pages,
    send people to the allauth pages instead, so that nobody signs in around
    the two-factor step.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._redirect_other_logins(request)
        if response is None and request.path.startswith(ADMIN_PREFIX):
            response = self._require_mfa(request)
        return response or self.get_response(request)

    def _redirect_other_logins(self, request):
        for prefix, url_name in ADMIN_LOGIN_PATHS.items():
            if request.path.startswith(prefix):
                return redirect(
                    _with_next(reverse(url_name), local_path(request.GET.get("next"), request))
                )
        if not request.path.endswith(FRONTEND_LOGIN_SUFFIX):
            return None
        try:
            frontend_login = reverse("wagtailcore_login")
        except NoReverseMatch:
            return None
        if request.path == frontend_login:
            return redirect(
                _with_next(reverse("account_login"), local_path(request.GET.get("next"), request))
            )
        return None

    def _require_mfa(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path in ADMIN_OPEN_PATHS:
            return None
        if needs_mfa(user) and not is_mfa_enabled(user):
            next_url = request.get_full_path()
            request.session[MFA_NEXT_SESSION_KEY] = next_url
            return redirect(_with_next(reverse("mfa_activate_totp"), next_url))
        if not user.has_perm(ADMIN_PERMISSION):
            # Wagtail would send a signed-in person without access to the login
            # page, which sends them straight back here: a redirect loop.
            messages.error(request, _("Your account does not give access to the admin."))
            return redirect(f"/{translation.get_language()}/")
        if MFA_NEXT_SESSION_KEY in request.session:
            del request.session[MFA_NEXT_SESSION_KEY]
        return None


class AdminLanguageMiddleware:
    """The admin speaks the language the editor chose.

    That is the language chosen in the admin's own account settings (Wagtail's
    ``preferred_language``, which saving the site's preferences keeps in step),
    else the language of the site they last read (the language cookie: the
    switcher, or the login page they used), else their saved preference.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(ADMIN_PREFIX) and user is not None and user.is_authenticated:
            translation.activate(admin_language(request, user))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def admin_language(request, user):
    """The language the admin is shown in to ``user`` (see ``AdminLanguageMiddleware``)."""
    languages = dict(settings.WAGTAILADMIN_PERMITTED_LANGUAGES)
    profile = getattr(user, "wagtail_userprofile", None)
    for language in (
        getattr(profile, "preferred_language", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        user.language,
    ):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


class AdminContentSecurityPolicyMiddleware:
    """The admin gets its own Content-Security-Policy (``ADMIN_CSP``); the site keeps ``SECURE_CSP``.

    Wagtail's admin starts its panels, widgets and the translation field
    toggles with inline scripts and has no nonces to give them, so its policy
    must allow inline scripts; the public site's policy never does. Django's
    ``ContentSecurityPolicyMiddleware`` reads the policy a response carries
    (as its ``csp_override`` decorator sets it), so this middleware comes after
    it in ``MIDDLEWARE`` and marks the admin's responses, preview included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        return response


class PrivateResponsesMiddleware:
    """What a signed-in person is shown is theirs: no shared cache and no disk cache keeps it.

    Every response to a signed-in person's request says ``Cache-Control:
    private, no-store`` (the header names them, and most pages are about them),
    unless the view already said ``no-store``. Anonymous responses are left as
    they are: public pages are served from the page cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            # Django drops a "public" the view set when "private" is added.
            patch_cache_control(response, private=True, no_store=True)
        return response
