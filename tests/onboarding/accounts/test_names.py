"""Names: the preferred name is what people are called; the email stands in when none is known."""

import pytest

from onboarding.accounts.services import AccountError, user_update_preferences
from tests.factories import UserFactory

from .conftest import url

pytestmark = pytest.mark.django_db


# The user


def test_the_preferred_name_replaces_the_given_name_where_people_are_addressed():
    person = UserFactory.build(first_name="Kyung-min", last_name="Park", preferred_name="Kim")
    assert (person.get_short_name(), person.display_name) == ("Kim", "Kim Park")
    assert person.legal_name == "Kyung-min Park"
    assert person.goes_by_another_name


def test_without_a_preferred_name_the_given_name_is_used():
    person = UserFactory.build(first_name="Kari", last_name="Nordmann", preferred_name="")
    assert (person.get_short_name(), person.display_name) == ("Kari", "Kari Nordmann")
    assert not person.goes_by_another_name


def test_a_person_without_names_is_shown_by_their_email():
    person = UserFactory.build(email="old@example.org", first_name="", last_name="")
    assert (person.get_short_name(), person.display_name) == ("", "old@example.org")


# The preferences page and its service


def test_service_sets_the_preferred_name_and_leaves_it_when_not_given(nb_user):
    user_update_preferences(
        user=nb_user, language="nb", first_name="Kari", last_name="N", preferred_name=" Kiki "
    )
    nb_user.refresh_from_db()
    assert nb_user.preferred_name == "Kiki"
    user_update_preferences(user=nb_user, language="en", first_name="Kari", last_name="N")
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.preferred_name) == ("en", "Kiki")


def test_service_refuses_a_preferred_name_that_is_too_long(nb_user):
    with pytest.raises(AccountError) as error:
        user_update_preferences(
            user=nb_user, language="en", first_name="Kari", last_name="", preferred_name="K" * 151
        )
    assert (error.value.code, error.value.field) == ("name_too_long", "preferred_name")
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.preferred_name) == ("nb", "")


@pytest.mark.parametrize(
    ("language", "label"),
    [("nb", "Foretrukket navn (valgfritt)"), ("en", "Preferred name (optional)")],
)
def test_preferences_page_shows_and_saves_the_preferred_name(client, nb_user, language, label):
    nb_user.preferred_name = "Kiki"
    nb_user.save()
    client.force_login(nb_user)
    html = client.get(url("account_preferences", language)).content.decode()
    assert f">{label}:</label>" in html
    assert 'value="Kiki"' in html
    response = client.post(
        url("account_preferences", language),
        {"language": language, "first_name": "Kari", "last_name": "N", "preferred_name": "KN"},
    )
    assert response.status_code == 302
    nb_user.refresh_from_db()
    assert nb_user.preferred_name == "KN"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_preferred_name_that_is_too_long_is_refused_on_the_page(client, nb_user, language):
    client.force_login(nb_user)
    response = client.post(
        url("account_preferences", language),
        {"language": "en", "first_name": "Kari", "last_name": "", "preferred_name": "K" * 151},
    )
    assert response.status_code == 200
    message = {"nb": "Bruk høyst 150 tegn.", "en": "Use at most 150 characters."}[language]
    assert message in response.content.decode()
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.preferred_name) == ("nb", "")


# The header


def _account_link(html):
    start = html.index('<nav class="account-menu"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_header_calls_the_person_by_their_preferred_name_or_else_the_email(client, language):
    person = UserFactory(email="kim@example.org", first_name="Kyung-min", preferred_name="Kim")
    client.force_login(person)
    menu = _account_link(client.get(url("account_preferences", language)).content.decode())
    assert ">Kim</a>" in menu
    assert "kim@example.org" not in menu
    client.force_login(UserFactory(email="old@example.org", first_name="", last_name=""))
    menu = _account_link(client.get(url("account_preferences", language)).content.decode())
    assert ">old@example.org</a>" in menu


@pytest.mark.parametrize(
    ("language", "text"),
    [("nb", "Vi vet ikke hva du heter ennå."), ("en", "We do not know your name yet.")],
)
def test_the_profile_asks_a_person_without_a_name_to_give_it(client, tree, language, text):
    nameless = UserFactory(first_name="", last_name="")
    client.force_login(nameless)
    html = client.get(url("profile_edit", language)).content.decode()
    assert text in html
    assert f'href="{url("account_preferences", language)}"' in html
    client.force_login(UserFactory(first_name="Kari", last_name="Nordmann"))
    assert text not in client.get(url("profile_edit", language)).content.decode()
