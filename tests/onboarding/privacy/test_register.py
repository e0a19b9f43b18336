"""The personal-data register: every model that holds personal data is in it, with every field."""

import pytest
from django.db import models
from wagtail import hooks

from onboarding.accounts.models import StudentProfile, User
from onboarding.exchange.models import StudentProgramme
from onboarding.hooks import PERSONAL_DATA
from onboarding.live.models import Notification
from onboarding.privacy.register import (
    LegalBasis,
    PersonalData,
    Purpose,
    RegisterError,
    Retention,
    personal_data_register,
    unregistered_fields,
    unregistered_models,
)


def entry(model, **changes):
    values = {
        "model": model,
        "subjects": ("user",),
        "fields": (),
        "other_fields": ("id",),
        "purpose": Purpose.ACCOUNT,
        "legal_basis": LegalBasis.PUBLIC_TASK,
    }
    values.update(changes)
    return PersonalData(**values)


def entries_of(model):
    return [e for e in personal_data_register() if e.model is model]


def test_every_model_with_a_link_to_a_person_is_in_the_register():
    assert unregistered_models() == []


@pytest.mark.parametrize("registered", personal_data_register(), ids=lambda e: e.key)
def test_every_field_of_a_registered_model_is_declared(registered):
    assert unregistered_fields(registered) == set()


def test_every_entry_says_what_for_on_what_basis_and_how_long():
    for registered in personal_data_register():
        assert registered.purpose in Purpose
        assert registered.legal_basis in LegalBasis
        assert registered.retention_text()


def test_the_declarations_on_the_models_are_the_registers_fields():
    (profile,) = entries_of(StudentProfile)
    assert set(StudentProfile.PERSONAL_FIELDS) <= set(profile.personal_fields)
    (user,) = entries_of(User)
    assert "password" not in user.personal_fields
    assert set(User.PERSONAL_FIELDS) <= set(user.personal_fields)


def test_a_model_that_gains_an_undeclared_field_is_found():
    # StudentProgramme's register entry without its semester, as if the field were new.
    (registered,) = entries_of(StudentProgramme)
    shortened = entry(StudentProgramme, fields=("programme",))
    assert unregistered_fields(registered) == set()
    assert unregistered_fields(shortened) == {"semester"}


def test_a_model_with_a_link_to_a_person_and_no_entry_is_found():
    class Scribble(models.Model):
        author = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    try:
        assert unregistered_models() == ["privacy.Scribble"]
    finally:
        from django.apps import apps

        del apps.all_models["privacy"]["scribble"]
        apps.clear_cache()


def test_a_model_registered_twice_is_refused():
    with (
        hooks.register_temporarily(PERSONAL_DATA, lambda: [entry(StudentProgramme)]),
        pytest.raises(RegisterError, match="twice"),
    ):
        personal_data_register()


def test_an_entry_naming_a_field_the_model_lacks_is_refused():
    wrong = entry(Notification, subjects=("recipient",), fields=("colour",))
    with (
        hooks.register_temporarily(PERSONAL_DATA, lambda: [wrong]),
        pytest.raises(RegisterError, match="colour"),
    ):
        personal_data_register()


def test_a_subject_must_lead_to_the_user():
    wrong = entry(StudentProgramme, subjects=("programme",), fields=("semester",))
    with (
        hooks.register_temporarily(PERSONAL_DATA, lambda: [wrong]),
        pytest.raises(RegisterError, match="does not lead to the user"),
    ):
        personal_data_register()


def test_retention_in_words(settings):
    settings.LANGUAGE_CODE = "en"
    assert Retention().describe(Notification) == "Until you delete your account"
    assert (
        Retention(days=30, after="created_at")
        .describe(Notification)
        .startswith("30 days after the date “created”")
    )


def test_the_libraries_models_left_out_exist_and_are_not_ours():
    from django.apps import apps

    from onboarding.privacy.register import OUTSIDE_THE_REGISTER, PROJECT_PACKAGES

    for label in OUTSIDE_THE_REGISTER:
        model = apps.get_model(label)
        assert not model._meta.app_config.name.startswith(PROJECT_PACKAGES)
        assert model not in {e.model for e in personal_data_register()}
