"""The accounts app in the personal-data register: the user, sign-in and the student profile."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from wagtail import hooks

from onboarding.hooks import PERSONAL_DATA
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose, Retention

from .models import StudentProfile, User

# How long after the departure date a student's profile is kept (a policy's choice: a year).
DEFAULT_PROFILE_RETENTION_DAYS = 365


def profile_retention_days() -> int:
    return int(getattr(settings, "PRIVACY_PROFILE_RETENTION_DAYS", DEFAULT_PROFILE_RETENTION_DAYS))


@hooks.register(PERSONAL_DATA)
def accounts_personal_data() -> Iterable[PersonalData]:
    return [
        PersonalData(
            model=User,
            subjects=(),
            fields=User.PERSONAL_FIELDS,
            # The password is a hash, never shown or exported; the rest is the account's state.
            other_fields=("id", "password", "is_superuser", "is_staff", "is_active"),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # The account stays, emptied, so that figures and records that point to it hold;
            # the email address and password are replaced by ``account_erase``.
            erasure=Erasure.ANONYMISE,
            cleared=("first_name", "last_name", "preferred_name", "last_login"),
        ),
        PersonalData(
            model=EmailAddress,
            subjects=("user",),
            fields=("email", "verified", "primary"),
            other_fields=("id",),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=Authenticator,
            subjects=("user",),
            fields=("type", "created_at", "last_used_at"),
            # The secret of the authenticator, never shown or exported.
            other_fields=("id", "data"),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        # The admin's own records of a member of staff: their settings, drafts and tokens.
        PersonalData(
            model=apps.get_model("wagtailusers", "UserProfile"),
            subjects=("user",),
            fields=("preferred_language", "current_time_zone", "avatar"),
            other_fields=(
                "id",
                "submitted_notifications",
                "approved_notifications",
                "rejected_notifications",
                "updated_comments_notifications",
                "dismissibles",
                "theme",
                "contrast",
                "density",
                "keyboard_shortcuts",
            ),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=apps.get_model("wagtailcore", "PageSubscription"),
            subjects=("user",),
            fields=("comment_notifications",),
            other_fields=("id", "page"),
            context=("page",),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=apps.get_model("wagtailcore", "APIToken"),
            subjects=("user",),
            fields=("name", "created", "revoked_at", "last_used_at"),
            # The token's hash and the first characters shown to find it: secrets.
            other_fields=("id", "key_hash", "prefix"),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
        PersonalData(
            model=apps.get_model("wagtailadmin", "EditingSession"),
            subjects=("user",),
            fields=("last_seen_at", "is_editing"),
            other_fields=("id", "content_type", "object_id"),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
            exported=False,
        ),
        PersonalData(
            model=apps.get_model("wagtailadmin", "FormState"),
            subjects=("user",),
            # An unsaved draft of an admin form: content, not about the person.
            fields=("last_updated_at",),
            other_fields=("id", "data", "content_type", "object_id", "parent_object_id"),
            purpose=Purpose.ACCOUNT,
            legal_basis=LegalBasis.PUBLIC_TASK,
            exported=False,
        ),
        PersonalData(
            model=StudentProfile,
            subjects=("user",),
            fields=StudentProfile.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.ARRIVAL_PLAN,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # A student who has left needs no arrival plan: the profile goes a set time after
            # the departure date the student gave (none given: kept until the account goes).
            retention=Retention(days=profile_retention_days(), after="departure_date"),
        ),
    ]
