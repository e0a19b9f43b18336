"""Fill the site with demo content and one account per role. Safe to run again.

A database that already holds this version of the demo, seeded today, is left
as it is (``--force`` seeds it again): a second ``make run`` or ``make test``
starts in seconds and keeps what was changed in the admin.
"""

import hashlib
import importlib
import time
from collections.abc import Callable, Sized
from pathlib import Path
from typing import Any, NamedTuple

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.models import DemoSeed, InformationPage


class Step(NamedTuple):
    """One part of the demo: what it is, the function that seeds it, and what it counts."""

    label: str
    path: str
    noun: str
    # How many ``noun`` the step's result holds (by default its length, or itself if a number).
    counter: Callable[[Any], int] | None = None


def _information_pages(_home: Any) -> int:
    return InformationPage.objects.count()


# Each step creates or refreshes its part of the demo from the data file beside
# its module (``demo.toml``); later steps may use earlier ones.
SEED_STEPS = [
    Step("Site", "cms.demo.seed_site", "information pages", _information_pages),
    Step("Accounts", "onboarding.accounts.demo.seed_accounts", "accounts"),
    Step("Notifications", "onboarding.live.demo.seed_notifications", "new notifications"),
    Step("Units", "onboarding.units.demo.seed_units", "units"),
    Step("Responsibilities", "onboarding.responsibilities.demo.seed_responsibilities", "areas"),
    Step("Courses", "onboarding.courses.demo.seed_courses", "courses"),
    Step("Checklists", "onboarding.checklists.demo.seed_checklists", "checklists"),
    Step("Events", "onboarding.activities.demo.seed_events", "events"),
    Step("Completeness", "onboarding.units.demo_completeness.seed_completeness", "drafts"),
    Step("Student democracy", "onboarding.democracy.demo.seed_democracy", "meetings"),
    Step("Exchange", "onboarding.exchange.demo.seed_exchange", "agreements"),
    Step("Course approval", "onboarding.approvals.demo.seed_approvals", "earlier decisions"),
    Step("Stays abroad", "onboarding.stays.demo_registry.seed_stays", "stays"),
    Step("Crises", "onboarding.stays.demo_crisis.seed_crises", "crises"),
    Step("Early return", "onboarding.stays.demo_returns.seed_returns", "requests"),
    Step("Buddy programme", "onboarding.buddies.demo.seed_buddies", "buddy rounds"),
    Step("Glossary", "onboarding.glossary.demo.seed_glossary", "terms"),
]


def demo_files() -> list[Path]:
    """The demo's sources: this command, and each step's module with the files beside it.

    Beside a module: everything named ``demo*`` (its data file ``demo.toml``,
    and in ``cms/`` the loaders' shared ``demo_data.py``); a step that is a
    package brings every file in it.
    """
    files = {Path(__file__)}
    for step in SEED_STEPS:
        module = importlib.import_module(step.path.rsplit(".", 1)[0])
        path = Path(str(module.__file__))
        if path.name == "__init__.py":
            files.update(path.parent.rglob("*"))
        else:
            files.update([path, *path.parent.glob("demo*")])
    return sorted(file for file in files if file.is_file())


def fingerprint() -> str:
    """A hash of the demo's sources (``demo_files``: code and data) and today."""
    digest = hashlib.sha256(timezone.localdate().isoformat().encode())
    for path in demo_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _count(step: Step, result: Any) -> int:
    if step.counter is not None:
        return step.counter(result)
    if isinstance(result, int):
        return result
    return len(result) if isinstance(result, Sized) else 0


class Command(BaseCommand):
    help = "Create or refresh the demo site and the demo accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Seed again even if the demo is up to date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from cms.demo import order_navigation
        from onboarding.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET

        current = fingerprint()
        if not options["force"] and DemoSeed.objects.filter(fingerprint=current).exists():
            self.stdout.write("Demo content is up to date (seed_demo --force seeds it again).")
        else:
            for number, step in enumerate(SEED_STEPS, start=1):
                started = time.monotonic()
                result = import_string(step.path)()
                seconds = time.monotonic() - started
                self.stdout.write(
                    f"  [{number}/{len(SEED_STEPS)}] {step.label}: "
                    f"{_count(step, result)} {step.noun} ({seconds:.1f} s)"
                )
            # Last, once every part has made its sections: the menu in reading order.
            order_navigation()
            self.stdout.write("  Menu: in reading order")
            # Then the site search's index: the steps make much in bulk, where no save indexes it.
            from cms.search.demo import seed_search_index

            self.stdout.write(f"  Search index: {seed_search_index()} entries")
            with transaction.atomic():
                DemoSeed.objects.all().delete()
                DemoSeed.objects.create(fingerprint=current)

        self.stdout.write(self.style.SUCCESS("\nDemo site ready at http://127.0.0.1:8000/"))
        self.stdout.write("Demo accounts:")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account['role']:<30} {account['email']:<30} {DEMO_PASSWORD}")
        self.stdout.write(
            "Staff accounts use two-factor authentication; the demo TOTP secret is "
            f"{DEMO_TOTP_SECRET} (add it to an authenticator app, or run "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`)."
        )
