"""The snapshot the access matrix and the fuzz tests compare around a refused request finds
every kind of change it is there to find, and none where nothing changed."""

from django.utils.timezone import now
from wagtail.models import PageViewRestriction

from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.security.snapshots import changed, snapshot


def test_nothing_changed_is_nothing(site_tree):
    UserFactory()
    assert changed(snapshot(pages=True), snapshot(pages=True)) == []


def test_a_changed_column_of_a_person_is_found(site_tree):
    person = UserFactory(first_name="Ana")
    before = snapshot()
    person.first_name = "Anna"
    person.save(update_fields=["first_name"])
    assert changed(before, snapshot()) == ["accounts.User"]


def test_a_new_row_and_a_deleted_row_are_found(site_tree):
    person = UserFactory()
    before = snapshot()
    note = Notification.objects.create(
        recipient=person, kind="event_changed", language="en", subject="Changed", created_at=now()
    )
    assert changed(before, snapshot()) == ["live.Notification"]
    before = snapshot()
    note.delete()
    assert changed(before, snapshot()) == ["live.Notification"]


def test_a_page_retitled_in_either_language_or_restricted_is_found(site_tree):
    home = site_tree["home"]
    for field in ("title_en", "title_nb"):
        before = snapshot(pages=True)
        setattr(home, field, "Another title")
        home.save()
        assert changed(before, snapshot(pages=True)) == ["pages"], field
    before = snapshot(pages=True)
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    assert changed(before, snapshot(pages=True)) == ["restrictions"]
