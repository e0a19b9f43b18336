"""List the gaps in the responsibility matrix: areas without an owner, assignments gone stale."""

from django.core.management.base import BaseCommand, CommandError

from onboarding.responsibilities.selectors import responsibility_gaps


class Command(BaseCommand):
    help = (
        "List areas without an owner, levels breaking the matrix rules and assignments that "
        "point at units that no longer exist. With --strict, exit with an error when any is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="Exit with status 1 when there are gaps."
        )

    def handle(self, *args, strict=False, **options):
        gaps = responsibility_gaps()
        if not gaps:
            self.stdout.write(self.style.SUCCESS("No gaps in the responsibility matrix."))
            return
        self.stdout.write(f"{len(gaps)} gap(s) in the responsibility matrix:")
        for gap in gaps:
            self.stdout.write(f"  [{gap.code}] {gap.message}")
        if strict:
            raise CommandError(f"{len(gaps)} gap(s) found.")
