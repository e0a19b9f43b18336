"""The notification centre and preferences pages, in both languages and for each role."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.live.models import Notification, NotificationPreference
from onboarding.live.selectors import preference_channels
from onboarding.live.services import notify
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
TITLE = {"nb": "Fadderuke", "en": "Buddy week"}
HEADING = {"nb": "<h1>Varsler</h1>", "en": "<h1>Notifications</h1>"}
SETTINGS_HEADING = {"nb": "<h1>Varselinnstillinger</h1>", "en": "<h1>Notification settings</h1>"}


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"live:{name}", kwargs=kwargs or None)


def notify_changed(user, title=TITLE, link=""):
    return notify(
        recipients=[user],
        kind="event_changed",
        context={"event_title": title},
        url=link,
        email=False,
    )[0]


@pytest.fixture
def owner(db):
    return UserFactory(language="en")


@pytest.fixture
def other(db):
    return UserFactory(language="nb")


@pytest.fixture
def staff(db):
    return StaffFactory()


# --- Addresses --------------------------------------------------------------------------


def test_the_centre_has_a_translated_address():
    assert url("notification_list", "nb") == "/nb/varsler/"
    assert url("notification_list", "en") == "/en/notifications/"
    assert url("preferences", "nb") == "/nb/varsler/innstillinger/"
    assert url("preferences", "en") == "/en/notifications/preferences/"


# --- Who may see what -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["notification_list", "preferences"])
def test_anonymous_visitors_are_sent_to_log_in(client, name, language):
    response = client.get(url(name, language))

    assert response.status_code == 302
    assert f"/{language}/" in response["Location"]
    assert "next=" in response["Location"]


def test_anonymous_visitors_get_no_unread_count(client):
    response = client.get(url("unread_count", "en"))

    assert response.status_code == 401
    assert response.json() == {"error": "not_authenticated"}


@pytest.mark.parametrize("role", ["anonymous", "other", "staff"])
def test_only_the_recipient_may_open_a_notification(client, owner, other, staff, role):
    notification = notify_changed(owner, link="/en/")
    if role != "anonymous":
        client.force_login({"other": other, "staff": staff}[role])

    response = client.get(url("notification_open", "en", pk=notification.pk))

    assert response.status_code == (302 if role == "anonymous" else 404)
    if role == "anonymous":
        assert "next=" in response["Location"]
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("role", ["anonymous", "other", "staff"])
def test_only_the_recipient_may_mark_a_notification_read(client, owner, other, staff, role):
    notification = notify_changed(owner)
    if role != "anonymous":
        client.force_login({"other": other, "staff": staff}[role])

    response = client.post(url("notification_read", "en", pk=notification.pk))

    assert response.status_code == (302 if role == "anonymous" else 404)
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("role", ["other", "staff"])
def test_the_list_shows_no_one_elses_notifications(client, owner, other, staff, role):
    notify_changed(owner, {"nb": "Hemmelig", "en": "Secret"})
    client.force_login({"other": other, "staff": staff}[role])

    response = client.get(url("notification_list", "en"))

    assert response.status_code == 200
    assert "Secret" not in response.content.decode()
    assert "Hemmelig" not in response.content.decode()


def test_mark_all_read_touches_only_ones_own(client, owner, other):
    notify_changed(owner)
    notify_changed(other)
    client.force_login(other)

    client.post(url("notification_read_all", "en"))

    assert Notification.objects.get(recipient=owner).read_at is None
    assert Notification.objects.get(recipient=other).read_at is not None


# --- The centre -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_centre_lists_newest_first_in_the_page_language(client, owner, language):
    notify_changed(owner, {"nb": "Først", "en": "First"})
    notify_changed(owner, {"nb": "Sist", "en": "Last"})
    client.force_login(owner)

    response = client.get(url("notification_list", language))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert HEADING[language] in html
    # The notifications themselves are in the reader's language (English).
    assert html.index("Last has changed") < html.index("First has changed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_centre_marks_notifications_in_another_language_than_the_page(client, owner, language):
    notify_changed(owner)  # stored in English, the reader's language
    client.force_login(owner)

    html = client.get(url("notification_list", language)).content.decode()

    subject = re.search(r"<span( lang=\"en\")?>Buddy week has changed", html)
    body = re.search(r'<div class="notification__body"( lang="en")?>', html)
    expected = ' lang="en"' if language == "nb" else None
    assert subject.group(1) == expected
    assert body.group(1) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_centres_times_are_valid_datetimes_without_microseconds(client, owner, language):
    moment = timezone.now().replace(microsecond=123456)
    notification = notify_changed(owner)
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)
    client.force_login(owner)

    html = client.get(url("notification_list", language)).content.decode()

    value = re.search(r'<time datetime="([^"]+)"', html).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value)
    assert datetime.fromisoformat(value) == moment.replace(microsecond=0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_centre_says_when_there_is_nothing(client, owner, language):
    client.force_login(owner)

    html = client.get(url("notification_list", language)).content.decode()

    expected = {"nb": "Du har ingen varsler ennå.", "en": "You have no notifications yet."}
    assert expected[language] in html


def test_the_centre_pages_twenty_at_a_time(client, owner):
    for number in range(25):
        notify_changed(owner, {"nb": f"E{number:02}", "en": f"E{number:02}"})
    client.force_login(owner)

    first = client.get(url("notification_list", "en")).content.decode()
    second = client.get(url("notification_list", "en") + "?page=2").content.decode()

    assert first.count('class="notification card') == 20
    assert second.count('class="notification card') == 5
    assert "E24 has changed" in first and "E00 has changed" in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_unread_filter_shows_only_unread(client, owner):
    read = notify_changed(owner, {"nb": "Lest", "en": "Seen"})
    notify_changed(owner, {"nb": "Ny", "en": "Fresh"})
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(owner)

    html = client.get(url("notification_list", "en") + "?show=unread").content.decode()

    assert "Fresh has changed" in html
    assert "Seen has changed" not in html


def _list_queries(client, owner, count):
    for _number in range(count):
        notify_changed(owner)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("notification_list", "en")).status_code == 200
    return len(queries)


@pytest.mark.stack
def test_the_centres_queries_do_not_grow_with_its_rows(client, owner, other, staff):
    _list_queries(client, staff, 1)  # caches filled on the first request
    few = _list_queries(client, owner, 5)

    many = _list_queries(client, other, 50)

    assert many == few


def test_opening_marks_read_and_goes_to_what_it_is_about(client, owner):
    notification = notify_changed(owner, link={"nb": "/nb/", "en": "/en/"})
    client.force_login(owner)

    response = client.get(url("notification_open", "en", pk=notification.pk))

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_one_without_a_link_goes_back_to_it_in_the_list(client, owner):
    notification = notify_changed(owner)
    client.force_login(owner)

    response = client.get(url("notification_open", "en", pk=notification.pk))

    assert response["Location"] == f"/en/notifications/#notification-{notification.pk}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_marking_one_read_returns_to_the_list(client, owner, language):
    notification = notify_changed(owner)
    client.force_login(owner)
    back = url("notification_list", language) + "?page=1"

    response = client.post(
        url("notification_read", language, pk=notification.pk), {"next": back}, follow=True
    )

    assert response.redirect_chain[-1][0] == back
    expected = {"nb": "Varselet er merket som lest.", "en": "The notification is marked as read."}
    assert expected[language] in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_never_redirects_off_the_site(client, owner):
    notification = notify_changed(owner)
    client.force_login(owner)

    response = client.post(
        url("notification_read", "en", pk=notification.pk), {"next": "https://evil.example/"}
    )

    assert response["Location"] == "/en/notifications/"


def test_marking_read_needs_a_post(client, owner):
    notification = notify_changed(owner)
    client.force_login(owner)

    response = client.get(url("notification_read", "en", pk=notification.pk))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_mark_all_read(client, owner, language):
    notify_changed(owner)
    notify_changed(owner)
    client.force_login(owner)

    response = client.post(url("notification_read_all", language), follow=True)

    expected = {
        "nb": "2 varsler er merket som lest.",
        "en": "2 notifications are marked as read.",
    }
    assert expected[language] in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("language", "label"),
    [("nb", "Varsler, 2 uleste"), ("en", "Notifications, 2 unread")],
)
def test_the_unread_count_endpoint(client, owner, language, label):
    notify_changed(owner)
    notify_changed(owner)
    client.force_login(owner)

    response = client.get(url("unread_count", language))

    assert response.json() == {"unread": 2, "label": label}
    assert "no-store" in response["Cache-Control"]


# --- The header badge -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"),
    [("nb", "Varsler, 1 ulest"), ("en", "Notifications, 1 unread")],
)
def test_the_header_shows_the_unread_count(client, owner, language, label):
    notify_changed(owner)
    client.force_login(owner)

    html = client.get(url("preferences", language)).content.decode()

    assert label in html
    assert "data-live-badge-count>1</span>" in html
    assert f'data-unread-url="{url("unread_count", language)}"' in html
    assert 'aria-live="polite"' in html


def test_anonymous_visitors_have_no_badge(client, site_tree):
    html = client.get("/en/").content.decode()

    assert "data-live-badge" not in html
    assert "js/live.js" not in html


# --- Preferences ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_preferences_page_lists_every_kind(client, owner, language):
    client.force_login(owner)

    response = client.get(url("preferences", language))

    html = response.content.decode()
    assert response.status_code == 200
    assert SETTINGS_HEADING[language] in html
    for code in ["event_changed", "event_cancelled", "unit_new_event", "organiser_message"]:
        assert f'name="{code}"' in html
    label = {"nb": "Et arrangement du er påmeldt, er avlyst", "en": "is cancelled"}
    assert label[language] in html


def test_a_mandatory_kind_offers_no_off_choice(client, owner):
    client.force_login(owner)

    html = client.get(url("preferences", "en")).content.decode()

    assert 'name="event_changed" value="off"' in html
    assert 'name="event_cancelled" value="off"' not in html
    assert 'name="waitlist_place_given" value="off"' not in html


def test_the_current_choice_is_checked(client, owner):
    NotificationPreference.objects.create(user=owner, kind="event_changed", channel="digest")
    client.force_login(owner)

    html = client.get(url("preferences", "en")).content.decode()

    assert 'name="event_changed" value="digest" id="id_event_changed_2" checked' in html


def _choices(user, **overrides):
    """The preferences form as the page shows it to ``user`` (every registered kind)."""
    return {
        **{kind.code: channel for kind, channel in preference_channels(user=user)},
        **overrides,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_saving_preferences(client, owner, language):
    client.force_login(owner)

    response = client.post(
        url("preferences", language), _choices(owner, event_changed="off", unit_new_event="site")
    )

    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=owner).values_list("kind", "channel"))
    assert saved == {"event_changed": "off", "unit_new_event": "site"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_turning_off_a_mandatory_kind_is_refused(client, owner, language):
    client.force_login(owner)

    response = client.post(url("preferences", language), _choices(owner, event_cancelled="off"))

    assert response.status_code == 400
    assert 'id="id_event_cancelled-errors"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_unknown_channel_is_refused(client, owner):
    client.force_login(owner)

    response = client.post(url("preferences", "en"), _choices(owner, event_changed="pigeon"))

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()
