"""Account-related request handling for the Wagtail admin."""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

ADMIN_PREFIX = "/admin/"


class StaffMFARequiredMiddleware:
    """Staff must set up two-factor authentication before they reach the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(ADMIN_PREFIX)
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class AdminLanguageMiddleware:
    """The admin speaks the editor's chosen language (Wagtail's own preference first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(ADMIN_PREFIX) and user is not None and user.is_authenticated:
            language = getattr(getattr(user, "wagtail_userprofile", None), "preferred_language", "")
            translation.activate(language or user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
