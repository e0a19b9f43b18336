"""My connections: the followed units' upcoming events and what they published last."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.activities.services import event_cancel
from onboarding.units.services import follow_create
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create, series_create

pytestmark = pytest.mark.django_db


def _connections(client, language):
    with translation.override(language):
        url = reverse("unit_connections")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _url(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def student(client, tree):
    student = UserFactory()
    follow_create(user=student, unit=tree["choir"])
    client.force_login(student)
    return student


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("nb", "Kommende arrangementer fra enhetene du følger"),
        ("en", "Upcoming events from the units you follow"),
    ],
)
def test_the_followed_units_upcoming_events_are_shown_soonest_first(
    client, tree, student, language, heading
):
    now = timezone.now()
    later = event_create(tree["choir"], title_nb="Korøvelse", title_en="Choir rehearsal")
    series = series_create(tree["choir"], title_nb="Korhelg", title_en="Choir weekend")
    sooner = event_create(
        series,
        title_nb="Konsert",
        title_en="Concert",
        start_at=now + timedelta(days=1),
    )
    html = _connections(client, language)
    assert heading in html
    assert _url(later, language) in html
    assert _url(sooner, language) in html
    assert html.index(_url(sooner, language)) < html.index(_url(later, language))
    title = "Konsert" if language == "nb" else "Concert"
    assert title in html


def test_events_of_units_not_followed_past_and_cancelled_ones_are_left_out(client, tree, student):
    now = timezone.now()
    elsewhere = event_create(tree["buddies"], title_en="Buddy dinner")
    past = event_create(
        tree["choir"],
        title_en="Last year's concert",
        start_at=now - timedelta(days=3),
        end_at=now - timedelta(days=3) + timedelta(hours=2),
    )
    cancelled = event_create(tree["choir"], title_en="Cancelled rehearsal")
    event_cancel(event=cancelled, by=UserFactory(is_superuser=True), reason_en="Ill")
    events = _connections(client, "en").split("News from the units you follow", 1)[0]
    for event in (elsewhere, past, cancelled):
        assert _url(event, "en") not in events
    assert "The units you follow have no upcoming events." in events


@pytest.mark.parametrize(
    ("language", "heading", "published"),
    [
        ("nb", "Nytt fra enhetene du følger", "Publisert"),
        ("en", "News from the units you follow", "Published"),
    ],
)
def test_news_lists_what_the_followed_units_published_last_newest_first(
    client, tree, student, language, heading, published
):
    older = series_create(tree["choir"], title_nb="Vårsemester", title_en="Spring term")
    newer = event_create(tree["choir"], title_nb="Opptak", title_en="Auditions")
    not_followed = event_create(tree["buddies"], title_en="Buddy quiz")
    html = _connections(client, language)
    news = html[html.index(heading) :]
    assert _url(newer, language) in news
    assert _url(older, language) in news
    assert news.index(_url(newer, language)) < news.index(_url(older, language))
    assert _url(not_followed, language) not in html
    assert published in news


def test_news_says_a_republished_page_was_updated(client, tree, student):
    event = event_create(tree["choir"], title_en="Rehearsal")
    event.first_published_at = timezone.now() - timedelta(days=2)
    event.save(update_fields=["first_published_at"])
    event.save_revision().publish()
    news = _connections(client, "en").split("News from the units you follow", 1)[1]
    assert "Updated" in news


def test_news_leaves_out_the_units_own_pages_and_private_pages(client, tree, student):
    from wagtail.models import PageViewRestriction

    hidden = event_create(tree["choir"], title_en="Members only")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    html = _connections(client, "en")
    assert _url(hidden, "en") not in html
    assert "The units you follow have not published anything yet." in html


def test_without_follows_there_are_no_event_or_news_sections(client, tree):
    client.force_login(UserFactory())
    html = _connections(client, "en")
    assert "Upcoming events from the units you follow" not in html
    assert "News from the units you follow" not in html
