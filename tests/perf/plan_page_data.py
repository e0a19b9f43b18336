"""Data of the plan-page benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.plan_page_data OUT.json`` makes (again) the site, a unit tree, three
checklists with 40 items between them, and a student with a logged-in session whose plan
holds all 40 (some ticked, some overdue); it writes the session key and the two paths.
"""

import json
import sys


def setup(out_path):
    import django

    django.setup()
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import translation

    from cms.demo import seed_site
    from cms.models import InformationPage
    from onboarding.checklists.models import ChecklistPage
    from onboarding.checklists.selectors import plan_get
    from onboarding.checklists.services import progress_tick
    from onboarding.units.models import UnitPage
    from tests.onboarding.checklists.conftest import fast_unit_tree
    from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create

    with transaction.atomic(), translation.override("nb"):
        home = seed_site()
        ChecklistPage.objects.all().delete()
        UnitPage.objects.all().delete()
        from onboarding.units.models import UnitDirectoryPage

        UnitDirectoryPage.objects.all().delete()
        tree = fast_unit_tree(home)
        owners = [(tree["section"], 20), (tree["faculty_a"], 12), (tree["department_a"], 8)]
        for owner, count in owners:
            checklist_create(
                owner,
                items=[
                    item_spec(
                        (f"Punkt {n} ({owner.title_nb})", f"Item {n} ({owner.title_en})"),
                        n * 3 - 20,
                        description=("Gjør dette i tide.", "Do this in good time."),
                        responsible_unit=tree["language_centre"] if n % 4 == 0 else None,
                    )
                    for n in range(count)
                ],
            )
        student = student_create(
            faculty=tree["faculty_a"],
            department=tree["department_a"],
            arrival=datetime.date.today() - datetime.timedelta(days=10),
            interests=["music", "outdoors"],
        )
        plan = plan_get(user=student)
        assert plan.total == 40, plan.total
        for entry in plan.items[::3]:
            progress_tick(student=student, item=entry.item)
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session.create()
        info = InformationPage.objects.live().filter(slug_en="arrival-and-housing").first()
    with translation.override("en"):
        from django.urls import reverse

        data = {
            "session": session.session_key,
            "plan": reverse("arrival_plan"),
            "information": info.get_url(),
        }
    with open(out_path, "w") as out:
        json.dump(data, out)


if __name__ == "__main__":
    setup(sys.argv[1])
