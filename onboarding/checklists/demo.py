"""Demo onboarding checklists of a Norwegian university, and demo students at different stages.

Runs after the units and the responsibility matrix (it places checklists
under their units and points items at their areas). Dates are relative to
today, so the demo always shows a student before arrival, one in the first
week, one a month in, and so on. Safe to run again: checklists keep their
items (and the students' ticks) and are brought up to date.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from cms.models import InformationPage
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.responsibilities.models import ResponsibilityArea
from onboarding.units.demo import demo_units
from onboarding.units.services import unit_editor_add

from .models import ChecklistItem, ChecklistPage
from .selectors import plan_get, plan_today
from .services import progress_tick

ARRIVING = ["incoming_exchange", "international_degree", "phd"]

# Area names (English) of the responsibility matrix's demo.
PRE_ARRIVAL = "Pre-arrival information"
ARRIVAL = "Arrival and housing"
ACADEMIC = "Academic onboarding"
SOCIAL = "Social inclusion"
NORWEGIAN = "Norwegian language"
DEMOCRACY = "Student democracy"
BUDDY = "Buddy programme"

# Each checklist: owner unit key, slug, titles, intros, statuses, items. An item:
# (titles, descriptions, offset, required, area, responsible unit key or None, link).
CHECKLISTS = [
    {
        "owner": "international-section",
        "title": {"nb": "Sjekkliste for ankomst", "en": "Arrival checklist"},
        "intro": {
            "nb": "Det alle internasjonale studenter må gjøre før og rett etter ankomst: "
            "oppholdstillatelse, registrering hos politiet, D-nummer, semesteravgift og "
            "studentkort.",
            "en": "What every international student does before and just after arriving: "
            "residence permit, registering with the police, D number, semester fee and "
            "student card.",
        },
        "statuses": ARRIVING,
        "items": [
            (
                {
                    "nb": "Søk om oppholdstillatelse eller registrer deg hos UDI",
                    "en": "Apply for a residence permit or register with the immigration authority",
                },
                {
                    "nb": "Studenter fra land utenfor EU/EØS søker om studietillatelse i UDIs "
                    "søknadsportal. Studenter fra EU/EØS registrerer seg i den samme portalen.",
                    "en": "Students from outside the EU/EEA apply for a study permit in the "
                    "immigration authority's (UDI) portal. Students from the EU/EEA register in "
                    "the same portal.",
                },
                -45,
                True,
                PRE_ARRIVAL,
                None,
                "page:residence-permit-and-registration",
            ),
            (
                {"nb": "Betal semesteravgiften", "en": "Pay the semester fee"},
                {
                    "nb": "Betal semesteravgiften i Studentweb. Uten betalt avgift får du ikke "
                    "studentkort eller meldt deg opp til eksamen.",
                    "en": "Pay the semester fee in the student web (Studentweb). Without it you "
                    "cannot get a student card or register for exams.",
                },
                -10,
                True,
                PRE_ARRIVAL,
                None,
                "",
            ),
            (
                {"nb": "Meld deg på fadderordningen", "en": "Sign up for the buddy programme"},
                {
                    "nb": "En fadder møter deg når du kommer og er med deg den første uken.",
                    "en": "A buddy meets you when you arrive and stays with you through the "
                    "first week.",
                },
                -20,
                False,
                BUDDY,
                "buddy",
                "",
            ),
            (
                {"nb": "Hent studentkortet", "en": "Collect your student card"},
                {
                    "nb": "Last opp et bilde og hent kortet i Studentservice. Det er adgangskort, "
                    "lånekort og studentbevis.",
                    "en": "Upload a photo and collect the card at Student services. It is your "
                    "access card, library card and student ID.",
                },
                2,
                True,
                ARRIVAL,
                None,
                "",
            ),
            (
                {
                    "nb": "Registrer oppholdet hos politiet",
                    "en": "Register your residence with the police",
                },
                {
                    "nb": "Bestill time hos politiet og møt med pass og opptaksbrev. Studenter "
                    "utenfor EU/EØS henter oppholdskortet sitt; studenter fra EU/EØS får "
                    "registreringsbevis.",
                    "en": "Book an appointment with the police and bring your passport and "
                    "letter of admission. Students from outside the EU/EEA collect their "
                    "residence card; students from the EU/EEA get a registration certificate.",
                },
                5,
                True,
                ARRIVAL,
                None,
                "page:residence-permit-and-registration",
            ),
            (
                {
                    "nb": "Få D-nummer hos Skatteetaten",
                    "en": "Get your national ID number (D number) from the Tax Administration",
                },
                {
                    "nb": "Møt til ID-kontroll hos Skatteetaten etter at du har vært hos "
                    "politiet. Du trenger D-nummer for bankkonto og lønn.",
                    "en": "Go to an ID check at the Tax Administration after you have been to "
                    "the police. You need the D number for a bank account and to be paid.",
                },
                10,
                True,
                ARRIVAL,
                None,
                "",
            ),
            (
                {"nb": "Meld deg på norskkurs", "en": "Sign up to a Norwegian course"},
                {
                    "nb": "Alle internasjonale studenter får tilbud om norskkurs. Velg nivået "
                    "som passer deg.",
                    "en": "Every international student is offered a Norwegian course. Choose the "
                    "level that fits you.",
                },
                14,
                True,
                NORWEGIAN,
                "language-centre",
                "page:norwegian-courses-information",
            ),
        ],
    },
    {
        "owner": "ie",
        "title": {
            "nb": "Velkommen til fakultetet: kom i gang",
            "en": "Welcome to the faculty: getting started",
        },
        "intro": {
            "nb": "Fakultetets egne punkter: møt koordinatoren, meld deg til emner og bli kjent "
            "med studentene.",
            "en": "The faculty's own items: meet your coordinator, register for your courses and "
            "get to know the students.",
        },
        "statuses": ARRIVING,
        "items": [
            (
                {
                    "nb": "Møt den internasjonale koordinatoren din",
                    "en": "Meet your international coordinator",
                },
                {
                    "nb": "Kom på drop-in i fakultetets studieseksjon, eller bestill en samtale.",
                    "en": "Come to the faculty's drop-in at the student office, or book a talk.",
                },
                3,
                True,
                ACADEMIC,
                None,
                "",
            ),
            (
                {
                    "nb": "Meld deg til emner i Studentweb",
                    "en": "Register for your courses in the student web",
                },
                {
                    "nb": "Semesterregistrering og emnepåmelding i Studentweb innen fristen. "
                    "Utvekslingsstudenter følger læringsavtalen.",
                    "en": "Semester registration and course registration in the student web "
                    "before the deadline. Exchange students follow their learning agreement.",
                },
                7,
                True,
                ACADEMIC,
                None,
                "",
            ),
            (
                {"nb": "Bli med i linjeforeningen din", "en": "Join your line association"},
                {
                    "nb": "Linjeforeningen har fadderuke, hytteturer og bedriftspresentasjoner. "
                    "Følg den fra «Dine folk» i ankomstplanen.",
                    "en": "The line association runs buddy week, cabin trips and company "
                    "presentations. Follow it from “Your people” in your arrival plan.",
                },
                14,
                False,
                SOCIAL,
                None,
                "",
            ),
            (
                {"nb": "Finn studentrådet ditt", "en": "Find your student council"},
                {
                    "nb": "Studentrådet er studentenes stemme ved fakultetet. Du kan stemme og "
                    "stille til valg.",
                    "en": "The student council is the students' voice at the faculty. You can "
                    "vote and stand for election.",
                },
                21,
                False,
                DEMOCRACY,
                "council-ie",
                "page:student-democracy",
            ),
        ],
    },
    {
        "owner": "idi",
        "title": {
            "nb": "Institutt for datateknologi: de første ukene",
            "en": "Department of Computer Science: your first weeks",
        },
        "intro": {
            "nb": "Instituttets punkter for nye internasjonale studenter.",
            "en": "The department's items for new international students.",
        },
        "statuses": ARRIVING,
        "items": [
            (
                {"nb": "Kom på semesterstartmøtet", "en": "Come to the start-of-semester meeting"},
                {
                    "nb": "Møt studieveilederne, faglærerne og linjeforeningen Binær.",
                    "en": "Meet the student advisers, the teachers and the line association Binær.",
                },
                4,
                True,
                ACADEMIC,
                None,
                "",
            ),
            (
                {"nb": "Få tilgang til datasalene", "en": "Get access to the computer labs"},
                {
                    "nb": "Aktiver brukerkontoen din og be om adgang på studentkortet.",
                    "en": "Activate your user account and ask for access on your student card.",
                },
                6,
                False,
                ACADEMIC,
                None,
                "",
            ),
        ],
    },
    {
        "owner": "nv",
        "title": {
            "nb": "Velkommen til Fakultet for naturvitenskap",
            "en": "Welcome to the Faculty of Natural Sciences",
        },
        "intro": {
            "nb": "Fakultetets punkter for nye internasjonale studenter.",
            "en": "The faculty's items for new international students.",
        },
        "statuses": ARRIVING,
        "items": [
            (
                {"nb": "Ta HMS-kurset for laboratoriene", "en": "Take the lab safety course"},
                {
                    "nb": "Du må ha bestått HMS-kurset før du får jobbe på laboratoriet.",
                    "en": "You must pass the health and safety course before you work in the labs.",
                },
                5,
                True,
                ACADEMIC,
                None,
                "",
            ),
            (
                {
                    "nb": "Meld deg til emner i Studentweb",
                    "en": "Register for your courses in the student web",
                },
                {"nb": "Før fristen 1. september.", "en": "Before the deadline of 1 September."},
                7,
                True,
                ACADEMIC,
                None,
                "",
            ),
        ],
    },
]

# Demo students: (email, first, last, language, status, faculty, department, days since
# arrival (negative: not arrived yet; None: no date), country, institution, programme,
# level, interests, items to leave undone (English titles)).
STUDENTS = [
    (
        "student@velkommen.test",
        "Ana",
        "Silva",
        "en",
        StudentStatus.INCOMING_EXCHANGE,
        "ie",
        "idi",
        9,
        "BR",
        "Universidade de São Paulo",
        "Computer Science (exchange)",
        "A1",
        ["music", "outdoors", "games"],
        {"Register your residence with the police"},
    ),
    (
        "lukas.weber@velkommen.test",
        "Lukas",
        "Weber",
        "en",
        StudentStatus.INTERNATIONAL_DEGREE,
        "ie",
        "idi",
        -12,
        "DE",
        "",
        "Master's programme in Computer Science",
        "none",
        ["sports", "technology"],
        None,
    ),
    (
        "priya.sharma@velkommen.test",
        "Priya",
        "Sharma",
        "en",
        StudentStatus.PHD,
        "ie",
        "ies",
        45,
        "IN",
        "Indian Institute of Technology Bombay",
        "PhD in Electronic Systems",
        "A2",
        ["helping", "culture"],
        {"Sign up to a Norwegian course"},
    ),
    (
        "kwame.mensah@velkommen.test",
        "Kwame",
        "Mensah",
        "en",
        StudentStatus.INCOMING_EXCHANGE,
        "ie",
        "imf",
        20,
        "GH",
        "University of Ghana",
        "Mathematics (exchange)",
        "none",
        ["sports"],
        {
            "Get your national ID number (D number) from the Tax Administration",
            "Register for your courses in the student web",
        },
    ),
    (
        "aiko.tanaka@velkommen.test",
        "Aiko",
        "Tanaka",
        "nb",
        StudentStatus.INTERNATIONAL_DEGREE,
        "ie",
        "itk",
        30,
        "JP",
        "",
        "Master's programme in Cybernetics and Robotics",
        "B1",
        ["music"],
        set(),
    ),
    (
        "sofia.rossi@velkommen.test",
        "Sofia",
        "Rossi",
        "en",
        StudentStatus.INCOMING_EXCHANGE,
        "nv",
        "ify",
        3,
        "IT",
        "Università di Bologna",
        "Physics (exchange)",
        "none",
        ["outdoors", "food"],
        {"Collect your student card"},
    ),
    (
        "emma.larsen@velkommen.test",
        "Emma",
        "Larsen",
        "nb",
        StudentStatus.OUTGOING,
        "su",
        "ips",
        None,
        "NO",
        "",
        "Bachelor's programme in Psychology",
        "C2",
        ["languages"],
        None,
    ),
    (
        "jonas.berg@velkommen.test",
        "Jonas",
        "Berg",
        "nb",
        StudentStatus.BUDDY,
        "ie",
        "idi",
        None,
        "NO",
        "",
        "Computer Science",
        "C2",
        ["helping", "games"],
        None,
    ),
]

COORDINATOR = ("coordinator@velkommen.test", "ie")


def seed_checklists():
    """Create or refresh the demo checklists and students; returns the checklists made."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        units = demo_units()
        if "international-section" not in units:
            raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) first.")
        checklists = [_checklist(units, spec) for spec in CHECKLISTS if spec["owner"] in units]
        _coordinator(units)
        for row in STUDENTS:
            _student(units, *row)
        return checklists


