"""The privacy notice: generated from the register, in both languages, linked from sign-up and
the footer."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from onboarding.exchange.models import StudentProgramme
from onboarding.hooks import PERSONAL_DATA
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose, personal_data_register
from onboarding.privacy.selectors import privacy_notice

pytestmark = pytest.mark.django_db


def url(name, language):
    with translation.override(language):
        return reverse(name)


def test_every_purpose_in_the_register_is_in_the_notice():
    with translation.override("en"):
        notice = privacy_notice()
    assert {p.code for p in notice} == {e.purpose for e in personal_data_register()}
    (events,) = [p for p in notice if p.code == Purpose.EVENTS]
    assert "signups" in [m.title for m in events.models]


def test_a_model_added_to_the_register_appears_in_the_notice():
    class Diary(StudentProgramme):
        class Meta:
            app_label = "privacy"
            verbose_name_plural = "travel diaries"

    entry = PersonalData(
        model=Diary,
        subjects=("user",),
        fields=("programme", "semester"),
        other_fields=("id", "studentprogramme_ptr"),
        purpose=Purpose.BUDDIES,
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
    )
    try:
        with (
            translation.override("en"),
            hooks.register_temporarily(PERSONAL_DATA, lambda: [entry]),
        ):
            (buddies,) = [p for p in privacy_notice() if p.code == Purpose.BUDDIES]
        assert "travel diaries" in [m.title for m in buddies.models]
        assert str(LegalBasis.LEGAL_OBLIGATION.label) in buddies.legal_bases
    finally:
        from django.apps import apps

        del apps.all_models["privacy"]["diary"]
        apps.clear_cache()


@pytest.mark.parametrize(
    ("language", "heading", "purpose", "basis"),
    [
        ("en", "Privacy notice", "The buddy programme", "Your consent"),
        ("nb", "Personvernerklæring", "Fadderordningen", "Samtykket ditt"),
    ],
)
def test_the_notice_in_both_languages(client, site_tree, language, heading, purpose, basis):
    response = client.get(url("privacy:notice", language))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert purpose in page
    assert basis in page


@pytest.mark.parametrize("language", ["en", "nb"])
def test_sign_up_and_the_footer_link_to_it(client, site_tree, language):
    notice = url("privacy:notice", language)
    assert f'href="{notice}"' in client.get(url("account_signup", language)).content.decode()
    assert f'href="{notice}"' in client.get(f"/{language}/").content.decode()
