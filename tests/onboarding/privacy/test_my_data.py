"""Download my data: everything the register says the site holds about a person, and no one else's."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.activities.services import signup_create
from onboarding.buddies.models import BuddyMatch, MatchState
from onboarding.checklists.services import document_upload, progress_tick
from onboarding.courses.models import PlacementResult
from onboarding.courses.services import enrolment_create
from onboarding.live.models import Notification
from onboarding.privacy.export import personal_data_copy, personal_data_json
from onboarding.units.services import follow_create
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.buddies.factories import buddy_create, round_create
from tests.onboarding.buddies.factories import student_create as buddy_student_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create
from tests.onboarding.courses.factories import course_create
from tests.onboarding.exchange.factories import agreement_create, institution_create, report_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def person(tree):
    """A student with something in every part of the site, and another student beside them."""
    student = student_create(faculty=tree["faculty_a"], language="nb", programme="Fysikk")
    other = student_create(faculty=tree["faculty_a"])
    checklist = checklist_create(
        tree["faculty_a"],
        items=[
            item_spec(
                ("Last opp opptaksbrevet", "Upload your admission letter"), -10, asks_document=True
            )
        ],
    )
    item = checklist.items.get()
    for someone in (student, other):
        progress_tick(student=someone, item=item)
        follow_create(user=someone, unit=tree["choir"])
    document_upload(
        student=student,
        item=item,
        upload=SimpleUploadedFile("opptaksbrev.pdf", PDF, content_type="application/pdf"),
    )
    Notification.objects.create(
        recipient=student,
        kind="test",
        language="nb",
        subject="Velkommen!",
        created_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=other,
        kind="test",
        language="en",
        subject="Someone else's",
        created_at=timezone.now(),
    )
    event = event_create(
        tree["choir"], title_nb="Korøvelse", title_en="Choir practice", publish=False
    )
    signup_create(event=event, user=student)
    course = course_create(tree["language_centre"], title_nb="Norsk A1", title_en="Norwegian A1")
    enrolment_create(course=course, user=student)
    PlacementResult.objects.create(
        user=student, level="A2", listening="A2", reading="A2", speaking="A1", writing="A1"
    )
    buddy_round = round_create(tree["buddies"])
    profile = buddy_student_create(buddy_round, user=student, phone="+47 400 00 000")
    buddy = buddy_create(buddy_round, user=UserFactory(first_name="Kari", last_name="Buddy"))
    BuddyMatch.objects.create(
        round=buddy_round, student=profile, buddy=buddy, state=MatchState.PUBLISHED
    )
    agreement = agreement_create(institution=institution_create(), owner_unit=tree["faculty_a"])
    report_create(agreement=agreement, author=student, title="Et godt semester")
    return student


def rows(copy, key):
    (section,) = [s for s in copy.sections if s.key == key]
    return [{value.name: value.data for value in row.values} for row in section.rows]


def test_the_copy_holds_every_part_of_the_site_about_the_person(person):
    with translation.override("en"):
        copy = personal_data_copy(user=person)
    keys = {section.key for section in copy.sections}
    assert {
        "accounts.user",
        "accounts.studentprofile",
        "account.emailaddress",
        "live.notification",
        "units.follow",
        "checklists.itemprogress",
        "checklists.itemsubmission",
        "activities.signup",
        "courses.enrolment",
        "courses.placementresult",
        "buddies.buddyprofile",
        "buddies.buddymatch",
        "exchange.experiencereport",
    } <= keys
    assert [row["subject"] for row in rows(copy, "live.notification")] == ["Velkommen!"]
    assert len(rows(copy, "units.follow")) == 1
    assert rows(copy, "activities.signup")[0]["event"] == "Choir practice"
    assert rows(copy, "courses.enrolment")[0]["course"] == "Norwegian A1"
    assert rows(copy, "buddies.buddyprofile")[0]["phone"] == "+47 400 00 000"
    assert rows(copy, "exchange.experiencereport")[0]["title"] == "Et godt semester"
    assert rows(copy, "accounts.studentprofile")[0]["programme"] == "Fysikk"
    assert "password" not in rows(copy, "accounts.user")[0]
    assert copy.has_files


def test_a_match_the_organisers_have_not_published_is_left_out(person):
    BuddyMatch.objects.update(state=MatchState.PROPOSED)
    copy = personal_data_copy(user=person)
    assert "buddies.buddymatch" not in {section.key for section in copy.sections}


def test_the_json_names_models_and_fields_the_same_in_both_languages(person):
    with translation.override("nb"):
        nb = json.loads(personal_data_json(personal_data_copy(user=person)))
    with translation.override("en"):
        en = json.loads(personal_data_json(personal_data_copy(user=person)))
    assert nb["data"].keys() == en["data"].keys()
    assert nb["person"] == person.email
    assert nb["data"]["live.notification"]["title"] == "varsler"
    assert en["data"]["live.notification"]["title"] == "notifications"
    (submission,) = en["data"]["checklists.itemsubmission"]["rows"]
    assert submission["original_name"] == "opptaksbrev.pdf"
    assert submission["files"][0].endswith("opptaksbrev.pdf")


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(url("privacy:my_data", "en"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [("en", "Your data", "Notifications"), ("nb", "Dine data", "Varsler")],
)
def test_the_page_in_both_languages(client, person, language, heading, label):
    client.force_login(person)
    response = client.get(url("privacy:my_data", language))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f">{label}</h2>" in page
    assert "Velkommen!" in page
    assert "Someone else" not in page
    assert url("privacy:my_data_zip", language) in page


def test_the_account_pages_and_the_profile_link_to_it(client, person):
    client.force_login(person)
    for page in (url("account_preferences", "en"), url("profile_edit", "en")):
        assert url("privacy:my_data", "en") in client.get(page).content.decode()


def test_the_json_download(client, person):
    client.force_login(person)
    response = client.get(url("privacy:my_data_json", "nb"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["data"]["accounts.user"]["rows"][0]["email"] == person.email


def test_the_zip_holds_the_json_and_the_documents(client, person):
    client.force_login(person)
    response = client.get(url("privacy:my_data_zip", "en"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "data.json" in names
    (document,) = [name for name in names if name.endswith("opptaksbrev.pdf")]
    assert archive.read(document) == PDF
    assert (
        document
        in json.loads(archive.read("data.json"))["data"]["checklists.itemsubmission"]["rows"][0][
            "files"
        ]
    )
