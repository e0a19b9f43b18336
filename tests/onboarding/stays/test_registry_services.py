"""The stay registry's services: every rule, every refusal (in both languages), and that a
refusal changes nothing; the semester of a stay and the courses offered for plan B."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from onboarding.errors import DomainError
from onboarding.exchange.models import Programme, StudentProgramme
from onboarding.stays.models import PlanBCourse, StayAbroad
from onboarding.stays.selectors.registry import (
    plan_b_catalogue,
    stay_agreements,
    stay_own,
    stay_semester,
    student_stays,
)
from onboarding.stays.services.registry import (
    MAX_PLAN_B,
    PlanBInput,
    StayError,
    stay_contact_update,
    stay_create,
    stay_delete,
    stay_update,
)

from .factories import stay_make
from .registry_builders import course_make, stay_input, typed_course

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def refused(code, call, **kwargs):
    """Run ``call``; it must raise ``StayError`` ``code`` and leave every stay as it was."""
    before = list(StayAbroad.objects.order_by("pk").values())
    courses = list(PlanBCourse.objects.order_by("pk").values())
    with pytest.raises(StayError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert list(StayAbroad.objects.order_by("pk").values()) == before
    assert list(PlanBCourse.objects.order_by("pk").values()) == courses
    return caught.value


def test_a_stay_error_is_a_domain_error_with_its_field():
    error = StayError(code="host_missing", message="No.", field="agreement")
    assert isinstance(error, DomainError)
    assert (error.code, error.field, StayError(code="x", message="y").field) == (
        "host_missing",
        "agreement",
        None,
    )


# --- Registering -------------------------------------------------------------------------------


def test_a_stay_outside_the_agreements_is_stored_with_the_consent(tree):
    moment = timezone.now()
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(plan_b=[typed_course()], second_name="Ola", second_phone="+47 911 11 111"),
        now=moment,
    )
    assert (stay.host_name, stay.agreement, stay.city, stay.country.code) == (
        "Universitat de València",
        None,
        "Valencia",
        "ES",
    )
    assert stay.consented_at == moment
    assert stay.erased_at is None
    (course,) = stay.plan_b_courses.all()
    assert (course.code, course.ects, course.course) == ("SYK2001", Decimal("7.5"), None)


def test_a_stay_on_an_agreement_takes_the_partner_s_city_and_country(tree):
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(agreement=tree["tum_agreement"], host_name="", city="", country=""),
    )
    assert (stay.agreement, stay.city, stay.country.code) == (
        tree["tum_agreement"],
        "München",
        "DE",
    )


def test_the_student_s_own_city_wins_over_the_partner_s(tree):
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(agreement=tree["tum_agreement"], host_name="", city="Garching", country=""),
    )
    assert (stay.city, stay.country.code) == ("Garching", "DE")


@pytest.mark.parametrize(
    ("changes", "code", "field", "english", "norwegian"),
    [
        (
            {"host_name": ""},
            "host_missing",
            "agreement",
            "Choose the exchange agreement you travel on",
            "Velg utvekslingsavtalen du reiser på",
        ),
        (
            {"agreement": "tum"},
            "host_both",
            "host_name",
            "not both",
            "ikke begge",
        ),
        ({"city": ""}, "city_required", "city", "Give the city", "Skriv byen"),
        ({"country": ""}, "country_required", "country", "Choose the country", "Velg landet"),
        ({"country": "XX"}, "country_required", "country", "Choose the country", "Velg landet"),
        (
            {"ends_on": TODAY - datetime.timedelta(days=31)},
            "ends_before_start",
            "ends_on",
            "cannot end before it starts",
            "kan ikke slutte før det begynner",
        ),
        (
            {
                "starts_on": TODAY - datetime.timedelta(days=200),
                "ends_on": TODAY - datetime.timedelta(days=61),
            },
            "ended_long_ago",
            "ends_on",
            "ended more than 60 days ago",
            "sluttet for mer enn 60 dager siden",
        ),
        (
            {"starts_on": datetime.date(1, 1, 1)},
            "too_long_stay",
            "ends_on",
            "two years at most",
            "to år",
        ),
        (
            {
                "starts_on": TODAY.replace(year=TODAY.year + 6),
                "ends_on": TODAY.replace(year=TODAY.year + 6),
            },
            "too_far_ahead",
            "ends_on",
            "within 5 years",
            "innen 5 år",
        ),
        (
            {"emergency_name": " "},
            "emergency_name_required",
            "emergency_name",
            "name of your emergency contact",
            "navnet til",
        ),
        (
            {"emergency_phone": ""},
            "emergency_phone_required",
            "emergency_phone",
            "phone number of your emergency contact",
            "telefonnummeret til",
        ),
        (
            {"local_phone": "call me"},
            "phone_invalid",
            "local_phone",
            "at least 5 digits",
            "minst 5 sifre",
        ),
        (
            {"emergency_phone": "+47 12"},
            "phone_invalid",
            "emergency_phone",
            "at least 5",
            "minst 5",
        ),
        (
            {"emergency_email": "kari@"},
            "email_invalid",
            "emergency_email",
            "valid email",
            "gyldig e-post",
        ),
        (
            {"second_email": "ola@example.test"},
            "second_incomplete",
            "second_name",
            "second contact's name and phone",
            "den andre kontaktens navn og telefonnummer",
        ),
        ({"local_address": "x" * 2001}, "too_long", "local_address", "under 2000", "under 2000"),
        ({"host_name": "ab\x00" * 150}, "too_long", "host_name", "under 255", "under 255"),
        ({"consent": False}, "consent_required", "consent", "Tick the box", "Kryss av"),
    ],
)
def test_what_is_refused_and_why_in_both_languages(tree, changes, code, field, english, norwegian):
    if changes.get("agreement") == "tum":
        changes = {**changes, "agreement": tree["tum_agreement"]}
    for language, words in (("en", english), ("nb", norwegian)):
        # Messages with figures are put together in the language of the request.
        with translation.override(language):
            error = refused(
                code, stay_create, student=tree["cs_student"], data=stay_input(**changes)
            )
            assert error.field == field
            assert words in str(error.message)
    assert not StayAbroad.objects.exists()


def test_nul_characters_are_dropped_and_text_is_trimmed(tree):
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(host_name=" Uni\x00versity ", city="Val\x00encia"),
    )
    assert (stay.host_name, stay.city) == ("University", "Valencia")


def test_a_stay_ending_on_the_last_day_kept_may_still_be_registered(tree):
    ends = TODAY - datetime.timedelta(days=60)
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(starts_on=ends - datetime.timedelta(days=90), ends_on=ends),
    )
    assert stay.ends_on == ends


# --- Plan-B courses ------------------------------------------------------------------------------


def test_a_course_of_the_student_s_programme_gives_its_own_facts(tree):
    course = course_make(tree["cs_programme"], code="DAT300", ects="10")
    stay = stay_create(
        student=tree["cs_student"],
        data=stay_input(plan_b=[PlanBInput(course=course, code="ignored", ects=Decimal("1"))]),
    )
    (plan_b,) = stay.plan_b_courses.all()
    assert (plan_b.course, plan_b.code, plan_b.title, plan_b.ects) == (
        course,
        "DAT300",
        "Course DAT300",
        Decimal("10.0"),
    )


def test_a_course_of_another_programme_is_refused(tree):
    nursing = course_make(tree["health_programme"], code="SYK100")
    error = refused(
        "plan_b_not_yours",
        stay_create,
        student=tree["cs_student"],
        data=stay_input(plan_b=[PlanBInput(course=nursing)]),
    )
    assert error.field == "plan_b"
    # Without a programme of their own, no course of any programme is theirs.
    refused(
        "plan_b_not_yours",
        stay_create,
        student=tree["student"],
        data=stay_input(plan_b=[PlanBInput(course=nursing)]),
    )


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (PlanBInput(code="DAT1", title=""), "plan_b_incomplete"),
        (PlanBInput(code="", title="Databases", ects=Decimal("5")), "plan_b_incomplete"),
        (PlanBInput(code="DAT1", title="Databases", ects=Decimal("0.2")), "plan_b_ects"),
        (PlanBInput(code="DAT1", title="Databases", ects=Decimal("61")), "plan_b_ects"),
        (PlanBInput(code="DAT1", title="Databases", ects=Decimal("NaN")), "plan_b_ects"),
        (PlanBInput(code="D" * 41, title="Databases", ects=Decimal("5")), "too_long"),
    ],
)
def test_typed_plan_b_courses_are_checked(tree, row, code):
    refused(code, stay_create, student=tree["cs_student"], data=stay_input(plan_b=[row]))


def test_at_most_ten_plan_b_courses(tree):
    rows = [typed_course(code=f"C{n}") for n in range(MAX_PLAN_B + 1)]
    error = refused(
        "plan_b_too_many", stay_create, student=tree["cs_student"], data=stay_input(plan_b=rows)
    )
    with translation.override("nb"):
        assert "10" in str(error.message)


# --- Changing and deleting ---------------------------------------------------------------------


def test_the_student_changes_their_stay_and_its_plan_b_courses(tree):
    stay = stay_create(
        student=tree["cs_student"], data=stay_input(plan_b=[typed_course(code="A1")])
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    changed = stay_update(
        stay=stay,
        user=tree["cs_student"],
        data=stay_input(city="Madrid", plan_b=[typed_course(code="B1"), typed_course(code="B2")]),
        now=later,
    )
    assert changed.city == "Madrid"
    assert changed.consented_at == later
    assert [c.code for c in changed.plan_b_courses.order_by("sort_order")] == ["B1", "B2"]
    assert PlanBCourse.objects.count() == 2


def test_nobody_changes_or_deletes_another_student_s_stay(tree):
    stay = stay_make(tree["cs_student"])
    for user in (tree["nurse"], tree["staff"]):
        refused("forbidden", stay_update, stay=stay, user=user, data=stay_input(city="Paris"))
        refused(
            "forbidden",
            stay_contact_update,
            stay=stay,
            user=user,
            local_phone="+1 555 0100",
            local_address="",
        )
        refused("forbidden", stay_delete, stay=stay, user=user)


def test_a_refused_change_leaves_the_stay_and_its_courses(tree):
    stay = stay_create(student=tree["cs_student"], data=stay_input(plan_b=[typed_course()]))
    refused(
        "ends_before_start",
        stay_update,
        stay=stay,
        user=tree["cs_student"],
        data=stay_input(ends_on=TODAY - datetime.timedelta(days=40), plan_b=[]),
    )
    assert stay.plan_b_courses.count() == 1


def test_an_erased_stay_is_not_changed_again(tree):
    stay = stay_make(tree["cs_student"], erased_at=timezone.now(), local_phone="")
    error = refused("erased", stay_update, stay=stay, user=tree["cs_student"], data=stay_input())
    refused(
        "erased",
        stay_contact_update,
        stay=stay,
        user=tree["cs_student"],
        local_phone="+34 600 000 000",
        local_address="",
    )
    with translation.override("nb"):
        assert "slettet" in str(error.message)
    stay_delete(stay=stay, user=tree["cs_student"])
    assert not StayAbroad.objects.exists()


def test_the_quick_change_touches_the_phone_and_address_only(tree):
    stay = stay_make(tree["cs_student"])
    before = StayAbroad.objects.values().get(pk=stay.pk)
    stay_contact_update(
        stay=stay,
        user=tree["cs_student"],
        local_phone=" +49 151 2345 6789 ",
        local_address="Neue Str. 2",
    )
    after = StayAbroad.objects.values().get(pk=stay.pk)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"local_phone", "local_address", "updated_at"}
    assert after["local_phone"] == "+49 151 2345 6789"
    refused(
        "phone_invalid",
        stay_contact_update,
        stay=stay,
        user=tree["cs_student"],
        local_phone="abc",
        local_address="",
    )


def test_deleting_a_stay_takes_its_plan_b_courses(tree):
    stay = stay_create(student=tree["cs_student"], data=stay_input(plan_b=[typed_course()]))
    stay_delete(stay=stay, user=tree["cs_student"])
    assert not PlanBCourse.objects.exists()


# --- Reads ---------------------------------------------------------------------------------------


def test_a_student_reads_only_their_own_stays(tree):
    mine = stay_make(tree["cs_student"])
    theirs = stay_make(tree["nurse"])
    assert list(student_stays(user=tree["cs_student"])) == [mine]
    assert stay_own(stay_id=theirs.pk, user=tree["cs_student"]) is None
    assert stay_own(stay_id=mine.pk, user=tree["cs_student"]) == mine


def test_the_semester_of_a_stay_counts_the_terms_from_today():
    mine = StudentProgramme(semester=3, programme=Programme(semesters=6))
    today = datetime.date(2026, 12, 4)  # autumn: semester 3
    assert stay_semester(mine=mine, starts_on=datetime.date(2026, 8, 15), today=today) == 3
    assert stay_semester(mine=mine, starts_on=datetime.date(2027, 1, 10), today=today) == 4
    assert stay_semester(mine=mine, starts_on=datetime.date(2027, 8, 10), today=today) == 5
    # Never past the programme's last semester, nor before its first.
    assert stay_semester(mine=mine, starts_on=datetime.date(2030, 8, 1), today=today) == 6
    assert stay_semester(mine=mine, starts_on=datetime.date(2020, 8, 1), today=today) == 1


def test_the_catalogue_offers_the_courses_of_the_stay_s_semester(tree):
    fifth = course_make(tree["cs_programme"], semester=5, code="DAT500")
    sixth = course_make(tree["cs_programme"], semester=6, code="DAT600")
    course_make(tree["health_programme"], semester=5, code="SYK500")
    student = tree["cs_student"]  # in semester 5 now
    this_term = TODAY
    next_term = TODAY + datetime.timedelta(days=183)
    assert plan_b_catalogue(user=student, starts_on=this_term) == [fifth]
    assert plan_b_catalogue(user=student, starts_on=next_term) == [sixth]
    assert plan_b_catalogue(user=student) == [fifth, sixth]
    assert plan_b_catalogue(user=tree["student"]) == []


def test_the_agreements_offered_are_current_and_the_stay_s_own(tree):
    ended = tree["kth_agreement"]
    ended.valid_to = TODAY - datetime.timedelta(days=1)
    ended.save()
    assert ended not in stay_agreements()
    assert ended in stay_agreements(include=ended)
    assert tree["tum_agreement"] in stay_agreements()
