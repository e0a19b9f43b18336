"""Fill the site with demo content and one account per role. Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

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


class Command(BaseCommand):
    help = "Create or refresh the demo site and the demo accounts (idempotent)."

    def handle(self, *args, **options):
        accounts = []
        for step in SEED_STEPS:
            result = import_string(step)()
            if step.endswith("seed_accounts"):
                accounts = result
            self.stdout.write(f"  {step}: done")

        # Last, once every part has made its sections: the menu in reading order.
        from cms.demo import order_navigation
        from onboarding.accounts.demo import DEMO_TOTP_SECRET

        order_navigation()

        self.stdout.write(self.style.SUCCESS("\nDemo site ready at http://127.0.0.1:8000/"))
        self.stdout.write("Demo accounts:")
        for email, password, role in accounts:
            self.stdout.write(f"  {role:<30} {email:<30} {password}")
        self.stdout.write(
            "Staff accounts use two-factor authentication; the demo TOTP secret is "
            f"{DEMO_TOTP_SECRET} (add it to an authenticator app, or run "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`)."
        )
