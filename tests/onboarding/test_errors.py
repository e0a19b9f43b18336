"""Every app's domain errors share the one DomainError: keywords only, code, message, extra."""

import pytest

from onboarding.accounts.errors import AccountError, ProfileError
from onboarding.checklists.errors import ChecklistError
from onboarding.errors import DomainError
from onboarding.live.errors import LiveError, NotificationError, TopicError
from onboarding.responsibilities.errors import ResponsibilityError
from onboarding.stays.errors import AnswerLinkError, CrisisError, ReturnError, StayError
from onboarding.units.errors import UnitError

ERRORS = [
    AccountError,
    ProfileError,
    ChecklistError,
    LiveError,
    NotificationError,
    TopicError,
    ResponsibilityError,
    UnitError,
    StayError,
    CrisisError,
    AnswerLinkError,
    ReturnError,
]


@pytest.mark.parametrize("error_class", ERRORS)
def test_each_error_is_a_domain_error_raised_with_keywords(error_class):
    error = error_class(code="refused", message="No.")

    assert isinstance(error, DomainError)
    assert (error.code, error.message, str(error), error.extra) == ("refused", "No.", "No.", {})


@pytest.mark.parametrize("error_class", ERRORS)
def test_no_error_takes_its_code_and_message_by_position(error_class):
    with pytest.raises(TypeError):
        error_class("refused", "No.")


@pytest.mark.parametrize("error_class", [AccountError, ProfileError])
def test_the_form_field_of_an_account_error_is_kept_in_extra(error_class):
    error = error_class(code="too_long", message="Too long.", field="preferred_name")

    assert error.field == "preferred_name"
    assert error.extra == {"field": "preferred_name"}
    assert error_class(code="refused", message="No.").field is None


def test_the_level_of_a_responsibility_error_is_kept_in_extra():
    error = ResponsibilityError(code="no_accountable", message="No.", level="faculty")

    assert (error.level, error.extra) == ("faculty", {"level": "faculty"})
    assert ResponsibilityError(code="no_accountable", message="No.").level == ""


@pytest.mark.parametrize("error_class", [StayError, CrisisError, AnswerLinkError, ReturnError])
def test_a_stays_error_names_the_field_it_belongs_to(error_class):
    assert error_class(code="refused", message="No.", field="city").field == "city"
    assert error_class(code="refused", message="No.").field is None
