"""Who stands in an election, for the body's editors in the admin: by seat, with the seats,
in the editor's language; refused to others; linked from the election's header and from the
notification the editors get."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from onboarding.democracy.services import candidacy_create
from tests.factories import UserFactory
from tests.onboarding.democracy.builders import election_make
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db

HEADING = {"nb": "Kandidaturer", "en": "Candidacies"}
NOBODY = {
    "nb": "Ingen stiller til disse plassene ennå.",
    "en": "Nobody stands for these seats yet.",
}


def login(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(mfa_enable(user))


def stand(election, *, seat_type, statement="Jeg vil bidra.", language="nb"):
    return candidacy_create(
        election=election,
        user=UserFactory(),
        statement=statement,
        statement_language=language,
        group="Fysikk",
        seat_type=seat_type,
    )


def candidacies_url(election):
    return reverse("democracy_admin:candidacies", args=[election.pk])


@pytest.fixture
def election(tree):
    return election_make(
        tree["council_a"], opens=timezone.now() - timedelta(days=1), international_seats=2
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_bodys_editor_sees_who_stands_by_seat(client, tree, election, language):
    first = stand(election, seat_type="international", statement="Bedre bolig.")
    second = stand(election, seat_type="international", statement="Better housing.", language="en")
    login(client, tree["council_editor"], language)

    response = client.get(candidacies_url(election))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert HEADING[language] in soup.find("h1").get_text()
    international = soup.find("table", attrs={"data-seat": "international"})
    rows = international.find("tbody").find_all("tr")
    assert [row.find_all("td")[2].get_text(strip=True) for row in rows] == [
        "Bedre bolig.",
        "Better housing.",
    ]
    assert rows[1].find_all("td")[2]["lang"] == "en"
    assert first.user.email in rows[0].get_text() and second.user.email in rows[1].get_text()
    assert soup.find("table", attrs={"data-seat": "ordinary"}) is None
    assert NOBODY[language] in soup.get_text()
    assert "7" in soup.find(id="seat-ordinary").get_text()  # nine seats, two reserved


def test_an_editor_of_another_body_is_refused(client, tree, election):
    login(client, tree["parliament_editor"], "en")

    response = client.get(candidacies_url(election))

    assert response.status_code in (302, 403)
    assert b"Better housing" not in response.content


def test_the_elections_header_and_the_editors_notification_link_to_the_list(client, tree, election):
    login(client, tree["council_editor"], "en")

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[election.pk])).content.decode()

    assert candidacies_url(election) in edit
