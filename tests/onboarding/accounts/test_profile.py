"""The student profile: its rules, its page in both languages, and asking for it after sign-up."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from onboarding.accounts.models import StudentProfile
from onboarding.accounts.profile_selectors import profile_get
from onboarding.accounts.profile_services import (
    ProfileError,
    profile_save,
    profile_set_norwegian_level,
)

pytestmark = pytest.mark.django_db

ARRIVAL = datetime.date(2026, 8, 10)


def url(name, language):
    with translation.override(language):
        return reverse(name)


def save(user, tree, **changes):
    values = {
        "status": "incoming_exchange",
        "faculty": tree["faculty_a"],
        "department": tree["department_a"],
        "arrival_date": ARRIVAL,
    }
    values.update(changes)
    return profile_save(user=user, **values)


def form_data(tree, **changes):
    data = {
        "status": "incoming_exchange",
        "faculty": tree["faculty_a"].pk,
        "department": tree["department_a"].pk,
        "programme": "Physics",
        "arrival_date": "2026-08-10",
        "departure_date": "2026-12-20",
        "home_country": "BR",
        "home_institution": "Universidade de São Paulo",
        "language": "en",
        "norwegian_level": "none",
        "interests": ["music", "outdoors"],
        "contact_consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Services --------------------------------------------------------------------------


def test_profile_save_creates_the_profile(user, tree):
    profile = save(user, tree, interests=["music"], home_country="br")
    assert profile_get(user=user) == profile
    assert profile.home_country.code == "BR"
    assert profile.interests == ["music"]


def test_profile_save_updates_the_one_profile(user, tree):
    save(user, tree)
    save(user, tree, programme="Chemistry")
    assert StudentProfile.objects.get(user=user).programme == "Chemistry"
    assert StudentProfile.objects.count() == 1


def test_profile_save_sets_the_preferred_language(user, tree):
    save(user, tree, language="nb")
    user.refresh_from_db()
    assert user.language == "nb"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "tourist"}, "invalid_status"),
        ({"home_country": "XX"}, "invalid_country"),
        ({"norwegian_level": "D1"}, "invalid_level"),
        ({"interests": ["sleeping"]}, "invalid_interest"),
        ({"language": "de"}, "invalid_language"),
        ({"programme": "x" * 201}, "text_too_long"),
        ({"arrival_date": None}, "arrival_required"),
        ({"departure_date": datetime.date(2026, 8, 1)}, "departure_before_arrival"),
        ({"departure_date": datetime.date(2040, 8, 1)}, "stay_too_long"),
    ],
)
def test_profile_save_refuses_bad_input_and_changes_nothing(user, tree, changes, code):
    with pytest.raises(ProfileError) as error:
        save(user, tree, **changes)
    assert error.value.code == code
    assert not StudentProfile.objects.exists()


def test_department_must_belong_to_the_faculty(user, tree):
    with pytest.raises(ProfileError) as error:
        save(user, tree, faculty=tree["faculty_b"], department=tree["department_a"])
    assert error.value.code == "department_not_in_faculty"


def test_faculty_must_be_a_live_faculty(user, tree):
    with pytest.raises(ProfileError) as error:
        save(user, tree, faculty=tree["department_a"], department=None)
    assert error.value.code == "invalid_faculty"


def test_outgoing_students_need_no_arrival_date(user, tree):
    profile = save(user, tree, status="outgoing", arrival_date=None)
    assert profile.arrival_date is None


def test_norwegian_level_can_be_recorded_later(user, tree):
    save(user, tree)
    assert profile_set_norwegian_level(user=user, level="B1").norwegian_level == "B1"


def test_norwegian_level_needs_a_profile(user):
    with pytest.raises(ProfileError) as error:
        profile_set_norwegian_level(user=user, level="B1")
    assert error.value.code == "no_profile"


def test_every_personal_field_is_a_field_of_the_profile():
    names = {field.name for field in StudentProfile._meta.get_fields()}
    assert set(StudentProfile.PERSONAL_FIELDS) <= names
    described = names - set(StudentProfile.PERSONAL_FIELDS)
    assert described == {"id", "user"}


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_profile_page_shows_the_form(client, user, tree, language):
    client.force_login(user)
    response = client.get(url("profile_edit", language))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'lang="{language}"' in content
    faculty = {"nb": "Fakultet for naturvitenskap", "en": "Faculty of Natural Sciences"}
    assert faculty[language] in content
    other = "en" if language == "nb" else "nb"
    assert faculty[other] not in content
    assert 'name="arrival_date"' in content


@pytest.mark.parametrize("language", ["nb", "en"])
def test_first_profile_leads_to_the_arrival_plan(client, user, tree, language):
    client.force_login(user)
    response = client.post(url("profile_edit", language), form_data(tree, language=language))
    assert response.status_code == 302
    assert response.url == url("arrival_plan", language)
    profile = profile_get(user=user)
    assert profile.department == tree["department_a"]
    assert profile.contact_consent is True


def test_a_later_edit_stays_on_the_profile(client, user, tree):
    save(user, tree)
    client.force_login(user)
    response = client.post(url("profile_edit", "en"), form_data(tree, programme="Chemistry"))
    assert response.url == url("profile_edit", "en")
    assert profile_get(user=user).programme == "Chemistry"


def test_choosing_norwegian_carries_on_in_norwegian(client, user, tree):
    save(user, tree)
    client.force_login(user)
    response = client.post(url("profile_edit", "en"), form_data(tree, language="nb"))
    assert response.url == url("profile_edit", "nb")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_bad_input_shows_the_errors_and_saves_nothing(client, user, tree, language):
    client.force_login(user)
    response = client.post(
        url("profile_edit", language),
        form_data(tree, faculty=tree["faculty_b"].pk, departure_date="2026-01-01"),
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not StudentProfile.objects.exists()


def test_department_of_another_faculty_is_refused(client, user, tree):
    client.force_login(user)
    response = client.post(url("profile_edit", "en"), form_data(tree, faculty=tree["faculty_b"].pk))
    assert "Choose a department of the faculty you chose." in response.content.decode()


def test_profile_page_needs_login(client, tree):
    response = client.get(url("profile_edit", "en"))
    assert response.status_code == 302
    assert "next=" in response.url


def test_profile_page_never_shows_another_persons_profile(client, user, tree):
    from tests.factories import UserFactory

    other = UserFactory()
    save(other, tree, programme="Secret programme")
    client.force_login(user)
    assert "Secret programme" not in client.get(url("profile_edit", "en")).content.decode()


# --- Right after email verification --------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_new_student_lands_on_the_profile_after_confirming(client, mailoutbox, tree, language):
    import re

    password = "a-long-and-unusual-passphrase"
    with translation.override(language):
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Nova",
                "last_name": "Student",
                "email": "new@example.org",
                "password1": password,
                "password2": password,
            },
        )
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert response.url == url("profile_edit", language)
    assert EmailAddress.objects.get(email="new@example.org").verified


@pytest.mark.parametrize(
    "next_value", ["abc", "//evil.example/", "https://evil.example/", "/\\evil"]
)
def test_a_next_that_is_not_a_path_here_is_ignored_after_saving(client, user, tree, next_value):
    save(user, tree)
    client.force_login(user)
    data = form_data(tree, programme="Chemistry") | {"next": next_value}
    response = client.post(url("profile_edit", "en"), data)
    assert (response.status_code, response.url) == (302, url("profile_edit", "en"))
    assert profile_get(user=user).programme == "Chemistry"


def test_a_next_path_here_is_followed_in_the_language_chosen(client, user, tree):
    save(user, tree)
    client.force_login(user)
    data = form_data(tree, language="nb") | {"next": url("arrival_plan", "en")}
    response = client.post(url("profile_edit", "en"), data)
    assert response.url == url("arrival_plan", "nb")
