"""Demo accounts (``demo.toml``), one per role, with verified addresses."""

import functools

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from cms.demo_data import Data, load

DATA = load(__file__)
DEMO_PASSWORD: str = DATA["password"]
# A fixed TOTP secret for the demo staff accounts, so that a tester can add it
# to an authenticator app (or `oathtool --totp -b SECRET`). Never used outside the demo.
DEMO_TOTP_SECRET: str = DATA["totp_secret"]
# Each: email, first_name, last_name, language, role, and staff, superuser, group if any.
DEMO_ACCOUNTS: list[Data] = DATA["accounts"]


@functools.cache
def demo_password_hash() -> str:
    """``DEMO_PASSWORD``, hashed once per process for every demo account.

    Hashing is slow on purpose (a third of a second with Django's default
    hasher), and the demo has dozens of accounts with the same public password,
    so they share one hash (and one salt).
    """
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def seed_accounts() -> list[tuple[str, str, str]]:
    """Create or refresh the demo accounts; returns (email, password, role) rows."""
    user_model = get_user_model()
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    rows = []
    for account in DEMO_ACCOUNTS:
        email = account["email"]
        user, _created = user_model.objects.get_or_create(email=email)
        user.first_name, user.last_name = account["first_name"], account["last_name"]
        user.language = account["language"]
        user.is_staff = account.get("staff", False)
        user.is_superuser = account.get("superuser", False)
        user.password = demo_password_hash()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if "group" in account:
            group, _ = Group.objects.get_or_create(name=account["group"])
            group.permissions.add(access_admin)
            user.groups.add(group)
        if (
            user.is_staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        rows.append((email, DEMO_PASSWORD, account["role"]))
    return rows
