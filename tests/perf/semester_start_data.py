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
        signup_rush_data.setup(rush_path, events=0, capacity=capacity, people=people)
        plan, rush = json.loads(plan_path.read_text()), json.loads(rush_path.read_text())

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
                    reverse("event_list"),
                    *(page.get_url() for page in pages),
                    *(EventPage.objects.get(pk=e.pk).get_url() for e in events),
                ],
                "logged_in": [
                    reverse("arrival_plan"),
                    reverse("event_list"),
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


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(path, people=int(sys.argv[3]), hot=int(sys.argv[4]), capacity=int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown command {command}")
