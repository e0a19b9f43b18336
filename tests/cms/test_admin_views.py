"""Creating a page in the admin: only Save draft or Publish creates it, never autosave."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils.text import slugify

from cms.models import InformationPage
from tests.cms.admin_forms import information_page_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAVE_FIRST = {
    "nb": "Lagre siden som utkast eller publiser den for å opprette den.",
    "en": "Save the page as a draft or publish it to create it.",
}


def editor_client(client, language):
    editor = UserFactory(is_staff=True, is_superuser=True, language=language)
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    return client


def new_page_form(title_nb, title_en, **overrides):
    fields = {
        "title_nb": title_nb,
        "title_en": title_en,
        "slug_nb": slugify(title_nb),
        "slug_en": slugify(title_en),
        "intro_nb": "Innledning.",
        "intro_en": "Introduction.",
    }
    return information_page_form(fields, **overrides)


def add_path(parent):
    return f"/admin/pages/add/cms/informationpage/{parent.pk}/"


def test_the_add_form_needs_admin_access_and_does_not_autosave(client, site_tree):
    path = add_path(site_tree["home"])
    assert client.get(path).status_code == 302  # to the login page
    html = editor_client(client, "en").get(path).content.decode()
    assert 'id="page-edit-form"' in html
    assert "w-unsaved w-autosave" not in html
    assert "data-w-autosave-interval-value" not in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_autosave_then_publish_makes_one_published_page(client, site_tree, language):
    """The HTTP sequence of a Publish clicked while autosave saves a new page's form."""
    client = editor_client(client, language)
    path = add_path(site_tree["home"])
    data = new_page_form("Boligguide", "Housing guide")
    before = InformationPage.objects.count()

    autosave = client.post(path, data, HTTP_ACCEPT="application/json")
    assert autosave.status_code == 400
    assert json.loads(autosave.content)["error_message"] == SAVE_FIRST[language]
    assert InformationPage.objects.count() == before

    published = client.post(path, {**data, "action-publish": "action-publish"})
    assert published.status_code == 302, published.context["form"].errors
    created = InformationPage.objects.get(slug_nb="boligguide")
    assert (created.live, created.slug_en) == (True, "housing-guide")
    assert InformationPage.objects.count() == before + 1
