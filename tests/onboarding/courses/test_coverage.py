"""The coverage report: who is enrolled, waitlisted or offered nothing, and who may see it."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentStatus
from onboarding.courses import services
from onboarding.courses.selectors import coverage_report, may_view_coverage, offered_nothing
from onboarding.courses.semesters import Semester
from onboarding.privacy.models import ExportKind, PersonalDataExport
from tests.onboarding.courses.factories import course_create, student_create

LANGUAGES = ["nb", "en"]
EXCHANGE, DEGREE, PHD = (
    StudentStatus.INCOMING_EXCHANGE,
    StudentStatus.INTERNATIONAL_DEGREE,
    StudentStatus.PHD,
)


def first_day(semester):
    return datetime.date(semester.year, 2 if semester.term == "spring" else 9, 1)


@pytest.fixture
def courses(centre):
    this = Semester.current()
    past = Semester.of(this.year - 1, this.term)
    now = timezone.now()
    return {
        "this": course_create(centre, capacity=1),
        "next": course_create(centre, starts_on=first_day(this.next()), capacity=5),
        "past": course_create(
            centre,
            starts_on=first_day(past),
            application_opens_at=now - datetime.timedelta(days=500),
            application_closes_at=now - datetime.timedelta(days=400),
        ),
    }


@pytest.fixture
def people(tree, courses):
    """Students of every kind, with what they have; see the expected counts in the tests."""
    a, b = tree["faculty_a"], tree["faculty_b"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    people = {
        "enrolled": student_create(status=DEGREE, faculty=a, first_name="Enrolled"),
        "waitlisted": student_create(
            status=EXCHANGE, faculty=a, departure=datetime.date(2031, 1, 1), first_name="Waiting"
        ),
        "nothing_phd": student_create(status=PHD, faculty=a, first_name="Nothing"),
        "nothing_exchange": student_create(
            status=EXCHANGE, faculty=b, departure=datetime.date(2031, 1, 1), first_name="Zed"
        ),
        "cancelled": student_create(status=DEGREE, faculty=b, first_name="Cancelled"),
        "past_only": student_create(status=DEGREE, faculty=b, first_name="Past"),
        "no_faculty": student_create(status=PHD, first_name="Nofaculty"),
        "outgoing": student_create(status=StudentStatus.OUTGOING, faculty=a, first_name="Out"),
        "left": student_create(
            status=DEGREE,
            faculty=a,
            arrival=datetime.date(2025, 1, 10),
            departure=yesterday,
            first_name="Left",
        ),
        "inactive": student_create(status=DEGREE, faculty=a, first_name="Inactive"),
        "both": student_create(status=DEGREE, faculty=b, first_name="Both"),
    }
    enrol = services.enrolment_create
    enrol(course=courses["this"], user=people["enrolled"])
    enrol(course=courses["this"], user=people["waitlisted"])
    cancelled = enrol(course=courses["next"], user=people["cancelled"])
    services.enrolment_cancel(enrolment=cancelled, user=people["cancelled"])
    past = courses["past"]
    enrol(course=past, user=people["past_only"], now=past.application_opens_at)
    enrol(course=courses["this"], user=people["both"])  # waitlisted, number 2
    enrol(course=courses["next"], user=people["both"])  # and a place next semester
    enrol(course=courses["next"], user=people["left"])
    enrol(course=courses["next"], user=people["inactive"])
    people["inactive"].is_active = False
    people["inactive"].save(update_fields=["is_active"])
    return people


def cell(report, faculty, status):
    group = next(g for g in report.groups if g.faculty == faculty)
    return next(c for code, _label, c in group.cells if code == status)


# --- Counts -------------------------------------------------------------------------------


def test_totals_count_each_current_international_student_once(people):
    report = coverage_report()

    assert (report.total.enrolled, report.total.waitlisted, report.total.nothing) == (2, 1, 5)


def test_a_place_counts_as_enrolled(tree, people):
    found = cell(coverage_report(), tree["faculty_a"], DEGREE)

    assert (found.enrolled, found.waitlisted, found.nothing) == (1, 0, 0)


def test_a_waitlist_place_counts_as_waitlisted(tree, people):
    found = cell(coverage_report(), tree["faculty_a"], EXCHANGE)

    assert (found.enrolled, found.waitlisted, found.nothing) == (0, 1, 0)


def test_a_place_and_a_waitlist_place_count_as_enrolled(tree, people):
    found = cell(coverage_report(), tree["faculty_b"], DEGREE)

    # "both" is enrolled; "cancelled" and "past_only" have nothing.
    assert (found.enrolled, found.waitlisted, found.nothing) == (1, 0, 2)


def test_cancelled_and_past_semester_enrolments_count_as_nothing(people):
    names = {p.user.first_name for p in offered_nothing()}

    assert {"Cancelled", "Past"} <= names


def test_students_without_a_faculty_have_their_own_row(people):
    report = coverage_report()

    group = report.groups[-1]
    assert group.faculty is None
    assert group.total.nothing == 1


def test_outgoing_departed_and_inactive_people_are_not_counted(people):
    names = {p.user.first_name for p in offered_nothing()}
    report = coverage_report()

    assert not names & {"Out", "Left", "Inactive"}
    assert report.total.total == 8


def test_a_faculty_without_students_is_shown_with_zeros(tree, people):
    from tests.onboarding.units.factories import unit_create

    empty = unit_create(tree["directory"], kind="faculty", publish=False)

    group = next(g for g in coverage_report().groups if g.faculty == empty)

    assert group.total.total == 0


def test_the_report_narrows_to_one_faculty_and_status(tree, people):
    report = coverage_report(faculty_id=tree["faculty_b"].pk, status=DEGREE)

    assert [g.faculty for g in report.groups] == [tree["faculty_b"]]
    assert (report.total.enrolled, report.total.nothing) == (1, 2)


def test_the_offered_nothing_list_holds_exactly_those_students(people):
    names = sorted(p.user.first_name for p in offered_nothing())

    assert names == ["Cancelled", "Nofaculty", "Nothing", "Past", "Zed"]


# --- Access -------------------------------------------------------------------------------


def test_only_section_staff_may_view_coverage(student, centre_editor, other_editor, section_staff):
    assert may_view_coverage(user=section_staff)
    assert not any(
        may_view_coverage(user=u) for u in (AnonymousUser(), student, centre_editor, other_editor)
    )


@pytest.mark.parametrize("name", ["courses:coverage", "courses:coverage_csv"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymous_people_are_sent_to_log_in(client, tree, name, language):
    with translation.override(language):
        url = reverse(name)
    login = {"nb": "/nb/konto/logg-inn/", "en": "/en/accounts/login/"}[language]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={url}"


@pytest.mark.parametrize("name", ["courses:coverage", "courses:coverage_csv"])
@pytest.mark.parametrize("role", ["student", "centre_editor", "other_editor"])
def test_students_and_other_units_editors_are_refused(client, request, tree, name, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(name))

    assert response.status_code == 403


def test_section_staff_without_two_factor_authentication_set_it_up_first(client, tree):
    from onboarding.units.services import international_staff_add
    from tests.factories import UserFactory

    staff = UserFactory()
    international_staff_add(user=staff)
    client.force_login(staff)

    response = client.get(reverse("courses:coverage"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_staff_see_counts_chart_and_list(client, people, section_staff, language):
    client.force_login(section_staff)
    with translation.override(language):
        url = reverse("courses:coverage")

    response = client.get(url)

    html = response.content.decode()
    heading, nothing = {
        "nb": ("Norskkurstilbud", "uten tilbud ennå"),
        "en": ("Norwegian course coverage", "offered nothing yet"),
    }[language]
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert f'<strong data-total="nothing">5</strong> {nothing}' in html
    assert "<svg" in html and "<desc" in html
    assert "Zed" in html and "Enrolled" not in html.split('id="nothing-heading"')[1]


def test_the_chart_describes_every_faculty_in_words(client, tree, people, section_staff):
    client.force_login(section_staff)
    with translation.override("en"):
        url = reverse("courses:coverage")

    html = client.get(url).content.decode()

    desc = html.split("<desc")[1].split("</desc>")[0]
    faculty_a = tree["faculty_a"].title_en
    assert f"{faculty_a}: 1 enrolled, 1 on a waitlist, 1 offered nothing." in desc


def test_an_invalid_filter_is_a_clear_error(client, people, section_staff):
    client.force_login(section_staff)

    response = client.get(reverse("courses:coverage"), {"status": "alien"})

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csv_lists_the_students_offered_nothing(client, people, section_staff, language):
    client.force_login(section_staff)
    with translation.override(language):
        url = reverse("courses:coverage_csv")

    response = client.get(url)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    emails = {row[1] for row in rows[1:]}
    assert rows[0][:2] == {"nb": ["Navn", "E-post"], "en": ["Name", "Email"]}[language]
    assert len(rows) == 6
    assert people["nothing_exchange"].email in emails
    assert people["enrolled"].email not in emails


def test_the_csv_follows_the_filters(client, tree, people, section_staff):
    client.force_login(section_staff)

    response = client.get(reverse("courses:coverage_csv"), {"faculty": tree["faculty_a"].pk})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == [people["nothing_phd"].email]
    export = PersonalDataExport.objects.get()
    assert (export.exported_by, export.kind, export.people) == (
        section_staff,
        ExportKind.COURSE_COVERAGE,
        1,
    )
    assert f"faculty={tree['faculty_a'].pk}" in export.path


def test_the_csv_defuses_spreadsheet_formulas(client, tree, section_staff):
    student_create(status=PHD, first_name="=HYPERLINK(1)")
    client.force_login(section_staff)

    response = client.get(reverse("courses:coverage_csv"))

    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_each_student_offered_nothing_gets_the_course_that_fits(
    client, centre, people, section_staff
):
    from onboarding.courses.selectors import offered_nothing_rows

    rows = {row.profile.user.first_name: row for row in offered_nothing_rows(offered_nothing())}

    assert rows["Nothing"].suggestion is not None
    assert rows["Nothing"].suggestion.level_from == "A1"


# --- Cost ---------------------------------------------------------------------------------


def _queries(client, url):
    """Queries of a request made right after the same one (so that caches are warm in both)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.stack
def test_the_report_costs_the_same_for_5_and_50_students(client, tree, courses, section_staff):
    client.force_login(section_staff)
    url = reverse("courses:coverage")
    for n in range(5):
        student_create(status=PHD, faculty=tree["faculty_a"], first_name=f"A{n}")
    few = _queries(client, url)
    for n in range(45):
        student_create(status=EXCHANGE, faculty=tree["faculty_b"], first_name=f"B{n}")

    many = _queries(client, url)

    assert many == few
