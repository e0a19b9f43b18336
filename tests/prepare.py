"""Make the test databases' templates before the tests start: ``python -m tests.prepare``.

``make test`` runs this beside ``manage.py setup_demo`` (which migrates and
seeds the database ``make run`` serves): each is one process on one core, so in
a fresh clone the two take the time of one. With ``CI`` set, both templates
are made anew. ``make test-stack`` makes only the test template
(``--without-demo``): the demo's own tests do not run there. See
``tests/database.py``.
"""

import argparse
import contextlib
import io
import os
import sys


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.prepare", description=__doc__)
    parser.add_argument(
        "--without-demo",
        action="store_true",
        help="Make only the test template (for runs without the demo's own tests).",
    )
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onboarding.settings.test")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    from tests import database
    from tests.cms.factories import site_create

    setup_test_environment()
    rebuild = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    # wagtail-modeltranslation's migrate prints the columns it adds, whatever the verbosity.
    with contextlib.redirect_stdout(io.StringIO()):
        made = database.prepare(site_create, rebuild=rebuild, demo=not options.without_demo)
    names = {"template": "test", "demo": "demo"}
    for kind, seconds in made:
        print(f"Test database: made the {names[kind]} template in {seconds:.0f} s.")
    if not made:
        print("Test database: the templates are current.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