def _areas():
    return {area.name_en: area for area in ResponsibilityArea.objects.all()}


def _pages():
    return {page.slug_en: page for page in InformationPage.objects.all()}


def _checklist(units, spec):
    owner = units[spec["owner"]]
    areas, pages = _areas(), _pages()
    slug_nb, slug_en = slugify(spec["title"]["nb"]), slugify(spec["title"]["en"])
    page = ChecklistPage.objects.child_of(owner).filter(slug_nb=slug_nb).first()
    created = page is None
    if created:
        page = ChecklistPage(title=spec["title"]["nb"], slug=slug_nb)
    for field in ("title", "intro"):
        for language, value in spec[field].items():
            setattr(page, f"{field}_{language}", value)
    page.slug_nb, page.slug_en = slug_nb, slug_en
    page.statuses = list(spec["statuses"])
    existing = {item.title_en: item for item in page.items.all()} if not created else {}
    items = []
    for index, (titles, texts, offset, required, area, responsible, link) in enumerate(
        spec["items"]
    ):
        item = existing.get(titles["en"]) or ChecklistItem()
        item.title_nb, item.title_en = titles["nb"], titles["en"]
        item.description_nb, item.description_en = texts["nb"], texts["en"]
        item.due_offset_days, item.required, item.sort_order = offset, required, index
        item.area = areas.get(area)
        item.responsible_unit = units.get(responsible) if responsible else None
        item.link_page = pages.get(link.removeprefix("page:")) if link.startswith("page:") else None
        item.link_url = link if link.startswith("http") else ""
        items.append(item)
    page.items = items
    if created:
        owner.add_child(instance=page)
    page.save_revision().publish()
    return page


