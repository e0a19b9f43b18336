"""The stay registry's pages in both languages: listing, registering, changing, the quick phone and
address change, deleting; refusals shown on their fields; only the student's own stays; the
links from the destination finder, the pre-approval cases and the arrival plan."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile, StudentStatus
from onboarding.stays.models import PlanBCourse, StayAbroad

from .crisis_factories import declare
from .factories import stay_make
from .registry_builders import course_make

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]
TODAY = datetime.date.today()


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"stays:{name}", kwargs=kwargs or None)


def form_data(**changes):
    data = {
        "agreement": "",
        "host_name": "Universitat de València",
        "city": "Valencia",
        "country": "ES",
        "starts_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=100)).isoformat(),
        "local_address": "Carrer de Colón 1",
        "local_phone": "+34 612 345 678",
        "emergency_name": "Kari Nordmann",
        "emergency_relation": "mor",
        "emergency_phone": "+47 900 00 000",
        "emergency_email": "",
        "second_name": "",
        "second_phone": "",
        "second_email": "",
        "consent": "on",
        "planb-TOTAL_FORMS": "2",
        "planb-INITIAL_FORMS": "0",
        "planb-MIN_NUM_FORMS": "0",
        "planb-MAX_NUM_FORMS": "10",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_addresses_are_translated():
    assert url("my_stays", "en") == "/en/exchange/abroad/"
    assert url("my_stays", "nb") == "/nb/utveksling/utlandet/"
    assert url("stay_new", "nb") == "/nb/utveksling/utlandet/ny/"
    assert url("stay_contact", "nb", stay_id=7) == "/nb/utveksling/utlandet/7/telefon-og-adresse/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_stays_lists_the_student_s_own_stays_only(client, tree, language):
    mine = stay_make(tree["cs_student"], city="Munich")
    theirs = stay_make(tree["nurse"], city="Lund", country="SE")
    client.force_login(tree["cs_student"])
    response = client.get(url("my_stays", language))
    body = response.content.decode()
    assert response.status_code == 200
    assert url("stay_contact", language, stay_id=mine.pk) in body
    assert url("stay_contact", language, stay_id=theirs.pk) not in body
    assert "Lund" not in body
    assert ("Mine utenlandsopphold" if language == "nb" else "My stays abroad") in body
    # The consent text says who sees the stay and when its details go.
    assert ("60 dager etter" if language == "nb" else "60 days after the stay ends") in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_stays_shows_a_safety_check_not_yet_answered(client, tree, language):
    stay_make(tree["cs_student"], city="Valencia", country="ES")
    client.force_login(tree["cs_student"])
    assert "data-check=" not in client.get(url("my_stays", language)).content.decode()

    declared = declare(tree["staff"])
    check = declared.crisis.checks.get(student=tree["cs_student"])
    body = client.get(url("my_stays", language)).content.decode()

    assert f'data-check="{check.pk}"' in body
    assert ("Er du trygg?" if language == "nb" else "Are you safe?") in body


def test_anonymous_people_are_sent_to_log_in(client, tree):
    stay = stay_make(tree["cs_student"])
    for address in (
        url("my_stays"),
        url("stay_new"),
        url("stay_edit", stay_id=stay.pk),
        url("stay_contact", stay_id=stay.pk),
        url("stay_delete", stay_id=stay.pk),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["stay_edit", "stay_contact", "stay_delete"])
def test_another_student_s_stay_does_not_exist_for_them(client, tree, name):
    stay = stay_make(tree["cs_student"])
    before = StayAbroad.objects.values().get(pk=stay.pk)
    client.force_login(tree["nurse"])
    assert client.get(url(name, stay_id=stay.pk)).status_code == 404
    assert client.post(url(name, stay_id=stay.pk), form_data(city="Paris")).status_code == 404
    assert StayAbroad.objects.values().get(pk=stay.pk) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_student_registers_a_stay(client, tree, language):
    client.force_login(tree["cs_student"])
    form = client.get(url("stay_new", language))
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="consent"' in body and 'type="tel"' in body
    response = client.post(url("stay_new", language), form_data())
    assert response.status_code == 302
    assert response["Location"] == url("my_stays", language)
    stay = StayAbroad.objects.get(student=tree["cs_student"])
    assert (stay.host_name, stay.city, stay.local_phone) == (
        "Universitat de València",
        "Valencia",
        "+34 612 345 678",
    )
    assert stay.consented_at is not None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "or type the name of your host"),
        ("nb", "eller skriv navnet på vertsinstitusjonen"),
    ],
)
def test_a_stay_without_a_host_is_refused_on_its_field(client, tree, language, message):
    client.force_login(tree["cs_student"])
    response = client.post(url("stay_new", language), form_data(host_name=""))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StayAbroad.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "cannot end before it starts"), ("nb", "kan ikke slutte før det begynner")],
)
def test_an_end_before_the_start_is_refused(client, tree, language, message):
    client.force_login(tree["cs_student"])
    data = form_data(ends_on=(TODAY - datetime.timedelta(days=20)).isoformat())
    response = client.post(url("stay_new", language), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StayAbroad.objects.exists()


@pytest.mark.parametrize(("language", "message"), [("en", "Tick the box"), ("nb", "Kryss av")])
def test_the_consent_must_be_ticked(client, tree, language, message):
    client.force_login(tree["cs_student"])
    response = client.post(url("stay_new", language), form_data(consent=None))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StayAbroad.objects.exists()


def test_the_student_picks_plan_b_courses_of_their_programme_or_types_them(client, tree):
    course = course_make(tree["cs_programme"], semester=5, code="DAT500")
    course_make(tree["health_programme"], semester=4, code="SYK400")
    client.force_login(tree["cs_student"])
    page = client.get(url("stay_new")).content.decode()
    assert "DAT500" in page and "SYK400" not in page
    data = form_data(
        **{
            "planb-0-course": str(course.pk),
            "planb-1-code": "INF100",
            "planb-1-title": "Programmering",
            "planb-1-ects": "7.5",
        }
    )
    assert client.post(url("stay_new"), data).status_code == 302
    stay = StayAbroad.objects.get()
    assert [c.code for c in stay.plan_b_courses.order_by("sort_order")] == ["DAT500", "INF100"]
    edit = client.get(url("stay_edit", stay_id=stay.pk)).content.decode()
    assert f'<option value="{course.pk}" selected>' in edit


def test_half_a_plan_b_course_is_refused(client, tree):
    client.force_login(tree["cs_student"])
    data = form_data(**{"planb-0-code": "INF100"})
    response = client.post(url("stay_new", "nb"), data)
    assert response.status_code == 400
    assert "studiepoeng" in response.content.decode()
    assert not StayAbroad.objects.exists()
    # Without a programme the student is told where to save one, and types the courses in.
    client.force_login(tree["student"])
    assert "destination finder" in client.get(url("stay_new")).content.decode()


def test_a_destination_page_chooses_the_agreement(client, tree):
    client.force_login(tree["cs_student"])
    agreement = tree["tum_agreement"]
    page = client.get(url("stay_new"), {"agreement": agreement.pk}).content.decode()
    assert f'<option value="{agreement.pk}" selected>' in page
    assert client.get(url("stay_new"), {"agreement": "9" * 40}).status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_student_changes_their_stay(client, tree, language):
    stay = stay_make(tree["cs_student"], host_name="Old host")
    client.force_login(tree["cs_student"])
    page = client.get(url("stay_edit", language, stay_id=stay.pk))
    assert page.status_code == 200
    assert "Old host" in page.content.decode()
    response = client.post(url("stay_edit", language, stay_id=stay.pk), form_data(city="Madrid"))
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.city, stay.host_name) == ("Madrid", "Universitat de València")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quick_change_of_phone_and_address(client, tree, language):
    stay = stay_make(tree["cs_student"])
    client.force_login(tree["cs_student"])
    page = client.get(url("stay_contact", language, stay_id=stay.pk)).content.decode()
    assert 'type="tel"' in page and 'autocomplete="tel"' in page
    response = client.post(
        url("stay_contact", language, stay_id=stay.pk),
        {"local_phone": "+49 151 999 888", "local_address": "Neue Str. 2"},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.local_phone, stay.local_address) == ("+49 151 999 888", "Neue Str. 2")
    refused = client.post(
        url("stay_contact", language, stay_id=stay.pk),
        {"local_phone": "ring meg", "local_address": ""},
    )
    assert refused.status_code == 400
    assert (
        "minst 5 sifre" if language == "nb" else "at least 5 digits"
    ) in refused.content.decode()
    stay.refresh_from_db()
    assert stay.local_phone == "+49 151 999 888"


def test_an_erased_stay_is_listed_without_details_and_cannot_be_changed(client, tree):
    stay = stay_make(
        tree["cs_student"],
        starts_on=TODAY - datetime.timedelta(days=300),
        ends_on=TODAY - datetime.timedelta(days=200),
        erased_at=timezone.now(),
        local_phone="",
        emergency_name="",
    )
    client.force_login(tree["cs_student"])
    body = client.get(url("my_stays")).content.decode()
    assert "personal details erased" in body
    assert url("stay_contact", stay_id=stay.pk) not in body
    response = client.get(url("stay_edit", stay_id=stay.pk))
    assert response.status_code == 302
    assert (
        client.post(
            url("stay_contact", stay_id=stay.pk), {"local_phone": "+34 600 000 000"}
        ).status_code
        == 302
    )
    stay.refresh_from_db()
    assert stay.local_phone == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_student_deletes_their_stay(client, tree, language):
    stay = stay_make(tree["cs_student"])
    PlanBCourse.objects.create(stay=stay, code="A", title="B", ects="5")
    client.force_login(tree["cs_student"])
    assert client.get(url("stay_delete", language, stay_id=stay.pk)).status_code == 200
    response = client.post(url("stay_delete", language, stay_id=stay.pk))
    assert response.status_code == 302
    assert not StayAbroad.objects.exists() and not PlanBCourse.objects.exists()


def test_the_list_costs_the_same_queries_for_one_stay_and_for_many(client, tree):
    client.force_login(tree["cs_student"])
    stay_make(tree["cs_student"], city="A")
    client.get(url("my_stays"))  # the site's own first-request reads
    with CaptureQueriesContext(connection) as one:
        client.get(url("my_stays"))
    for city in "BCDEF":
        stay = stay_make(tree["cs_student"], city=city, agreement=tree["tum_agreement"])
        PlanBCourse.objects.create(stay=stay, code="A", title="B", ects="5")
    with CaptureQueriesContext(connection) as many:
        client.get(url("my_stays"))
    assert len(many) == len(one)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ways_in_lead_to_my_stays(client, tree, language):
    client.force_login(tree["cs_student"])
    mine = url("my_stays", language)
    with translation.override(language):
        finder = reverse("exchange:finder")
        cases = reverse("approvals:my_cases")
        plan = reverse("arrival_plan")
    assert f'href="{mine}"' in client.get(finder).content.decode()
    assert f'href="{mine}"' in client.get(cases).content.decode()
    StudentProfile.objects.update_or_create(
        user=tree["cs_student"], defaults={"status": StudentStatus.OUTGOING}
    )
    assert f'href="{mine}"' in client.get(plan).content.decode()
