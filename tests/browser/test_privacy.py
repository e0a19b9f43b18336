"""A person's privacy in Chromium: the notice, their data, and deleting their account; axe on each."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.accounts.models import User
from tests.factories import PASSWORD, UserFactory

from .helpers import assert_no_axe_violations, db_access, sign_in

pytestmark = pytest.mark.browser


def _path(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            {
                "data": "Your data",
                "delete": "Delete account",
                "button": "Delete my account",
                "password": "Your password",
            },
        ),
        (
            "nb",
            {
                "data": "Dine data",
                "delete": "Slett kontoen",
                "button": "Slett kontoen min",
                "password": "Passordet ditt",
            },
        ),
    ],
)
def test_a_person_reads_the_notice_sees_their_data_and_deletes_their_account(
    site_tree, asgi_server, page, language, labels
):
    with db_access():
        person = UserFactory(language=language)
    page.goto(_path("privacy:notice", language))
    assert_no_axe_violations(page)

    sign_in(page, asgi_server, person)
    page.goto(_path("privacy:my_data", language))
    expect(page.get_by_role("heading", level=1, name=labels["data"])).to_be_visible()
    expect(page.get_by_text(person.email).first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=labels["delete"], exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_label(labels["password"]).fill(PASSWORD)
    page.locator("input[name='confirm']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=labels["button"]).click()
    assert page.url.rstrip("/").endswith(f"/{language}")
    with db_access():
        assert not User.objects.get(pk=person.pk).is_active
