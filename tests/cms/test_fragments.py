"""Signed-in readers get pages built from cached parts: never stale, never someone else's.

Run on the local-memory cache, and on Redis when REDIS_URL is set (the ``redis``
parameter is skipped otherwise).
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import PageViewRestriction

from cms.fragments import fragment_get_or_build, fragment_purge
from cms.models import InformationPage, SiteContact
from onboarding.live.models import Notification
from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)
from tests.factories import StaffFactory, UserFactory

# Every test runs on local memory, and on Redis when REDIS_URL is set (tests/caches.py).
pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

NB_PAGE = "/nb/ankomst-og-bolig/"
EN_PAGE = "/en/arrival-and-housing/"


@pytest.fixture
def reader(client, site_tree):
    client.force_login(UserFactory(first_name="Ana"))
    return client


def _read(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_publishing_shows_the_new_body_in_both_languages(reader):
    assert "Arrival and housing." in _read(reader, EN_PAGE)
    assert "Ankomst og bolig." in _read(reader, NB_PAGE)
    page = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    _publish(page, intro_nb="Ny innledning.", intro_en="New introduction.")
    english, norwegian = _read(reader, EN_PAGE), _read(reader, NB_PAGE)
    assert "New introduction." in english and "Arrival and housing." not in english
    assert "Ny innledning." in norwegian and "Ankomst og bolig." not in norwegian


def test_a_new_title_reaches_the_parent_page_in_both_languages(reader):
    _read(reader, EN_PAGE), _read(reader, NB_PAGE), _read(reader, "/en/"), _read(reader, "/nb/")
    page = InformationPage.objects.get(slug_nb="oppholdstillatelse")
    _publish(page, title_nb="Opphold og visum", title_en="Stay and visa")
    for path, old, new in (
        (EN_PAGE, "Residence permit", "Stay and visa"),
        (NB_PAGE, "Oppholdstillatelse", "Opphold og visum"),
    ):
        page = _read(reader, path)  # the parent lists it "In this section"
        assert f">{new}</a>" in page and f">{old}</a>" not in page


def test_unpublishing_takes_a_page_out_of_the_menu(reader):
    assert ">Go abroad</a>" in _read(reader, EN_PAGE)
    InformationPage.objects.get(slug_nb="utveksling").unpublish()
    assert ">Go abroad</a>" not in _read(reader, EN_PAGE)
    assert ">Utveksling</a>" not in _read(reader, NB_PAGE)


def test_the_footer_follows_the_contact_settings(reader, site_tree):
    _read(reader, EN_PAGE)
    contact = SiteContact.for_site(site_tree["site"])
    assert isinstance(contact, BaseSiteSetting)
    contact.email = "new-desk@velkommen.test"
    contact.save()
    assert "new-desk@velkommen.test" in _read(reader, EN_PAGE)
    assert "new-desk@velkommen.test" in _read(reader, NB_PAGE)


def test_the_languages_never_share_a_part(reader):
    norwegian = _read(reader, NB_PAGE)
    english = _read(reader, EN_PAGE)
    assert "Before you come" in english and "Før du kommer" not in english
    assert "Før du kommer" in norwegian and "Before you come" not in norwegian


def test_each_reader_sees_only_their_own_badge_and_admin_link(client, site_tree):
    ana, ola = UserFactory(first_name="Ana"), StaffFactory(first_name="Ola")
    for _ in range(3):
        Notification.objects.create(
            recipient=ana, kind="test", language="en", subject="Hi", created_at=timezone.now()
        )
    client.force_login(ana)
    page = _read(client, EN_PAGE)
    assert 'data-count="3"' in page and ">Ana</a>" in page and 'href="/admin/"' not in page
    client.force_login(ola)
    page = _read(client, EN_PAGE)
    assert 'data-count="0"' in page and ">Ola</a>" in page and "Ana" not in page
    assert 'href="/admin/"' in page


def test_the_admin_link_shows_for_a_group_that_may_open_the_admin(client, site_tree):
    editor = UserFactory()
    group = Group.objects.create(name="Page editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    assert 'href="/admin/"' in _read(client, EN_PAGE)


def test_every_reader_gets_their_own_csrf_token(client, site_tree):
    tokens = []
    for name in ("Ana", "Ola"):
        client.force_login(UserFactory(first_name=name))
        page = _read(client, EN_PAGE)
        tokens.append(page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        client.logout()
        client.cookies.clear()
    assert tokens[0] != tokens[1]


def test_a_part_holding_a_csrf_token_is_never_stored(rf):
    template = Template(
        '{% load fragment_tags %}{% sharedpart "form_test" %}'
        '<form method="post">{% csrf_token %}</form>{% endsharedpart %}'
    )
    from django.middleware.csrf import get_token

    rendered = []
    for _ in range(2):
        request = rf.get("/en/")
        rendered.append(
            template.render(Context({"request": request, "csrf_token": get_token(request)}))
        )
    assert rendered[0] != rendered[1]


def test_a_restricted_page_is_never_shown_to_those_it_is_not_for(client, site_tree):
    page = InformationPage.objects.get(slug_nb="utveksling")
    group = Group.objects.create(name="Outgoing students")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    member = UserFactory()
    member.groups.add(group)
    client.force_login(member)
    assert "Before you leave" in _read(client, "/en/go-abroad/")
    client.force_login(UserFactory())
    response = client.get("/en/go-abroad/")
    assert response.status_code in (302, 403)
    assert "Before you leave" not in response.content.decode()


def test_a_purged_part_is_built_again():
    calls = []

    def build():
        calls.append(1)
        return ["value"]

    for _ in range(2):
        assert fragment_get_or_build("test_part", 1, build=build, depends_on=("tests",)) == [
            "value"
        ]
    fragment_purge("tests")
    fragment_get_or_build("test_part", 1, build=build, depends_on=("tests",))
    assert len(calls) == 2


# --- Queries ----------------------------------------------------------------------------------


def _queries(client, path):
    client.get(path)  # the first reader fills the parts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_a_signed_in_information_page_costs_two_queries(reader):
    # The user and the reader's header (unread notifications and the admin link in one);
    # the rest of the page comes from the reader page cache (cms.middleware), with the
    # reader's own menu put in. (The test settings keep sessions without a query.)
    assert _queries(reader, "/en/arrival-and-housing/residence-permit/") == 2


def test_a_signed_in_home_page_costs_two_queries(reader):
    assert _queries(reader, "/en/") == 2


def test_without_the_reader_page_cache_a_signed_in_page_costs_three_queries(reader, settings):
    # The page itself (its route and its lack of view restrictions are remembered) on top;
    # the body, the menu and the footer come from the cached parts.
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "cms.middleware.ReaderPageCacheMiddleware"
    ]
    assert _queries(reader, "/en/arrival-and-housing/residence-permit/") == 3
    assert _queries(reader, "/en/") == 3


def test_a_preview_shows_the_draft_and_leaves_the_cache_alone(reader):
    assert "Arrival and housing." in _read(reader, EN_PAGE)
    page = InformationPage.objects.get(slug_nb="ankomst-og-bolig")
    for draft in ("A first draft.", "A second draft."):
        page.intro_en = draft
        page.save_revision()
        with translation.override("en"):
            preview = page.make_preview_request()
        preview.render()
        assert draft in preview.content.decode()
    english = _read(reader, EN_PAGE)
    assert "Arrival and housing." in english and "draft" not in english
