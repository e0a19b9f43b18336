"""Demo accounts, one per role, with verified addresses."""

import functools

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

DEMO_PASSWORD = "velkommen-demo"  # noqa: S105 - demo only, printed by seed_demo
# A fixed TOTP secret for the demo staff accounts, so that a tester can add it
# to an authenticator app (or `oathtool --totp -b SECRET`). Never used outside the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPVELKOMMENDEMO234"  # noqa: S105 - demo only


@functools.cache
def demo_password_hash():
    """``DEMO_PASSWORD``, hashed once per process for every demo account.

    Hashing is slow on purpose (a third of a second with Django's default
    hasher), and the demo has dozens of accounts with the same public password,
    so they share one hash (and one salt).
    """
    return make_password(DEMO_PASSWORD)


DEMO_ACCOUNTS = [
    # (email, first name, last name, language, role, is_staff, is_superuser)
    ("student@velkommen.test", "Ana", "Silva", "en", "student", False, False),
    ("editor@velkommen.test", "Ola", "Nordmann", "nb", "organisation editor", True, False),
    ("coordinator@velkommen.test", "Kari", "Hansen", "nb", "faculty coordinator", True, False),
    ("staff@velkommen.test", "Ingrid", "Berg", "nb", "international-section staff", True, False),
    ("admin@velkommen.test", "Admin", "Velkommen", "en", "administrator", True, True),
]

ROLE_GROUPS = {
    "organisation editor": "Editors",
    "faculty coordinator": "Editors",
    "international-section staff": "Moderators",
}


@transaction.atomic
def seed_accounts():
    """Create or refresh the demo accounts; returns (email, password, role) rows."""
    user_model = get_user_model()
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    rows = []
    for email, first, last, language, role, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, _created = user_model.objects.get_or_create(email=email)
        user.first_name, user.last_name, user.language = first, last, language
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.password = demo_password_hash()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        group_name = ROLE_GROUPS.get(role)
        if group_name:
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.add(access_admin)
            user.groups.add(group)
        if (
            is_staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        rows.append((email, DEMO_PASSWORD, role))
    return rows
