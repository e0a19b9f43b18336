"""What the site does with addresses and ids a person can write: ``next``, ids in URLs and
forms, the StreamField copy view, caching of what signed-in people see, and how refusals are
logged."""

import json
import logging
import sys

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from cms.admin_views import copy_translation_content
from onboarding.http import local_path, parse_id
from onboarding.live.services import notify
from onboarding.log import RefusalsOnOneLine
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import directory_create, mfa_enable, unit_create

pytestmark = pytest.mark.django_db


def url(name, language="en", *args):
    with translation.override(language):
        return reverse(name, args=args)


# --- next ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/en/events/", "/en/events/"),
        ("/nb/profil/?x=1#y", "/nb/profil/?x=1#y"),
        ("abc", ""),
        ("live:notification_list", ""),
        ("?next=/", ""),
        ("//evil.example/", ""),
        ("/\\evil.example/", ""),
        ("https://evil.example/", ""),
        ("http://testserver/en/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_a_path_on_this_site_is_followed(candidate, expected):
    request = RequestFactory().get("/")
    assert local_path(candidate, request) == expected


@pytest.mark.parametrize("name", ["notification_read_all", "notification_read"])
def test_marking_read_with_a_next_that_is_no_path_goes_back_to_the_list(client, name):
    user = UserFactory(language="en")
    notification = notify(
        recipients=[user],
        kind="event_changed",
        context={"event_title": "Quiz"},
        url="/en/",
        email=False,
    )[0]
    client.force_login(user)
    args = (notification.pk,) if name == "notification_read" else ()
    response = client.post(url(f"live:{name}", "en", *args), {"next": "abc"})
    assert (response.status_code, response.url) == (302, url("live:notification_list"))
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("action", ["unit_follow", "unit_unfollow"])
def test_following_with_a_next_that_is_no_path_goes_to_the_unit(client, site_tree, action):
    directory = directory_create(site_tree["home"])
    unit = unit_create(directory, kind=UnitKind.FACULTY, name_nb="Fakultet", name_en="Faculty")
    client.force_login(UserFactory(language="en"))
    response = client.post(url(action, "en", unit.pk), {"next": "abc"})
    assert response.status_code == 302
    assert response.url == unit.get_url()


# --- ids -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("0", 0),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
        ("abc", None),
        ("-1", None),
        ("1e3", None),
        (" 4", None),
        ("٤", None),
        ("", None),
        (None, None),
        (4, None),
    ],
)
def test_an_id_from_a_form_is_digits_that_fit_the_database(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/en/notifications/99999999999999999999999/",
        "/en/events/99999999999999999999999/check-in/",
        "/en/events/18446744073709551616/ticket/",
    ],
)
def test_an_id_too_long_for_the_database_is_not_found(client, path):
    client.force_login(UserFactory(language="en"))
    assert client.get(path).status_code == 404


# --- The StreamField copy view ---------------------------------------------------------


def _copy_request(page, origin="body_nb", target="body_en", serialized=None):
    if serialized is None:
        serialized = [{"name": f"{origin}-count", "value": "0"}]
    return (
        f"/admin/pages/{page.pk}/edit/copy_translation_content/",
        {
            "origin_field_name": origin,
            "target_field_name": target,
            "serializedOriginField": json.dumps(serialized),
        },
    )


@pytest.fixture
def info_page(site_tree):
    return site_tree["home"].get_children().live().first().specific


def test_copying_between_languages_renders_the_other_field(client, info_page, admin_user):
    client.force_login(mfa_enable(admin_user))
    path, data = _copy_request(info_page)
    response = client.post(path, data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert 'id="body_en"' in json.loads(response.content)


def test_the_copy_view_checks_the_csrf_token(info_page, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mfa_enable(admin_user))
    path, data = _copy_request(info_page)
    assert client.post(path, data).status_code == 403


def test_the_copy_view_needs_permission_to_edit_the_page(client, site_tree, info_page):
    directory = directory_create(site_tree["home"])
    faculty = unit_create(directory, kind=UnitKind.FACULTY, name_nb="Fakultet", name_en="Faculty")
    editor = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=faculty, user=editor)
    client.force_login(editor)
    path, data = _copy_request(info_page)
    response = client.post(path, data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("origin", "target", "serialized"),
    [
        ("body_nb", "body_nb", None),
        ("intro_nb", "intro_en", None),
        ("body", "body_en", None),
        ("title_nb", "body_en", None),
        ("body_nb", "body_en", {"not": "a list"}),
        ("body_nb", "body_en", [1, 2]),
    ],
)
def test_the_copy_view_refuses_what_it_cannot_copy(
    client, info_page, admin_user, origin, target, serialized
):
    client.force_login(mfa_enable(admin_user))
    path, data = _copy_request(info_page, origin, target, serialized)
    assert client.post(path, data).status_code == 400


def test_the_copy_view_answers_only_posts_for_pages_that_exist(client, info_page, admin_user):
    client.force_login(mfa_enable(admin_user))
    path, data = _copy_request(info_page)
    assert client.get(path).status_code == 405
    request = RequestFactory().post(path, data)
    request.user = admin_user
    with pytest.raises(Http404):
        copy_translation_content(request, 987654)


# --- Caching ---------------------------------------------------------------------------


def test_what_a_signed_in_person_sees_is_private_and_not_stored(client, site_tree):
    client.force_login(UserFactory(language="en"))
    for path in ("/en/", url("profile_edit"), url("live:notification_list"), url("search")):
        response = client.get(path)
        assert response.status_code == 200, path
        cache_control = response.headers.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, path
        assert "public" not in cache_control, path


def test_anonymous_pages_stay_cacheable(client, site_tree):
    response = client.get("/en/")
    assert "no-store" not in response.headers.get("Cache-Control", "")


# --- Logging ---------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "keeps_traceback"), [(403, False), (404, False), (500, True)])
def test_the_filter_keeps_tracebacks_only_for_server_errors(status, keeps_traceback):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.WARNING, "", 0, "x", (), sys.exc_info()
        )
    record.status_code = status
    assert RefusalsOnOneLine().filter(record) is True
    assert (record.exc_info is not None) is keeps_traceback
