"""allauth wiring: emails go out in the recipient's language, links included."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation


def recipient_language(*, email, user=None):
    """The language to write to ``email`` in: its owner's preference, else the active one.

    The owner is ``user`` when given, otherwise the account holding the address
    (as its login, or as an added address such as the one being replaced).
    """
    if user is None and email:
        user = (
            get_user_model().objects.filter(email__iexact=email).only("language").first()
            or get_user_model()
            .objects.filter(emailaddress__email__iexact=email)
            .only("language")
            .first()
        )
    language = getattr(user, "language", None)
    if language in dict(settings.LANGUAGES):
        return language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where a login without ``next`` lands: the admin for its users, the plan for students.

        Staff and editors (everyone the admin lets in) land on the admin's
        dashboard, after their two-factor step; everyone else on their arrival
        plan, in the language of the page they logged in on (the plan asks
        for the profile first when there is none). A ``next`` is honoured
        before this is asked.
        """
        from .middleware import ADMIN_PREFIX, needs_mfa

        if needs_mfa(request.user):
            return ADMIN_PREFIX
        return reverse("arrival_plan")

    def save_user(self, request, user, form, commit=True):
        # The language the person signed up in is their language until they change it.
        user.language = translation.get_language() or user.language
        # allauth saves the given and family name; the preferred name is ours.
        user.preferred_name = form.cleaned_data.get("preferred_name", "")
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Render and send in the recipient's language.

        Unlike allauth's own, this needs no request (our templates use no
        ``current_site``), so a mail sent when a transaction commits after the
        request, or from a task, goes out too.
        """
        language = recipient_language(email=email, user=context.get("user"))
        with translation.override(language):
            context = {
                "request": allauth_context.request,
                "email": email,
                "site_url": self._absolute_url(f"/{language}/"),
                "reset_request_url": self._absolute_url(reverse("account_reset_password")),
                **context,
            }
            self.render_mail(template_prefix, email, context).send()

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the user out of a notification's context; the language needs it.
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        # The link opens the site in the language the email is written in.
        user = emailconfirmation.email_address.user
        language = recipient_language(email=emailconfirmation.email_address.email, user=user)
        with translation.override(language):
            return super().get_email_confirmation_url(request, emailconfirmation)

    def send_password_reset_mail(self, user, email, context):
        language = recipient_language(email=email, user=user)
        with translation.override(language):
            context = {
                **context,
                "password_reset_url": self.get_reset_password_from_key_url(
                    f"{context['uid']}-{context['key']}"
                ),
            }
        return super().send_password_reset_mail(user, email, context)

    def send_account_already_exists_mail(self, email):
        with translation.override(recipient_language(email=email)):
            return super().send_account_already_exists_mail(email)

    def _absolute_url(self, path):
        request = allauth_context.request
        if request is not None:
            return request.build_absolute_uri(path)
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
