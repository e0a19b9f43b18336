"""Data of the semester-start benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.semester_start_data setup OUT.json PEOPLE HOT CAPACITY`` makes (again)
the site, the plan benchmark's student with 40 items in their plan (plan_page_data.py), the
signup rush's PEOPLE students with logged-in sessions (signup_rush_data.py), HOT hot events of
CAPACITY places with a waitlist, and one more event, the *probe* event, which only the
benchmark's probe signs up to (so that every live count on it is known to come from the
probe); it writes the sessions and the paths the clients ask for, in both languages.
"""

import json
import sys
import tempfile
from pathlib import Path


def setup(out_path, *, people, hot, capacity):
    from tests.perf import plan_page_data, signup_rush_data

    with tempfile.TemporaryDirectory() as folder:
        plan_path, rush_path = Path(folder) / "plan.json", Path(folder) / "rush.json"
        plan_page_data.setup(plan_path)  # sets Django up
        plan = json.loads(plan_path.read_text())
        from django.contrib.auth import SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        student_id = SessionStore(session_key=plan["session"]).load()[SESSION_KEY]
        # The rush's set-up clears every session: the plan's student logs in again after it.
        signup_rush_data.setup(rush_path, events=0, capacity=capacity, people=people)
        rush = json.loads(rush_path.read_text())
        plan["session"] = _log_in(student_id)

    from django.urls import reverse
    from django.utils import translation

    from cms.models import InformationPage
    from onboarding.activities.models import EventPage

    events = [
        signup_rush_data.event_with_waitlist(
            title=f"Rush semester {n}", capacity=capacity, days=5 + n
        )
        for n in range(hot)
    ]
    probe = signup_rush_data.event_with_waitlist(title="Rush probe", capacity=10, days=4)
    pages = list(InformationPage.objects.live().order_by("path")[:6])
    paths = {}
    for language in ("nb", "en"):
        with translation.override(language):
            paths[language] = {
                "anonymous": [
                    f"/{language}/",
                    reverse("activities:event_list"),
                    *(page.get_url() for page in pages),
                    *(EventPage.objects.get(pk=e.pk).get_url() for e in events),
                ],
                "logged_in": [
                    reverse("arrival_plan"),
                    reverse("activities:event_list"),
                    *(page.get_url() for page in pages[:3]),
                    EventPage.objects.get(pk=events[0].pk).get_url(),
                ],
            }
    data = {
        "sessions": rush["sessions"],
        "plan_session": plan["session"],
        "plan": plan["plan"],
        "paths": paths,
        "hot_events": [event.pk for event in events],
        "probe_event": probe.pk,
    }
    with open(out_path, "w") as out:
        json.dump(data, out)


def _log_in(user_id):
    """A new logged-in session for the user ``user_id``; returns its key."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def reset(out_path):
    import django

    django.setup()
    from onboarding.activities.models import Signup

    removed, _by_model = Signup.objects.filter(event__slug_nb__startswith="rush-semester-").delete()
    with open(out_path, "w") as out:
        json.dump({"removed": removed}, out)


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(path, people=int(sys.argv[3]), hot=int(sys.argv[4]), capacity=int(sys.argv[5]))
    elif command == "reset":
        reset(path)
    else:
        raise SystemExit(f"unknown command {command}")
