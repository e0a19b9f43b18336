"""Fill the site with demo content and one account per role. Safe to run again.

A database that already holds this version of the demo, seeded today, is left
as it is (``--force`` seeds it again): a second ``make run`` or ``make test``
starts in seconds and keeps what was changed in the admin.
"""

import hashlib
import importlib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.models import DemoSeed

# Each step creates or refreshes its part of the demo; later steps may use earlier ones.
SEED_STEPS = [
    "cms.demo.seed_site",
    "onboarding.accounts.demo.seed_accounts",
    "onboarding.live.demo.seed_notifications",
    "onboarding.units.demo.seed_units",
    "onboarding.responsibilities.demo.seed_responsibilities",
    "onboarding.courses.demo.seed_courses",
    "onboarding.checklists.demo.seed_checklists",
    "onboarding.activities.demo.seed_events",
]


def fingerprint():
    """A hash of the demo's sources (each step's module, or its package's files) and today."""
    digest = hashlib.sha256(timezone.localdate().isoformat().encode())
    files = [Path(__file__)]
    for step in SEED_STEPS:
        module = importlib.import_module(step.rsplit(".", 1)[0])
        path = Path(module.__file__)
        files += sorted(path.parent.rglob("*")) if path.name == "__init__.py" else [path]
    for path in files:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Create or refresh the demo site and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed again even if the demo is up to date."
        )

    def handle(self, *args, **options):
        from cms.demo import order_navigation
        from onboarding.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET

        current = fingerprint()
        if not options["force"] and DemoSeed.objects.filter(fingerprint=current).exists():
            self.stdout.write("Demo content is up to date (seed_demo --force seeds it again).")
        else:
            for number, step in enumerate(SEED_STEPS, start=1):
                import_string(step)()
                self.stdout.write(f"  [{number}/{len(SEED_STEPS)}] {step}: done")
            # Last, once every part has made its sections: the menu in reading order.
            order_navigation()
            with transaction.atomic():
                DemoSeed.objects.all().delete()
                DemoSeed.objects.create(fingerprint=current)

        self.stdout.write(self.style.SUCCESS("\nDemo site ready at http://127.0.0.1:8000/"))
        self.stdout.write("Demo accounts:")
        for email, _first, _last, _language, role, *_flags in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<30} {email:<30} {DEMO_PASSWORD}")
        self.stdout.write(
            "Staff accounts use two-factor authentication; the demo TOTP secret is "
            f"{DEMO_TOTP_SECRET} (add it to an authenticator app, or run "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`)."
        )
