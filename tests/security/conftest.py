"""One world for the security tests, built once per module: units, people in every role, and
an object of every kind the site's URLs address (see ``access.py`` for the roles)."""

from collections.abc import Mapping
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cms.models import HomePage
from onboarding.activities.recurrence import RuleParts
from onboarding.activities.services import (
    RecurrenceInput,
    calendar_feed_create,
    recurrence_create,
    signup_create,
)
from onboarding.approvals.models import CaseStatus, TranscriptLine
from onboarding.approvals.services.precedents import precedent_create
from onboarding.buddies.models import RuleKind
from onboarding.buddies.services import matching_run, rule_set
from onboarding.checklists.services import document_upload, progress_tick
from onboarding.courses.services import enrolment_create, placement_record
from onboarding.exchange.models import ReportStatus
from onboarding.glossary.services import proposal_create
from onboarding.live.models import Notification
from onboarding.live.services import notify
from onboarding.units.services import (
    follow_create,
    international_staff_add,
    unit_invitation_create,
    unit_organiser_add,
)
from tests.factories import UserFactory
from tests.live_layer import channel_layer_reset
from tests.onboarding.activities.factories import editor_of, event_create, series_create
from tests.onboarding.approvals.agreement_builders import (
    change_make,
    course,
    decided_case,
    ours,
    spec,
)
from tests.onboarding.approvals.factories import case_make
from tests.onboarding.buddies.factories import buddy_create, round_create
from tests.onboarding.buddies.factories import student_create as buddy_student_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create
from tests.onboarding.courses.factories import answers_up_to, catalogue_create, course_create
from tests.onboarding.exchange.factories import (
    agreement_create,
    institution_create,
    programme_create,
    report_create,
)
from tests.onboarding.glossary.factories import isced, term_make
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.stays.registry_builders import course_make
from tests.onboarding.units.factories import mfa_enable, unit_tree
from tests.shared import fresh, module_transaction

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def world_create(home):
    """The units of ``unit_tree``, the seven roles, and an event, course, checklist, buddy round,
    exchange agreement and the rest."""
    tree = unit_tree(home, publish=False)
    world = {
        "home": home,
        "directory": tree["directory"],
        "catalogue": catalogue_create(home, publish=False),
        "faculty_a": tree["faculty_a"],
        "faculty_b": tree["faculty_b"],
        "choir": tree["choir"],
        "language_centre": tree["language_centre"],
        "buddies": tree["buddies"],
    }
    world["event"] = event_create(tree["faculty_a"], publish=False, capacity=20)
    world["course"] = course_create(tree["language_centre"])
    # A parallel course to swap the student's place to, and a course whose places a round gives.
    world["parallel_course"] = course_create(tree["language_centre"])
    world["round_course"] = course_create(
        tree["language_centre"], level="B1", allocated_in_round=True
    )
    world["checklist"] = checklist_create(
        tree["faculty_a"],
        items=[
            item_spec("Apply for a visa", -30),
            item_spec("Open a bank account", 14),
            item_spec("Upload your admission letter", 0, asks_document=True),
        ],
    )
    world["item"] = world["checklist"].items.first()
    world["document_item"] = world["checklist"].items.get(asks_document=True)
    world["institution"] = institution_create()
    world["agreement"] = agreement_create(
        institution=world["institution"], owner_unit=tree["faculty_a"]
    )
    world["programme"] = programme_create(owner_unit=tree["faculty_a"])
    # An earlier decision of faculty A at the partner (public; kept by faculty A's editors).
    world["precedent"] = precedent_create(
        institution=world["institution"],
        deciding_unit=tree["faculty_a"],
        decided_on=date.today() - timedelta(days=100),
        foreign=[{"code": "XY100", "title": "Introduction", "ects": Decimal("7.5")}],
        home=[
            {
                "kind": "course",
                "code": "FYS100",
                "title_nb": "Innføring i fysikk",
                "title_en": "Introduction to physics",
                "ects": Decimal("7.5"),
            }
        ],
    )

    student = student_create(faculty=tree["faculty_a"])
    other_student = student_create(faculty=tree["faculty_a"])
    editor = mfa_enable(editor_of(tree["faculty_a"]))
    editor_of(tree["language_centre"], email=editor.email)
    editor_of(tree["buddies"], email=editor.email)
    staff = mfa_enable(UserFactory())
    international_staff_add(user=staff)
    world.update(
        anonymous=None,
        student=student,
        other_student=other_student,
        editor=editor,
        other_editor=mfa_enable(editor_of(tree["choir"])),
        other_coordinator=mfa_enable(editor_of(tree["faculty_b"])),
        staff=staff,
    )

    # The first student's own things, which the other roles ask for.
    world["signup"] = signup_create(event=world["event"], user=student)
    signup_create(event=world["event"], user=other_student)
    world["enrolment"] = enrolment_create(course=world["course"], user=student)
    world["feed"] = calendar_feed_create(user=student)
    progress_tick(student=student, item=world["item"])
    follow_create(user=student, unit=tree["choir"])
    placement_record(user=student, answers=answers_up_to("A2"))
    notify(recipients=[student], kind="event_changed", context={"event_title": "Quiz"}, email=False)
    world["notification"] = Notification.objects.filter(recipient=student).latest("pk")
    world["submission"] = document_upload(
        student=student,
        item=world["document_item"],
        upload=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
    )
    world["report"] = report_create(
        agreement=world["agreement"], author=student, status=ReportStatus.PENDING
    )

    # The student's pre-approval case, submitted to faculty A a day ago, with one line. It is for
    # an agreement of its own: a case keeps its agreement from being deleted.
    world["case"] = case_make(
        student=student,
        agreement=agreement_create(institution=world["institution"], owner_unit=tree["faculty_a"]),
        programme=world["programme"],
        unit=tree["faculty_a"],
        accountable_unit=tree["section"],
        submitted_at=timezone.now() - timedelta(days=1),
    )
    world["case_line"] = world["case"].lines.get()

    # The buddy round of the Buddy Programme: the student asks, two buddies volunteer, the
    # organiser pins the student to one of them and runs the matching (not yet published).
    world["buddy_round"] = round_create(tree["buddies"])
    asking = buddy_student_create(world["buddy_round"], user=student)
    buddy = buddy_create(world["buddy_round"])
    buddy_create(world["buddy_round"])
    world["rule"] = rule_set(
        round=world["buddy_round"],
        student_id=asking.pk,
        buddy_id=buddy.pk,
        kind=RuleKind.PIN,
        by=editor,
    )
    matching_run(round=world["buddy_round"], by=editor)

    # An event series to make repeat, and one that repeats, with an occurrence to change.
    world["series"] = series_create(tree["faculty_a"], title_nb="Kaffe", title_en="Coffee")
    repeating = series_create(tree["faculty_a"], title_nb="Språkkafé", title_en="Language café")
    today = date.today()
    recurrence = recurrence_create(
        series=repeating,
        by=editor,
        given=RecurrenceInput(
            parts=RuleParts(frequency="weekly", weekday=today.weekday(), count=2),
            starts_on=today + timedelta(days=7),
            start_time=time(18),
            duration=timedelta(hours=2),
            template={
                "title_nb": "Språkkafé",
                "title_en": "Language café",
                "summary_nb": "Snakk norsk.",
                "summary_en": "Speak Norwegian.",
                "building": "Studenthuset",
            },
        ),
    )
    world["occurrence"] = recurrence.occurrences.order_by("start_at").first()
    # The student's decided pre-approval case, handled by faculty A (whose editor advises on it),
    # from last year's autumn: its learning agreement (one course, and a combination), a line of
    # the transcript after return, and a draft change to the agreement.
    world["approval_case"], approval_lines = decided_case(
        student=student,
        # An agreement of its own: the world's agreement is deleted in the admin's matrix.
        agreement=agreement_create(institution=world["institution"], owner_unit=tree["faculty_a"]),
        unit=tree["faculty_a"],
        adviser=editor,
        programme=world["programme"],
        year=today.year - 1,
        lines=[
            spec(
                [course("IN2010", "Algorithms", "7.5")],
                [ours("INF200", "Algoritmer", "Algorithms", "7.5")],
            ),
            spec(
                [course("IN2064", "Machine Learning", "8"), course("IN2346", "Deep Learning", "6")],
                [ours("INF300", "Maskinlæring", "Machine learning", "15")],
            ),
        ],
    )
    world["approval_line"] = approval_lines[0]
    world["approval_change"], _, _ = change_make(world["approval_case"], status=CaseStatus.DRAFT)
    world["transcript_line"] = TranscriptLine.objects.create(
        case=world["approval_case"], code="IN2010", title="Algorithms", grade="B", ects="7.5"
    )
    # Faculty A's next board: an organiser, and an invitation waiting for its next organiser.
    world["organiser"] = unit_organiser_add(unit=tree["faculty_a"], user=UserFactory()).user
    world["invitation"], world["invitation_token"] = unit_invitation_create(
        unit=tree["faculty_a"], email="next.board@example.org", role="organiser", by=editor
    )
    world.update(returns_world(student=student, faculty=tree["faculty_a"]))
    # The student's stay abroad, and a course of faculty A's programme (for plan-B courses).
    world["stay"] = stay_make(student)
    world["programme_course"] = course_make(world["programme"], semester=1, code="PRG1010")
    # A crisis where the student's stay is, with their safety check and an answer link.
    from tests.onboarding.stays.crisis_factories import crisis_world

    world.update(crisis_world(student=student, staff=staff))
    # The glossary: a term of faculty A's (at /en/glossary/fadder/), and the student's proposal
    # of another, waiting for faculty A's editors.
    world["term"] = term_make(tree["faculty_a"], nb="fadder", en="buddy")
    world["term_proposal"] = proposal_create(
        user=student,
        term="kollokviegruppe",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
    )
    world.update(democracy_world(tree))
    return world


