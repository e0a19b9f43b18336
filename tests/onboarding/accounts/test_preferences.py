"""The preferences page and its service: preferred language and name."""

import pytest
from django.contrib.auth import get_user_model

from onboarding.accounts.services import AccountError, user_update_preferences

from .conftest import url

pytestmark = pytest.mark.django_db


# The service


def test_service_changes_language_and_name(nb_user):
    user_update_preferences(user=nb_user, language="en", first_name=" Kari ", last_name="Nordmann")
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.first_name, nb_user.last_name) == ("en", "Kari", "Nordmann")


def test_service_refuses_a_language_the_site_does_not_offer(nb_user):
    with pytest.raises(AccountError) as error:
        user_update_preferences(user=nb_user, language="sv", first_name="Karin", last_name="X")
    assert error.value.code == "invalid_language"
    assert error.value.field == "language"
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.first_name) == ("nb", "Kari")


def test_service_refuses_a_name_that_is_too_long(nb_user):
    with pytest.raises(AccountError) as error:
        user_update_preferences(user=nb_user, language="en", first_name="K" * 151, last_name="")
    assert error.value.code == "name_too_long"
    nb_user.refresh_from_db()
    assert nb_user.language == "nb"


def test_service_message_is_translated(nb_user, settings):
    from django.utils import translation

    with pytest.raises(AccountError) as error:
        user_update_preferences(user=nb_user, language="xx", first_name="", last_name="")
    with translation.override("nb"):
        assert str(error.value.message) == "Velg et av språkene som tilbys."


# The page


def test_page_needs_login(client, db):
    response = client.get(url("account_preferences", "en"))
    assert response.status_code == 302
    assert response.url.startswith(url("account_login", "en"))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_page_shows_the_current_choice(client, nb_user, language):
    client.force_login(nb_user)
    html = client.get(url("account_preferences", language)).content.decode()
    assert 'value="nb" id="id_language_0" required checked' in html
    assert 'value="Kari"' in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_saving_changes_the_language_and_continues_in_it(client, nb_user, language):
    client.force_login(nb_user)
    response = client.post(
        url("account_preferences", language),
        {"language": "en", "first_name": "Kari", "last_name": "Nordmann"},
    )
    assert response.status_code == 302
    assert response.url == url("account_preferences", "en")
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.last_name) == ("en", "Nordmann")


def test_the_confirmation_is_in_the_chosen_language(client, en_user):
    client.force_login(en_user)
    page = client.post(
        url("account_preferences", "en"),
        {"language": "nb", "first_name": "Ana", "last_name": ""},
        follow=True,
    )
    assert "Innstillingene dine er lagret." in page.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("nb", "Velg et av språkene som tilbys."), ("en", "Choose one of the languages offered.")],
)
def test_a_bad_language_is_refused_with_a_translated_error(client, nb_user, language, message):
    client.force_login(nb_user)
    response = client.post(
        url("account_preferences", language),
        {"language": "de", "first_name": "Changed", "last_name": "Changed"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.first_name) == ("nb", "Kari")


def test_a_missing_language_is_refused(client, nb_user):
    client.force_login(nb_user)
    response = client.post(url("account_preferences", "en"), {"first_name": "X"})
    assert response.status_code == 200
    assert get_user_model().objects.get(pk=nb_user.pk).first_name == "Kari"


def test_one_person_cannot_change_another(client, nb_user, en_user):
    client.force_login(en_user)
    client.post(url("account_preferences", "en"), {"language": "en", "first_name": "Hacker"})
    nb_user.refresh_from_db()
    assert (nb_user.language, nb_user.first_name) == ("nb", "Kari")
