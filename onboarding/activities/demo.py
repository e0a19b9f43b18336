"""Demo events: welcome weeks across the units, some full with a waitlist, some past with check-ins.

Also the welcome-week workflow: events in the buddy programme's welcome week
wait for the International Section's approval. Times are set relative to
the day of seeding. Safe to run again: events are found by their place and
Norwegian slug, and existing ones are left as they are.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from onboarding.units.demo import demo_units, slug
from onboarding.units.services import international_staff_group_ensure

from .errors import CheckInError, SignupError
from .models import EventPage, EventSeriesPage
from .services import checkin_perform, signup_create

WORKFLOW_NAME = "Fadderuke: godkjenning av Internasjonal seksjon / Welcome week approval"
TASK_NAME = "Internasjonal seksjon godkjenner / International Section approves"
PARTICIPANT_DOMAIN = "deltaker.velkommen.test"

WELCOME_WEEK = {
    "unit": "buddy",
    "title": {"nb": "Fadderuka", "en": "Welcome week"},
    "intro": {
        "nb": "Ti dager med omvisninger, fester, turer og informasjonsmøter for nye "
        "internasjonale studenter. Arrangementene her godkjennes av Internasjonal seksjon.",
        "en": "Ten days of tours, parties, trips and information meetings for new international "
        "students. The events here are approved by the International Section.",
    },
}

PARTICIPANT_NAMES = [
    ("Ana", "Silva"),
    ("Lukas", "Müller"),
    ("Chloé", "Dubois"),
    ("Mateo", "García"),
    ("Aiko", "Tanaka"),
    ("Priya", "Sharma"),
    ("Wei", "Zhang"),
    ("Olga", "Ivanova"),
    ("Kwame", "Mensah"),
    ("Sofia", "Rossi"),
    ("Jonas", "Nielsen"),
    ("Emma", "Johansson"),
    ("Noah", "Smith"),
    ("Fatima", "Haddad"),
    ("Diego", "Fernández"),
    ("Mei", "Chen"),
    ("Ingrid", "Lindqvist"),
    ("Tomasz", "Kowalski"),
    ("Amara", "Okafor"),
    ("Luca", "Bianchi"),
    ("Hana", "Novak"),
    ("Arjun", "Patel"),
    ("Laura", "Schmidt"),
    ("Yusuf", "Demir"),
    ("Camille", "Martin"),
    ("Sven", "Andersson"),
    ("Nadia", "Rahman"),
    ("Pedro", "Costa"),
    ("Elif", "Yilmaz"),
    ("Jakub", "Nowak"),
    ("Lea", "Weber"),
    ("Kenji", "Sato"),
    ("Isabel", "Torres"),
    ("Oskar", "Berg"),
    ("Zara", "Ali"),
    ("Matteo", "Ricci"),
    ("Anya", "Petrova"),
    ("Samuel", "Okoye"),
    ("Julia", "Kowalczyk"),
    ("Ravi", "Kumar"),
    ("Clara", "Fischer"),
    ("Hugo", "Lefebvre"),
    ("Min-jun", "Kim"),
    ("Eva", "Horvat"),
    ("Tariq", "Aziz"),
    ("Nora", "Virtanen"),
    ("Ivan", "Popov"),
    ("Lina", "Haugen"),
    ("Marta", "Sousa"),
    ("Felix", "Wagner"),
    ("Aisha", "Bello"),
    ("Leo", "Moreau"),
    ("Yara", "Khalil"),
    ("Emil", "Korhonen"),
    ("Sara", "Cohen"),
    ("Bruno", "Almeida"),
    ("Vera", "Dvořák"),
    ("Omar", "Farouk"),
    ("Alice", "Brown"),
    ("Nikolai", "Sokolov"),
]


@dataclass
class Spec:
    unit: str
    nb: str
    en: str
    summary_nb: str
    summary_en: str
    day: int
    hour: int
    hours: float = 2
    minute: int = 0
    building: str = ""
    room: str = ""
    online: str = ""
    language: str = "both"
    capacity: int | None = None
    waitlist: bool = True
    statuses: list = field(default_factory=list)
    faculties: list = field(default_factory=list)
    signups: int = 0  # demo participants signed up, in order
    checked_in: float = 0.0  # share of them checked in (past events)
    series: bool = False  # in the welcome week branch
    student: str = ""  # "confirmed" or "waitlisted": the demo student's signup
    from_now: bool = False  # starts in about two hours from seeding, whatever ``hour`` says
    opens_days_before: int | None = None
    closes_hours_before: int | None = None
    cancel_hours_before: int | None = None


def _s(unit, nb, en, snb, sen, day, hour, **extra):
    return Spec(unit, nb, en, snb, sen, day, hour, **extra)


SPECS = [
    # --- Welcome week, in the buddy programme's branch (approved by the International Section)
    _s(
        "buddy",
        "Velkommen til byen: byvandring",
        "Welcome to town: city walk",
        "Fadderne viser deg de viktigste stedene i byen, fra kantina til kaia.",
        "The buddies show you the places that matter, from the canteen to the harbour.",
        0,
        10,
        hours=2.5,
        building="Hovedbygningen",
        room="Inngangen",
        language="en",
        capacity=40,
        signups=24,
        series=True,
        student="confirmed",
        from_now=True,
    ),
    _s(
        "buddy",
        "Internasjonal velkomstfest",
        "International welcome party",
        "Mat fra hele verden, musikk og nye venner. Ta med et flagg!",
        "Food from around the world, music and new friends. Bring a flag!",
        1,
        19,
        hours=4,
        building="Studentersamfundet",
        room="Storsalen",
        language="both",
        capacity=20,
        signups=26,
        series=True,
        student="waitlisted",
    ),
    _s(
        "buddy",
        "Fadderkveld med quiz",
        "Buddy night quiz",
        "Lag med fadderne dine og test hvor mye du vet om Norge.",
        "Team up with your buddies and test what you know about Norway.",
        2,
        18,
        hours=3,
        building="Realfagbygget",
        room="R1",
        language="en",
        capacity=60,
        signups=35,
        series=True,
    ),
    _s(
        "buddy",
        "Tur til Bymarka",
        "Hike in Bymarka",
        "En lett tur i skogen med bål og pølser. Gode sko og regntøy.",
        "An easy walk in the forest with a campfire and sausages. Good shoes and rain gear.",
        3,
        11,
        hours=5,
        building="Lian stoppested",
        language="en",
        capacity=30,
        signups=30,
        series=True,
    ),
    _s(
        "buddy",
        "Sykkelverksted for nye studenter",
        "Bike repair workshop",
        "Få sykkelen din i stand til høsten, med hjelp fra frivillige.",
        "Get your bike ready for the autumn, helped by volunteers.",
        4,
        14,
        building="Gløshaugen",
        room="Sykkelboden",
        language="both",
        capacity=15,
        waitlist=False,
        signups=15,
        series=True,
    ),
    _s(
        "buddy",
        "Avslutning av fadderuka",
        "Welcome week farewell",
        "Vi runder av fadderuka med konsert og kåring av årets fadderlag.",
        "We round off welcome week with a concert and the best buddy team of the year.",
        9,
        20,
        hours=4,
        building="Studentersamfundet",
        room="Klubben",
        language="both",
        capacity=120,
        signups=10,
        series=True,
    ),
    # --- The International Section
    _s(
        "international-section",
        "Informasjonsmøte for nye internasjonale studenter",
        "Information meeting for new international students",
        "Oppholdstillatelse, D-nummer, semesteravgift og studentweb: alt du må gjøre de første "
        "ukene.",
        "Residence permit, D number, semester fee and the student web: what to do in your first "
        "weeks.",
        1,
        10,
        building="Hovedbygningen",
        room="Aulaen",
        language="en",
        capacity=300,
        signups=18,
        statuses=["incoming_exchange", "international_degree", "phd"],
    ),
    _s(
        "international-section",
        "Politiet og UDI på campus",
        "Police and UDI on campus",
        "Registrer deg hos politiet uten timebestilling. Ta med pass og opptaksbrev.",
        "Register with the police without an appointment. Bring your passport and letter of "
        "admission.",
        2,
        9,
        hours=6,
        building="Hovedbygningen",
        room="Lyshallen",
        language="en",
        statuses=["incoming_exchange", "international_degree", "phd"],
    ),
    _s(
        "international-section",
        "Bank, skatt og D-nummer",
        "Banking, tax and D numbers",
        "Skatteetaten forklarer skattekort og D-nummer; en bank viser hvordan du åpner konto.",
        "The Tax Administration explains tax cards and D numbers; a bank shows how to open an "
        "account.",
        5,
        13,
        building="Sentralbygg 1",
        room="S2",
        language="en",
        capacity=150,
        signups=12,
        online="https://video.velkommen.example.org/bank-skatt",
    ),
    _s(
        "international-section",
        "Trygg i Norge: beredskap og helse",
        "Safe in Norway: emergencies and health",
        "Hva gjør du ved sykdom, ulykke eller krise? Legevakt, fastlege og forsikring.",
        "What to do when ill, in an accident or a crisis: emergency care, GPs and insurance.",
        6,
        12,
        building="Hovedbygningen",
        room="Auditorium 1",
        language="en",
        capacity=200,
    ),
    _s(
        "international-section",
        "Utvekslingsmesse: reis ut!",
        "Exchange fair: go abroad!",
        "Møt partneruniversiteter og studenter som har vært på utveksling.",
        "Meet partner universities and students who have been on exchange.",
        12,
        11,
        hours=4,
        building="Stripa",
        room="Glassgården",
        language="nb",
        statuses=["outgoing"],
    ),
    _s(
        "international-section",
        "Webinar: finn bolig",
        "Webinar: finding housing",
        "Slik finner du bolig trygt, og slik unngår du svindel.",
        "How to find housing safely, and how to avoid scams.",
        -3,
        16,
        hours=1,
        online="https://video.velkommen.example.org/bolig",
        language="en",
        capacity=100,
        signups=22,
        checked_in=0.7,
    ),
    # --- Language centre
    _s(
        "language-centre",
        "Norsk på 60 minutter",
        "Norwegian in 60 minutes",
        "Lær de første ordene og setningene, og hør om norskkursene.",
        "Learn your first words and sentences, and hear about the Norwegian courses.",
        1,
        15,
        hours=1,
        building="Dragvoll",
        room="D1-156",
        language="both",
        capacity=12,
        signups=16,
    ),
    _s(
        "language-centre",
        "Språkkafé",
        "Language café",
        "Snakk norsk med frivillige over en kopp kaffe. Alle nivåer.",
        "Practise Norwegian with volunteers over coffee. All levels welcome.",
        4,
        17,
        building="Dragvoll",
        room="Kafeen",
        language="nb",
        capacity=25,
        signups=9,
    ),
    _s(
        "language-centre",
        "Plasseringstest for norskkurs",
        "Placement test for Norwegian courses",
        "Finn riktig kursnivå før påmeldingen stenger.",
        "Find the right course level before enrolment closes.",
        8,
        10,
        hours=1.5,
        building="Dragvoll",
        room="D3-102",
        language="both",
        capacity=40,
        waitlist=False,
        signups=7,
        opens_days_before=10,
    ),
    _s(
        "language-centre",
        "Språkkafé (forrige uke)",
        "Language café (last week)",
        "Snakk norsk med frivillige over en kopp kaffe.",
        "Practise Norwegian with volunteers over coffee.",
        -6,
        17,
        building="Dragvoll",
        room="Kafeen",
        language="nb",
        capacity=20,
        signups=17,
        checked_in=0.8,
    ),
    # --- Volunteer groups
    _s(
        "isn",
        "Velkomstmiddag i ISN",
        "ISN welcome dinner",
        "Tre retter fra tre kontinenter, laget av frivillige.",
        "Three courses from three continents, cooked by volunteers.",
        2,
        19,
        hours=3,
        building="Studenthuset",
        room="Kjøkkenet",
        language="en",
        capacity=16,
        signups=21,
    ),
    _s(
        "isn",
        "Nordlystur",
        "Northern lights trip",
        "Buss ut av byen når meldingen er god. Varme klær!",
        "A bus out of town when the forecast is good. Warm clothes!",
        7,
        21,
        hours=4,
        building="Busstopp Gløshaugen",
        language="en",
        capacity=45,
        signups=45,
        cancel_hours_before=48,
    ),
    _s(
        "isn",
        "Brettspill og te",
        "Board games and tea",
        "Uformell kveld for å bli kjent. Ingen påmelding nødvendig, men vi teller.",
        "An informal evening to get to know people. We count heads, so do sign up.",
        10,
        18,
        building="Studenthuset",
        room="Salongen",
        language="en",
    ),
    _s(
        "isn",
        "Fjordcruise",
        "Fjord cruise",
        "En dag på fjorden med guide. Billetten er betalt av ISN.",
        "A day on the fjord with a guide. The ticket is paid by ISN.",
        -8,
        9,
        hours=8,
        building="Brattørkaia",
        language="en",
        capacity=50,
        signups=50,
        checked_in=0.86,
    ),
    _s(
        "isu",
        "Bli med i ISU: åpent møte",
        "Join ISU: open meeting",
        "Hør hvordan internasjonale studenter blir hørt, og still til valg.",
        "Hear how international students are heard, and stand for election.",
        3,
        17,
        building="Sentralbygg 2",
        room="S6",
        language="en",
        capacity=80,
        signups=14,
    ),
    _s(
        "isu",
        "Kulturkveld",
        "Culture night",
        "Studenter viser frem musikk, dans og mat fra hjemlandet.",
        "Students show music, dance and food from home.",
        11,
        19,
        hours=3,
        building="Studentersamfundet",
        room="Storsalen",
        language="both",
        capacity=250,
        signups=20,
    ),
    _s(
        "sport",
        "Prøv klatring",
        "Try climbing",
        "Nybegynnerkurs med utstyr. Ingen erfaring nødvendig.",
        "A beginners' session with equipment. No experience needed.",
        2,
        16,
        hours=2,
        building="Idrettsbygget",
        room="Klatrehallen",
        language="both",
        capacity=10,
        signups=14,
    ),
    _s(
        "sport",
        "Fotballturnering for alle",
        "Football tournament for everyone",
        "Lag blandes på stedet. Ta med innesko.",
        "Teams are mixed on the spot. Bring indoor shoes.",
        5,
        10,
        hours=5,
        building="Idrettsbygget",
        room="Hall A",
        language="both",
        capacity=64,
        signups=31,
    ),
    _s(
        "sport",
        "Kajakk på Nidelva",
        "Kayaking on the Nidelva",
        "Padletur med instruktør. Du må kunne svømme.",
        "A paddle with an instructor. You must be able to swim.",
        8,
        13,
        hours=3,
        building="Kajakkbrygga",
        language="en",
        capacity=12,
        signups=12,
        cancel_hours_before=24,
    ),
    _s(
        "sport",
        "Løpegruppe",
        "Running group",
        "Fem kilometer i rolig tempo langs elva.",
        "Five kilometres at an easy pace along the river.",
        -2,
        18,
        hours=1,
        building="Idrettsbygget",
        room="Inngangen",
        language="both",
        capacity=30,
        signups=19,
        checked_in=0.6,
    ),
    _s(
        "culture",
        "Filmkveld: norske klassikere",
        "Film night: Norwegian classics",
        "To norske filmer med engelsk tekst, og popkorn.",
        "Two Norwegian films with English subtitles, and popcorn.",
        4,
        19,
        hours=4,
        building="Dokkhuset",
        room="Kinosalen",
        language="nb",
        capacity=80,
        signups=17,
    ),
    _s(
        "culture",
        "Åpen korprøve",
        "Open choir rehearsal",
        "Syng med oss, ingen opptaksprøve.",
        "Sing with us, no audition.",
        6,
        18,
        hours=2,
        building="Olavshallen",
        room="Øvingssal 2",
        language="both",
        capacity=40,
        signups=6,
    ),
    _s(
        "culture",
        "Museumsdag",
        "Museum day",
        "Gratis omvisning på tre museer.",
        "Free guided tours of three museums.",
        12,
        11,
        hours=5,
        building="Nordenfjeldske kunstindustrimuseum",
        language="en",
        capacity=25,
        signups=25,
    ),
    _s(
        "volunteering",
        "Bli frivillig: infomøte",
        "Volunteering: information meeting",
        "Finn frivilligjobben som passer deg.",
        "Find the volunteer job that suits you.",
        3,
        12,
        hours=1,
        building="Stripa",
        room="S5",
        language="both",
        capacity=60,
        signups=8,
    ),
    _s(
        "volunteering",
        "Strandrydding",
        "Beach clean-up",
        "Vi rydder strandlinja og griller etterpå.",
        "We clean the shore and have a barbecue.",
        9,
        10,
        hours=4,
        building="Korsvika",
        language="both",
        capacity=35,
        signups=11,
    ),
    _s(
        "board-games",
        "Brettspillkveld",
        "Board game night",
        "Over hundre spill, og noen som forklarer reglene.",
        "Over a hundred games, and people who explain the rules.",
        5,
        18,
        hours=4,
        building="Studenthuset",
        room="Salongen",
        language="both",
        capacity=30,
        signups=12,
    ),
    # --- Faculties, councils and line associations
    _s(
        "ie",
        "Velkommen til IE-fakultetet",
        "Welcome to the IE faculty",
        "Møt dekanen, studieveilederne og studentrådet.",
        "Meet the dean, the student advisers and the student council.",
        1,
        13,
        building="Elektrobygget",
        room="EL5",
        language="both",
        capacity=200,
        signups=9,
        faculties=["ie"],
    ),
    _s(
        "binaer",
        "Binær: fadderuke for informatikk",
        "Binær: welcome week for computer science",
        "Grilling, lag og leker for nye informatikkstudenter.",
        "Barbecue, teams and games for new computer science students.",
        2,
        15,
        hours=4,
        building="IT-bygget",
        room="Atriet",
        language="both",
        capacity=50,
        signups=28,
        faculties=["ie"],
    ),
    _s(
        "binaer",
        "Binær: kodekveld",
        "Binær: coding night",
        "Pizza og små programmeringsoppgaver i par.",
        "Pizza and small programming challenges in pairs.",
        8,
        18,
        hours=3,
        building="IT-bygget",
        room="Sahara",
        language="en",
        capacity=40,
        signups=13,
        faculties=["ie"],
    ),
    _s(
        "binaer",
        "Binær: bedriftspresentasjon",
        "Binær: company presentation",
        "En arbeidsgiver forteller om sommerjobb og internship.",
        "An employer talks about summer jobs and internships.",
        -4,
        17,
        building="IT-bygget",
        room="R7",
        language="nb",
        capacity=60,
        signups=33,
        checked_in=0.75,
        faculties=["ie"],
    ),
    _s(
        "nv",
        "Omvisning på laboratoriene",
        "Tour of the labs",
        "Se laboratoriene du skal jobbe i, og lær sikkerhetsrutinene.",
        "See the labs you will work in, and learn the safety rules.",
        3,
        9,
        hours=2,
        building="Realfagbygget",
        room="D1-185",
        language="en",
        capacity=25,
        signups=25,
        faculties=["nv"],
    ),
    _s(
        "gradient",
        "Gradient: hyttetur",
        "Gradient: cabin trip",
        "Helgetur til linjeforeningens hytte. Bindende påmelding.",
        "A weekend at the association's cabin. Binding signup.",
        13,
        16,
        hours=44,
        building="Gradients hytte, Bymarka",
        language="both",
        capacity=24,
        signups=29,
        cancel_hours_before=72,
        faculties=["nv"],
    ),
    _s(
        "hf",
        "Humanistisk frokost",
        "Humanities breakfast",
        "Frokost med faglærere og andre nye studenter.",
        "Breakfast with teachers and other new students.",
        4,
        8,
        hours=1.5,
        building="Dragvoll",
        room="Kantina",
        language="both",
        capacity=70,
        signups=10,
        faculties=["hf"],
    ),
    _s(
        "council-hf",
        "Studentrådet HF: valgmøte",
        "Student Council HF: election meeting",
        "Velg representanter, eller still selv. Internasjonale studenter er velkomne.",
        "Elect representatives, or stand yourself. International students are welcome.",
        10,
        16,
        hours=2,
        building="Dragvoll",
        room="D8",
        language="both",
        faculties=["hf"],
    ),
    _s(
        "ok",
        "Økonomi: velkomstseminar for masterstudenter",
        "Economics: welcome seminar for master's students",
        "Studieløp, veiledning og forventninger på masternivå.",
        "Study plan, supervision and expectations at master's level.",
        6,
        10,
        building="Handelshøyskolen",
        room="Aud 1",
        language="en",
        capacity=90,
        signups=7,
        statuses=["international_degree", "incoming_exchange"],
        faculties=["ok"],
    ),
    _s(
        "mh",
        "Medisin: introduksjon til praksis",
        "Medicine: introduction to placements",
        "Praktisk informasjon før første praksisperiode.",
        "Practical information before your first placement.",
        7,
        12,
        building="Øya helsehus",
        room="Aud ØHA11",
        language="nb",
        capacity=50,
        signups=4,
        faculties=["mh"],
    ),
    _s(
        "student-parliament",
        "Studenttinget: hvordan bli hørt",
        "Student parliament: how to be heard",
        "Kort innføring i studentdemokratiet, på engelsk.",
        "A short introduction to student democracy, in English.",
        5,
        16,
        hours=1,
        building="Hovedbygningen",
        room="Møterom 3",
        language="en",
        capacity=60,
        signups=5,
    ),
    _s(
        "student-parliament",
        "Valgvake",
        "Election night",
        "Valgresultatet og kake.",
        "The election result, and cake.",
        -1,
        20,
        hours=2,
        building="Studentersamfundet",
        room="Klubben",
        language="both",
        capacity=80,
        signups=21,
        checked_in=0.65,
    ),
]


def _local(day, hour, minute=0):
    base = timezone.localdate() + timedelta(days=day)
    return timezone.make_aware(datetime.combine(base, time(hour, minute)))


@transaction.atomic
def welcome_week_workflow_ensure():
    """The workflow in which the International Section approves welcome-week events; returns it."""
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([international_staff_group_ensure()])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


# Demo participants' statuses and faculties, in turn.
PARTICIPANT_STATUSES = [
    "incoming_exchange",
    "international_degree",
    "incoming_exchange",
    "phd",
    "buddy",
]
PARTICIPANT_FACULTIES = ["ie", "nv", "hf", "ie", "ok", "nv", "mh", "su"]


def _participants(units):
    """Sixty demo students (they cannot log in), each with a status and a faculty."""
    from onboarding.accounts.profile_selectors import profile_get
    from onboarding.accounts.profile_services import profile_save

    user_model = get_user_model()
    people = []
    for number, (first, last) in enumerate(PARTICIPANT_NAMES, start=1):
        email = f"{slug(first)}.{slug(last)}.{number}@{PARTICIPANT_DOMAIN}"
        person = user_model.objects.filter(email=email).first()
        if person is None:
            person = user_model(
                email=email, first_name=first, last_name=last, language="en" if number % 3 else "nb"
            )
            person.set_unusable_password()
            person.save()
        faculty = units.get(PARTICIPANT_FACULTIES[number % len(PARTICIPANT_FACULTIES)])
        if profile_get(user=person) is None:
            profile_save(
                user=person,
                status=PARTICIPANT_STATUSES[number % len(PARTICIPANT_STATUSES)],
                faculty=faculty,
                arrival_date=timezone.localdate() - timedelta(days=number % 12),
            )
        people.append(person)
    return people


def _series(units):
    unit = units.get(WELCOME_WEEK["unit"])
    if unit is None:
        return None
    series = (
        EventSeriesPage.objects.child_of(unit)
        .filter(slug_nb=slug(WELCOME_WEEK["title"]["nb"]))
        .first()
    )
    if series is None:
        series = EventSeriesPage(
            title=WELCOME_WEEK["title"]["nb"], slug=slug(WELCOME_WEEK["title"]["nb"])
        )
        for language in ("nb", "en"):
            setattr(series, f"title_{language}", WELCOME_WEEK["title"][language])
            setattr(series, f"slug_{language}", slug(WELCOME_WEEK["title"][language]))
            setattr(series, f"intro_{language}", WELCOME_WEEK["intro"][language])
        unit.add_child(instance=series)
        series.save_revision().publish()
    WorkflowPage.objects.update_or_create(
        page=series, defaults={"workflow": welcome_week_workflow_ensure()}
    )
    return series


def _event(parent, spec, units):
    found = EventPage.objects.child_of(parent).filter(slug_nb=slug(spec.nb)).first()
    if found is not None:
        return found, False
    start = _local(spec.day, spec.hour, spec.minute)
    if spec.from_now:
        soon = timezone.localtime() + timedelta(hours=2)
        start = soon.replace(minute=0 if soon.minute < 30 else 30, second=0, microsecond=0)
    event = EventPage(
        title=spec.nb,
        slug=slug(spec.nb),
        start_at=start,
        end_at=start + timedelta(hours=spec.hours),
        building=spec.building,
        room=spec.room,
        online_url=spec.online,
        event_language=spec.language,
        capacity=spec.capacity,
        waitlist_enabled=spec.waitlist,
        audience_statuses=list(spec.statuses),
    )
    for language, title, summary in (
        ("nb", spec.nb, spec.summary_nb),
        ("en", spec.en, spec.summary_en),
    ):
        setattr(event, f"title_{language}", title)
        setattr(event, f"slug_{language}", slug(title))
        setattr(event, f"summary_{language}", summary)
    if spec.opens_days_before is not None:
        event.signup_opens_at = start - timedelta(days=spec.opens_days_before)
    if spec.closes_hours_before is not None:
        event.signup_closes_at = start - timedelta(hours=spec.closes_hours_before)
    if spec.cancel_hours_before is not None:
        event.cancellation_deadline = start - timedelta(hours=spec.cancel_hours_before)
    parent.add_child(instance=event)
    faculties = [units[key] for key in spec.faculties if key in units]
    if faculties:
        event.audience_faculties.set(faculties)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk), True


def _sign_up(event, people, spec):
    """Sign ``spec.signups`` demo participants up, in order, when signup was open.

    People outside the event's audience are passed over.
    """
    moment = event.start_at - timedelta(days=2)
    if event.signup_opens_at:
        moment = max(moment, event.signup_opens_at)
    signups = []
    for offset, person in enumerate(people):
        if len(signups) >= spec.signups:
            break
        try:
            signups.append(
                signup_create(event=event, user=person, now=moment + timedelta(minutes=offset))
            )
        except SignupError:
            continue
    return signups


def _check_in(event, signups, share, organiser):
    confirmed = [s for s in signups if s.status == "confirmed"]
    for number, signup in enumerate(confirmed[: round(len(confirmed) * share)]):
        moment = event.start_at - timedelta(minutes=10) + timedelta(seconds=40 * number)
        try:
            checkin_perform(event=event, by=organiser, code=signup.ticket_code, now=moment)
        except CheckInError:
            continue


def seed_events():
    """Create the demo events (those missing); returns how many events the demo has."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_events()


def _seed_events():
    units = demo_units()
    if not units:
        raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) before the events.")
    user_model = get_user_model()
    organiser = (
        user_model.objects.filter(email="staff@velkommen.test").first()
        or user_model.objects.filter(is_superuser=True).order_by("pk").first()
    )
    student = user_model.objects.filter(email="student@velkommen.test").first()
    people = _participants(units)
    series = _series(units)
    count = 0
    for number, spec in enumerate(SPECS):
        unit = units.get(spec.unit)
        if unit is None:
            continue
        parent = series if spec.series and series is not None else unit
        event, created = _event(parent, spec, units)
        count += 1
        if not created:
            continue
        # Each event draws its participants from a different point of the list.
        start = (number * 7) % len(people)
        crowd = people[start:] + people[:start]
        signups = _sign_up(event, crowd, spec)
        if student is not None and spec.student:
            moment = event.start_at - timedelta(days=1)
            with contextlib.suppress(SignupError):
                signup_create(event=event, user=student, now=moment)
        if spec.checked_in and organiser is not None:
            _check_in(event, signups, spec.checked_in, organiser)
    return count