def _coordinator(units):
    """The demo faculty coordinator edits their faculty (the units' seed usually did this)."""
    email, key = COORDINATOR
    user = get_user_model().objects.filter(email=email).first()
    if user is not None and key in units:
        unit_editor_add(unit=units[key], user=user)


def _student(
    units,
    email,
    first,
    last,
    language,
    status,
    faculty,
    department,
    days_since_arrival,
    country,
    institution,
    programme,
    level,
    interests,
    undone,
):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(email=email)
    if created or not user.has_usable_password():
        user.password = demo_password_hash()
    user.first_name, user.last_name = first, last
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    today = plan_today()
    arrival = (
        today - datetime.timedelta(days=days_since_arrival)
        if days_since_arrival is not None
        else None
    )
    profile_save(
        user=user,
        status=status,
        faculty=units.get(faculty),
        department=units.get(department),
        home_country=country,
        home_institution=institution,
        programme=programme,
        arrival_date=arrival,
        departure_date=arrival + datetime.timedelta(days=140) if arrival else None,
        norwegian_level=level,
        interests=interests,
        contact_consent=True,
        language=language,
    )
    if undone is None or arrival is None:
        return
    plan = plan_get(user=user)
    for entry in plan.items:
        if entry.item.title_en in undone or entry.due_date > today:
            continue
        done_at = timezone.make_aware(
            datetime.datetime.combine(entry.due_date, datetime.time(11, 0))
        )
        progress_tick(student=user, item=entry.item, now=done_at)
