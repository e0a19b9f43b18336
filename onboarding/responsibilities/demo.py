"""Demo responsibility matrix: nine areas of the journey, complete at every level in use.

Run after the units' seed. Safe to run again: areas are found by their
English name and their assignments replaced through the service, which
checks the matrix rules.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from cms.demo import EMERGENCY_PHONE
from cms.models import HomePage
from onboarding.units.demo import demo_units
from onboarding.units.kinds import UnitKind

from .levels import Level, Role
from .models import ResponsibilityArea, ResponsibilityMatrixPage
from .services import AssignmentSpec, area_assignments_replace, area_create

U, F, D = Level.UNIVERSITY, Level.FACULTY, Level.DEPARTMENT
R, A, C, INFORMED = Role.RESPONSIBLE, Role.ACCOUNTABLE, Role.CONSULTED, Role.INFORMED
EACH_FACULTY = UnitKind.FACULTY
EACH_DEPARTMENT = UnitKind.DEPARTMENT
EACH_COUNCIL = UnitKind.STUDENT_COUNCIL
EACH_LINE = UnitKind.LINE_ASSOCIATION
EACH_GROUP = UnitKind.VOLUNTEER_GROUP
KINDS = {EACH_FACULTY, EACH_DEPARTMENT, EACH_COUNCIL, EACH_LINE, EACH_GROUP}

MATRIX_PAGE = {
    "title": {"nb": "Hvem gjør hva", "en": "Who does what"},
    "slug": {"nb": "hvem-gjor-hva", "en": "who-does-what"},
    "intro": {
        "nb": "Ansvarsfordelingen for å ta imot og inkludere internasjonale studenter: for hver "
        "del av reisen, på hvert nivå, hvem som godkjenner og står til ansvar for resultatet, "
        "hvem som gjør arbeidet, hvem som rådføres og hvem som holdes informert.",
        "en": "The division of responsibility for welcoming and including international "
        "students: for each part of the journey, at each level, who is accountable for the "
        "outcome, who does the work, who is consulted and who is kept informed.",
    },
}

# Each area: names, descriptions, and its assignments as
# (level, role, party, note nb, note en); a party is a unit key of the
# units' demo or a kind of unit ("each faculty").
AREAS = [
    {
        "name": {"nb": "Informasjon før ankomst", "en": "Pre-arrival information"},
        "description": {
            "nb": "Opptaksbrev, oppholdstillatelse, bolig og alt du må gjøre før du reiser, på "
            "norsk og engelsk.",
            "en": "Letters of admission, residence permits, housing and everything to do before "
            "you travel, in Norwegian and English.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (
                U,
                R,
                "international-section",
                "Nettsider og e-post til nye studenter",
                "Web pages and emails to new students",
            ),
            (U, C, "language-centre", "", ""),
            (U, INFORMED, "buddy", "", ""),
            (U, INFORMED, "isn", "", ""),
            (F, A, EACH_FACULTY, "", ""),
            (
                F,
                R,
                EACH_FACULTY,
                "Programinformasjon og timeplan",
                "Programme information and timetable",
            ),
            (F, INFORMED, EACH_COUNCIL, "", ""),
        ],
    },
    {
        "name": {"nb": "Ankomst og bolig", "en": "Arrival and housing"},
        "description": {
            "nb": "De første dagene: henting, nøkler, studentbolig, registrering hos politiet og "
            "semesteravgift.",
            "en": "The first days: pickup, keys, student housing, registering with the police and "
            "the semester fee.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (
                U,
                R,
                "international-section",
                "Skranke åpen hele fadderuken",
                "Desk open all buddy week",
            ),
            (U, R, "buddy", "Henting på flyplass og stasjon", "Airport and station pickup"),
            (U, C, "isn", "", ""),
            (U, INFORMED, "student-parliament", "", ""),
        ],
    },
    {
        "name": {"nb": "Faglig mottak", "en": "Academic onboarding"},
        "description": {
            "nb": "Studiestart på programmet: emner, læringsplattform, studieveiledning og "
            "læringsavtale.",
            "en": "Starting on the programme: courses, the learning platform, student advice and "
            "the learning agreement.",
        },
        "assignments": [
            (F, A, EACH_FACULTY, "", ""),
            (F, R, EACH_FACULTY, "Sjekkliste for mottak", "Onboarding checklist"),
            (F, C, EACH_COUNCIL, "", ""),
            (D, A, EACH_DEPARTMENT, "", ""),
            (
                D,
                R,
                EACH_DEPARTMENT,
                "Semesterstartmøte og veileder",
                "Start-of-semester meeting and adviser",
            ),
            (D, C, EACH_LINE, "", ""),
        ],
    },
    {
        "name": {"nb": "Sosial inkludering", "en": "Social inclusion"},
        "description": {
            "nb": "At internasjonale studenter blir en del av studentmiljøet, frivilligheten og "
            "linjeforeningene, ikke bare av hverandre.",
            "en": "That international students become part of student life, the volunteer groups "
            "and the line associations, not only of each other.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (U, R, "isn", "", ""),
            (U, R, "isu", "", ""),
            (
                U,
                R,
                EACH_GROUP,
                "Arrangementer åpne for alle, på engelsk",
                "Events open to everyone, in English",
            ),
            (U, C, "student-parliament", "", ""),
            (F, A, EACH_FACULTY, "", ""),
            (F, R, EACH_COUNCIL, "", ""),
            (F, R, EACH_LINE, "", ""),
            (D, A, EACH_DEPARTMENT, "", ""),
            (D, R, EACH_LINE, "Invitasjoner også på engelsk", "Invitations in English too"),
        ],
    },
    {
        "name": {"nb": "Norsk språk", "en": "Norwegian language"},
        "description": {
            "nb": "Norskkurs tilbudt alle internasjonale studenter, og norsk og engelsk "
            "fagterminologi.",
            "en": "A Norwegian course offered to every international student, and subject "
            "terminology in Norwegian and English.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (U, R, "language-centre", "Kurs fra A1 til C1", "Courses from A1 to C1"),
            (U, C, "isu", "", ""),
            (U, INFORMED, "student-parliament", "", ""),
            (F, A, EACH_FACULTY, "", ""),
            (
                F,
                R,
                EACH_DEPARTMENT,
                "Fagterminologi på begge språk",
                "Subject terminology in both languages",
            ),
        ],
    },
    {
        "name": {"nb": "Studentdemokrati", "en": "Student democracy"},
        "description": {
            "nb": "At internasjonale studenter kan stemme, stille til valg og lese sakene på "
            "engelsk.",
            "en": "That international students can vote, stand for election and read the papers "
            "in English.",
        },
        "assignments": [
            (U, A, "student-parliament", "", ""),
            (U, R, "student-parliament", "Sakspapirer på engelsk", "Papers in English"),
            (U, C, "isu", "", ""),
            (U, INFORMED, "international-section", "", ""),
            (F, A, EACH_COUNCIL, "", ""),
            (F, R, EACH_COUNCIL, "Valg av tillitsvalgte", "Electing representatives"),
            (F, C, EACH_FACULTY, "", ""),
        ],
    },
    {
        "name": {"nb": "Fadderordning", "en": "Buddy programme"},
        "description": {
            "nb": "Faddere som tar imot nye studenter og følger dem de første ukene.",
            "en": "Buddies who welcome new students and stay with them through the first weeks.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (U, R, "buddy", "", ""),
            (U, C, "isn", "", ""),
            (U, INFORMED, EACH_FACULTY, "", ""),
            (D, A, EACH_DEPARTMENT, "", ""),
            (D, R, EACH_LINE, "Faddergrupper per program", "Buddy groups by programme"),
        ],
    },
    {
        "name": {"nb": "Krisestøtte", "en": "Crisis support"},
        "description": {
            "nb": "Beredskap og hjelp når noe alvorlig skjer, her eller under et utenlandsopphold.",
            "en": "Emergency preparedness and help when something serious happens, here or "
            "during a stay abroad.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (
                U,
                R,
                "international-section",
                f"Beredskapstelefon hele døgnet: {EMERGENCY_PHONE}",
                f"Emergency phone around the clock: {EMERGENCY_PHONE}",
            ),
            (U, C, "student-parliament", "", ""),
            (U, INFORMED, EACH_FACULTY, "", ""),
            (F, A, EACH_FACULTY, "", ""),
            (
                F,
                R,
                EACH_FACULTY,
                "Alternative emner ved hjemreise",
                "Alternative courses after a return home",
            ),
            (F, INFORMED, EACH_COUNCIL, "", ""),
        ],
    },
    {
        "name": {"nb": "Veiledning om utveksling", "en": "Outgoing exchange guidance"},
        "description": {
            "nb": "Veiledning før, under og etter utveksling: reisemål, avtaler, forhåndsgodkjenning "
            "av emner, språkkrav og stipend.",
            "en": "Guidance before, during and after an exchange: destinations, agreements, course "
            "pre-approval, language requirements and grants.",
        },
        "assignments": [
            (U, A, "international-section", "", ""),
            (U, R, "international-section", "Avtaler og stipend", "Agreements and grants"),
            (U, C, "student-parliament", "", ""),
            (F, A, EACH_FACULTY, "", ""),
            (F, R, EACH_FACULTY, "Forhåndsgodkjenning av emner", "Course pre-approval"),
            (D, A, EACH_DEPARTMENT, "", ""),
            (D, R, EACH_DEPARTMENT, "Faglig veileder for utveksling", "Exchange adviser"),
            (D, INFORMED, EACH_LINE, "", ""),
        ],
    },
]


def _set(page, field, values):
    for language, value in values.items():
        setattr(page, f"{field}_{language}", value)


def _matrix_page(home):
    page = ResponsibilityMatrixPage.objects.child_of(home).first()
    created = page is None
    if created:
        page = ResponsibilityMatrixPage(
            title=MATRIX_PAGE["title"]["nb"], slug=MATRIX_PAGE["slug"]["nb"]
        )
    _set(page, "title", MATRIX_PAGE["title"])
    _set(page, "slug", MATRIX_PAGE["slug"])
    _set(page, "intro", MATRIX_PAGE["intro"])
    page.show_in_menus = True
    if created:
        home.add_child(instance=page)
    page.save()
    page.save_revision().publish()
    return page


def seed_responsibilities():
    """Create or refresh the matrix page and the complete demo matrix; returns the areas."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_responsibilities()


def _seed_responsibilities():
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Seed the site (cms.demo.seed_site) before the matrix.")
    _matrix_page(home)
    units = demo_units()
    areas = []
    for order, spec in enumerate(AREAS, start=1):
        area = ResponsibilityArea.objects.filter(name_en=spec["name"]["en"]).first()
        if area is None:
            area = area_create(
                name_nb=spec["name"]["nb"],
                name_en=spec["name"]["en"],
                description_nb=spec["description"]["nb"],
                description_en=spec["description"]["en"],
                sort_order=order * 10,
            )
        specs = []
        for level, role, party, note_nb, note_en in spec["assignments"]:
            if party in KINDS:
                specs.append(
                    AssignmentSpec(level, role, unit_kind=party, note_nb=note_nb, note_en=note_en)
                )
            elif party in units:
                specs.append(
                    AssignmentSpec(level, role, unit=units[party], note_nb=note_nb, note_en=note_en)
                )
        area_assignments_replace(area=area, assignments=specs)
        areas.append(area)
    return areas