def democracy_world(tree):
    """A meeting of faculty A's student council and an election to it with nominations open."""
    from tests.onboarding.democracy.builders import election_make, meeting_make

    council = tree["council_a"]
    now = timezone.now()
    return {
        "council": council,
        "meeting": meeting_make(council, start_at=now + timedelta(days=7)),
        "election": election_make(council, opens=now - timedelta(days=1), publish=False),
    }


def returns_world(*, student, faculty):
    """The student's current stay abroad and their request to come home from it, sent to
    faculty A a day ago (written straight to the tables: the request's route is not tested
    here)."""
    from onboarding.approvals.clock import WaitingFor
    from onboarding.stays.models import EarlyReturnRequest, EarlyReturnStep, PlanBCourse
    from tests.onboarding.stays.factories import stay_make

    stay = stay_make(student)
    PlanBCourse.objects.create(stay=stay, code="INF1000", title="Programming", ects=Decimal(10))
    sent = timezone.now() - timedelta(days=1)
    request = EarlyReturnRequest.objects.create(
        stay=stay,
        student=student,
        reason="health",
        return_on=date.today() + timedelta(days=10),
        unit=faculty,
        decision_days=5,
        submitted_at=sent,
    )
    EarlyReturnStep.objects.create(
        request=request, at=sent, actor=student, kind="submitted", waiting_for=WaitingFor.ADVISER
    )
    return {"return_stay": stay, "return_request": request}


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    channel_layer_reset()
    with module_transaction(django_db_blocker), translation.override("nb"):
        yield world_create(HomePage.objects.get())
    channel_layer_reset()


class FreshWorld(Mapping):
    """The module's world, each instance re-read from the database when the test first asks for
    it: a test uses a few of the world's objects, and re-reading all of them for each of the
    matrix's requests took a third of its time."""

    def __init__(self, objects):
        self._objects = objects
        self._read = {}

    def __getitem__(self, key):
        if key not in self._read:
            self._read[key] = fresh({key: self._objects[key]})[key]
        return self._read[key]

    def __iter__(self):
        return iter(self._objects)

    def __len__(self):
        return len(self._objects)

    def __repr__(self):
        return f"FreshWorld({', '.join(self._objects)})"


@pytest.fixture
def world(_module_world, db):
    """The module's world (``world_create``), each instance re-read for the test."""
    return FreshWorld(_module_world)
