"""Two students read the same pages in Chromium, one after the other, while the shared parts are
cached: each sees only their own notification badge, signup and ticks, in both languages, with
no console errors or CSP violations."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.activities.services import signup_create
from onboarding.checklists.models import ChecklistItem
from onboarding.checklists.services import progress_tick
from onboarding.live.models import Notification
from tests.onboarding.activities.factories import event_create
from tests.onboarding.checklists.conftest import fast_unit_tree, home_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create

from .helpers import collect_problems, sign_in

pytestmark = pytest.mark.browser

PLACE = {"nb": "Du har plass.", "en": "You have a place."}
DONE = {"nb": "1 av 2 punkter gjort", "en": "1 of 2 items done"}
NOT_DONE = {"nb": "0 av 2 punkter gjort", "en": "0 of 2 items done"}


@pytest.fixture
def people(asgi_server):
    tree = fast_unit_tree(home_create())
    checklist_create(
        tree["section"],
        items=[
            item_spec(("Hent studentkortet", "Collect your student card"), 2),
            item_spec(("Åpne en bankkonto", "Open a bank account"), 5),
        ],
    )
    ana, ola = (student_create(faculty=tree["faculty_a"]) for _ in range(2))
    for user, name in ((ana, "Ana"), (ola, "Ola")):
        user.first_name = name
        user.save(update_fields=["first_name"])
    progress_tick(student=ana, item=ChecklistItem.objects.get(title_en="Collect your student card"))
    event = event_create(tree["buddies"], capacity=5, publish=True)
    signup_create(event=event, user=ana)
    for _ in range(2):
        Notification.objects.create(
            recipient=ana, kind="test", language="en", subject="Hi", created_at=timezone.now()
        )
    # The signup's own notice is among Ana's unread ones; Ola has none.
    unread = Notification.objects.filter(recipient=ana, read_at__isnull=True).count()
    return {"ana": ana, "ola": ola, "event": event, "unread": unread}


def _path(view, language):
    from django.urls import reverse

    with translation.override(language):
        return reverse(view)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_each_student_sees_only_their_own_parts(people, page_factory, asgi_server, language):
    with translation.override(language):
        event_path = people["event"].get_url()
    plan_path = _path("arrival_plan", language)
    pages = {}
    problems = []
    # Ola reads first, so the shared parts Ana gets come from the cache he filled; then Ola again.
    for name in ("ola", "ana", "ola"):
        page = pages.get(name) or sign_in(page_factory(), asgi_server, people[name])
        if name not in pages:
            problems.append(collect_problems(page))
        pages[name] = page
        mine = name == "ana"

        page.goto(f"{asgi_server}{event_path}")
        signup_panel = page.locator("[data-event-places]")
        if mine:
            expect(signup_panel).to_contain_text(PLACE[language])
        else:
            expect(signup_panel).not_to_contain_text(PLACE[language])
        expect(signup_panel).to_contain_text("4")  # 4 of 5 places free, for everyone
        badge = page.locator("[data-live-badge-count]")
        if mine:
            expect(badge).to_have_text(str(people["unread"]))
        else:
            expect(badge).to_be_hidden()
        account = page.locator(".account-menu")
        expect(account).to_contain_text(people[name].first_name)
        expect(account).not_to_contain_text(people["ola" if mine else "ana"].first_name)

        page.goto(f"{asgi_server}{plan_path}")
        expect(page.locator("main")).to_contain_text(DONE[language] if mine else NOT_DONE[language])
    for found in problems:
        assert found == []
