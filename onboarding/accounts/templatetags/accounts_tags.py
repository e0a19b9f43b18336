"""Template tags of the account pages: the account sub-navigation and the way back to the admin."""

from allauth.mfa.utils import is_mfa_enabled
from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onboarding.accounts.middleware import ADMIN_PREFIX, MFA_NEXT_SESSION_KEY

register = template.Library()

# (label, the page the link opens, every page of that section)
ACCOUNT_SECTIONS = [
    (_("Preferences"), "account_preferences", {"account_preferences"}),
    (_("Email address"), "account_email", {"account_email"}),
    (_("Password"), "account_change_password", {"account_change_password", "account_set_password"}),
    (
        _("Two-factor authentication"),
        "mfa_index",
        {
            "mfa_index",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
        },
    ),
    (_("Your data"), "privacy:my_data", {"privacy:my_data"}),
    (_("Delete account"), "privacy:account_delete", {"privacy:account_delete"}),
]


@register.inclusion_tag("accounts/includes/account_nav.html", takes_context=True)
def account_nav(context):
    """Links to the parts of the account; the current part is marked for screen readers too."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    items = []
    for label, url_name, section in ACCOUNT_SECTIONS:
        if current == url_name:
            state = "page"
        elif current in section:
            state = "true"
        else:
            state = ""
        items.append({"label": label, "url": reverse(url_name), "current": state})
    return {"items": items}


@register.simple_tag(takes_context=True)
def mfa_continue_url(context):
    """The admin page the person was heading for, once two-factor authentication is on."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    next_url = request.session.get(MFA_NEXT_SESSION_KEY, "")
    if next_url.startswith(ADMIN_PREFIX) and is_mfa_enabled(user):
        return next_url
    return ""
