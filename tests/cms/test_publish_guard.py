"""Publishing a half-translated page is refused, unless it is marked as written in one language."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from wagtail.test.utils.form_data import streamfield

from cms.models import InformationPage
from tests.cms.admin_forms import information_page_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, site_tree):
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    return client


def _form(page, **overrides):
    fields = ("title_nb", "title_en", "slug_nb", "slug_en", "intro_nb", "intro_en")
    return information_page_form({field: getattr(page, field) for field in fields}, **overrides)


def _edit(client, page, data, publish):
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


@pytest.fixture
def page(site_tree):
    return InformationPage.objects.get(slug_nb="studentdemokratiet")


def test_publishing_with_an_empty_english_intro_is_refused(editor_client, page):
    before = page.live_revision_id
    response = _edit(editor_client, page, _form(page, intro_en=""), publish=True)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "intro_en" in errors
    assert "before publishing" in errors["intro_en"][0]
    page.refresh_from_db()
    assert page.live_revision_id == before
    assert page.intro_en


def test_publishing_with_an_empty_norwegian_body_is_refused(editor_client, page):
    response = _edit(editor_client, page, _form(page, body_nb=streamfield([])), publish=True)
    assert "body_nb" in response.context["form"].errors


def test_a_draft_may_be_half_translated(editor_client, page):
    response = _edit(editor_client, page, _form(page, intro_en=""), publish=False)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().intro_en == ""
    assert page.intro_en  # the live version is untouched


def test_a_page_marked_norwegian_only_publishes_without_english(editor_client, page):
    data = _form(
        page, single_language="nb", title_en="", intro_en="", body_en=streamfield([]), slug_en=""
    )
    response = _edit(editor_client, page, data, publish=True)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.single_language == "nb"
    assert page.intro_en in ("", None)


def test_a_complete_page_publishes(editor_client, page):
    response = _edit(editor_client, page, _form(page, intro_en="New intro"), publish=True)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.intro_en == "New intro"
