"""The translated page form: a slug already in use is explained beside the title, translated."""

import pytest

from cms.models import InformationPage

from .test_admin_views import add_path, editor_client, new_page_form

pytestmark = pytest.mark.django_db

IN_USE = {
    "nb": "Adressen «{slug}» ({language}) brukes allerede av siden «{title}» på samme sted.",
    "en": "The address “{slug}” ({language}) is already used by the page “{title}” in the same",
}
LANGUAGE = {"nb": {"nb": "norsk", "en": "engelsk"}, "en": {"nb": "Norwegian", "en": "English"}}
TITLE = {"nb": "Studentdemokratiet", "en": "Student democracy"}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_slug_in_use_is_named_beside_the_title(client, site_tree, language):
    client = editor_client(client, language)
    before = InformationPage.objects.count()
    data = new_page_form("Studentdemokratiet", "Student democracy")

    response = client.post(add_path(site_tree["home"]), {**data, "action-publish": "1"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    for field_language, slug in (("nb", "studentdemokratiet"), ("en", "student-democracy")):
        expected = IN_USE[language].format(
            slug=slug, language=LANGUAGE[language][field_language], title=TITLE[language]
        )
        assert errors[f"title_{field_language}"][0].startswith(expected)
        assert errors[f"slug_{field_language}"] == errors[f"title_{field_language}"]
    assert InformationPage.objects.count() == before
