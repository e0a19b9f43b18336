"""The reader page cache (cms.middleware.ReaderPageCacheMiddleware): a signed-in reader's
information and home pages from the cache, with their own account menu put in.

Run on the local-memory cache, and on Redis when REDIS_URL is set (tests/caches.py).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.account_menu import MENU_END, MENU_START
from cms.models import InformationPage
from onboarding.live.models import Notification
from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

PAGE = {"nb": "/nb/ankomst-og-bolig/", "en": "/en/arrival-and-housing/"}
LOG_OUT = {"nb": "Logg ut", "en": "Log out"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response


def _signed_in(user, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    return client


def _unread(user, count):
    for _ in range(count):
        Notification.objects.create(
            recipient=user, kind="test", language="en", subject="Hi", created_at=timezone.now()
        )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_second_reader_gets_the_stored_page_with_their_own_menu(site_tree, language):
    ana, ola = UserFactory(first_name="Ana"), UserFactory(first_name="Ola")
    _unread(ana, 2)
    first = _get(_signed_in(ana), PAGE[language])
    second = _get(_signed_in(ola), PAGE[language])
    assert first["X-Page-Cache"] == "reader-miss" and second["X-Page-Cache"] == "reader-hit"
    mine, theirs = first.content.decode(), second.content.decode()
    assert ">Ana</a>" in mine and 'data-count="2"' in mine
    assert ">Ola</a>" in theirs and 'data-count="0"' in theirs and "Ana" not in theirs
    assert LOG_OUT[language] in theirs
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["Content-Language"] == language


def test_a_stored_page_is_the_page_rendered_in_full(site_tree, settings):
    reader = UserFactory(first_name="Ana")
    client = _signed_in(reader)
    _get(client, PAGE["en"])
    from_cache = _get(client, PAGE["en"])
    assert from_cache["X-Page-Cache"] == "reader-hit"
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "cms.middleware.ReaderPageCacheMiddleware"
    ]
    in_full = _get(_signed_in(reader), PAGE["en"])
    assert "X-Page-Cache" not in in_full

    def without_token(response):
        return TOKEN.sub("", response.content.decode())

    assert without_token(from_cache) == without_token(in_full)


def test_no_page_carries_the_menu_markers(site_tree, client):
    client.force_login(UserFactory())
    for path in (PAGE["en"], PAGE["en"], "/nb/", "/en/events/", "/en/arrival-plan/"):
        response = client.get(path, follow=True)
        content = response.content.decode()
        assert MENU_START not in content and MENU_END not in content, path


def test_the_logout_form_of_a_stored_page_works(site_tree):
    _get(_signed_in(UserFactory()), PAGE["en"])
    reader = UserFactory()
    client = _signed_in(reader, enforce_csrf_checks=True)
    page = _get(client, PAGE["en"])
    assert page["X-Page-Cache"] == "reader-hit"
    token = TOKEN.search(page.content.decode()).group(1)
    response = client.post("/en/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    # Without the token the form is refused: the token above is what made it work.
    again = _signed_in(reader, enforce_csrf_checks=True)
    assert again.post("/en/accounts/logout/").status_code == 403


def test_the_unread_count_is_read_on_every_request(site_tree):
    reader = UserFactory()
    client = _signed_in(reader)
    assert 'data-count="0"' in _get(client, PAGE["en"]).content.decode()
    _unread(reader, 4)
    page = _get(client, PAGE["en"])
    assert page["X-Page-Cache"] == "reader-hit" and 'data-count="4"' in page.content.decode()


def test_someone_who_may_open_the_admin_gets_the_page_in_full_and_it_is_not_stored(site_tree):
    editor = _signed_in(StaffFactory(first_name="Kari"))
    for _ in range(2):
        page = _get(editor, PAGE["en"])
        assert "X-Page-Cache" not in page
        assert 'href="/admin/"' in page.content.decode()
    # Nothing of theirs was kept for the next reader: the user bar and the admin link.
    reader = _get(_signed_in(UserFactory()), PAGE["en"])
    assert reader["X-Page-Cache"] == "reader-miss"
    assert 'href="/admin/"' not in reader.content.decode()
    assert "wagtail-userbar" not in reader.content.decode()
    # And a stored page is not given to them either.
    page = _get(editor, PAGE["en"])
    assert "X-Page-Cache" not in page and 'href="/admin/"' in page.content.decode()


def test_a_pending_message_shows_on_a_page_rendered_in_full(site_tree):
    _get(_signed_in(UserFactory()), PAGE["en"])  # stored
    client = _signed_in(UserFactory())
    response = client.post("/en/notifications/read-all/", {"next": PAGE["en"]})
    assert response.status_code == 302 and response["Location"] == PAGE["en"]
    page = _get(client, PAGE["en"])
    assert "You had no unread notifications." in page.content.decode()
    assert "X-Page-Cache" not in page
    after = _get(client, PAGE["en"])
    assert after["X-Page-Cache"] == "reader-hit"
    assert "You had no unread notifications." not in after.content.decode()


def test_a_restricted_page_is_not_stored_for_the_next_reader(site_tree):
    page = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    group = Group.objects.create(name="Arrivals")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    member = UserFactory()
    member.groups.add(group)
    for _ in range(2):
        response = _get(_signed_in(member), PAGE["en"])
        assert "X-Page-Cache" not in response
    other = _signed_in(UserFactory()).get(PAGE["en"])
    assert other.status_code in (302, 403)
    assert "Arrival and housing." not in other.content.decode()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_publishing_reaches_the_next_reader(site_tree, language):
    client = _signed_in(UserFactory())
    _get(client, PAGE[language]), _get(client, PAGE[language])
    page = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    page.intro_nb, page.intro_en = "Ny innledning.", "New introduction."
    page.save_revision().publish()
    fresh = _get(client, PAGE[language])
    assert fresh["X-Page-Cache"] == "reader-miss"
    expected = {"nb": "Ny innledning.", "en": "New introduction."}[language]
    assert expected in fresh.content.decode()


def test_the_languages_are_stored_apart(site_tree):
    client = _signed_in(UserFactory())
    for _ in range(2):
        norwegian, english = _get(client, PAGE["nb"]), _get(client, PAGE["en"])
    assert norwegian["X-Page-Cache"] == english["X-Page-Cache"] == "reader-hit"
    assert LOG_OUT["nb"] in norwegian.content.decode()
    assert LOG_OUT["en"] not in norwegian.content.decode()
    assert LOG_OUT["en"] in english.content.decode()
    assert "Ankomst og bolig." in norwegian.content.decode()
    assert "Arrival and housing." in english.content.decode()


def test_an_event_page_is_never_stored(site_tree, client):
    client.force_login(UserFactory())
    for path in ("/en/events/",):
        for _ in range(2):
            response = client.get(path)
            assert not response.get("X-Page-Cache", "").startswith("reader")


def test_a_new_name_and_a_new_count_show_at_once(site_tree):
    reader = UserFactory(first_name="Ana")
    client = _signed_in(reader)
    for _ in range(2):
        assert ">Ana</a>" in _get(client, PAGE["en"]).content.decode()
    reader.first_name = "Anna"
    reader.preferred_name = ""
    reader.save()
    _unread(reader, 1)
    page = _get(client, PAGE["en"]).content.decode()
    assert ">Anna</a>" in page and ">Ana</a>" not in page and 'data-count="1"' in page


def test_each_request_gets_a_fresh_token_in_the_kept_menu(site_tree):
    client = _signed_in(UserFactory())
    tokens = {TOKEN.search(_get(client, PAGE["en"]).content.decode()).group(1) for _ in range(3)}
    # Masked anew each time (Django's tokens), from the reader's own secret.
    assert len(tokens) == 3
    assert "velkommenCsrfTokenSlot" not in "".join(tokens)


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/pdf", b"%PDF-1.7\n\xff\xfe\x00binary"),
        ("application/json", b'{"free": 3}'),
        ("text/calendar; charset=utf-8", "BEGIN:VCALENDAR\r\nSUMMARY:Møte\r\n".encode()),
    ],
)
def test_what_is_not_a_page_passes_untouched(rf, content_type, body):
    from django.http import HttpResponse

    from cms.middleware import ReaderPageCacheMiddleware

    request = rf.get("/en/somewhere/file")
    request.user = UserFactory()
    sent = HttpResponse(body, content_type=content_type)
    middleware = ReaderPageCacheMiddleware(lambda request: sent)
    response = middleware(request)
    assert response is sent and response.content == body
    assert "X-Page-Cache" not in response
