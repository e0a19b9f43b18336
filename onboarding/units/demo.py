"""Demo organisation chart: a realistic university in both languages, and editors for a few units.

The International Section with its language centre, eight faculties with
their departments and student councils, the student parliament, line
associations and volunteer groups. One volunteer group has not confirmed
its page for more than a year, to show how a possibly inactive group looks.
Safe to run again: units are found by their place and Norwegian slug.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from cms.models import HomePage

from .kinds import UnitKind
from .models import UnitDirectoryPage, UnitPage, VolunteerGroupIndexPage
from .services import follow_create, international_staff_add, unit_editor_add

MAIL = "velkommen.example.org"


def slug(text):
    """A URL slug that keeps Norwegian letters readable (æ → ae, ø → o, å → a)."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    return slugify(text.translate(table))[:80]


DIRECTORY = {
    "title": {"nb": "Enheter og grupper", "en": "Units and groups"},
    "slug": {"nb": "enheter", "en": "units"},
    "intro": {
        "nb": "Fakulteter, institutter, studentråd, linjeforeninger og frivillige grupper: finn "
        "dem som hører til deg, se hvordan du blir med, og følg dem for å holde deg oppdatert.",
        "en": "Faculties, departments, student councils, line associations and volunteer groups: "
        "find the ones you belong to, see how to join, and follow them to stay up to date.",
    },
}

VOLUNTEER_INDEX = {
    "title": {"nb": "Studentfrivilligheten", "en": "Student volunteer groups"},
    "slug": {"nb": "studentfrivilligheten", "en": "volunteer-groups"},
    "intro": {
        "nb": "Frivillige studentgrupper med aktiviteter for alle studenter, også deg som er ny i "
        "Norge. De fleste har arrangementer på engelsk.",
        "en": "Student-run groups with activities for every student, including those who are new "
        "to Norway. Most hold their events in English.",
    },
}

CONTACTS = [
    "Ingvild Aasen",
    "Jonas Berntsen",
    "Sofie Lien",
    "Amir Haddad",
    "Marte Solberg",
    "Erik Dahl",
    "Priya Raman",
    "Henrik Moe",
    "Silje Holm",
    "Lucas Ferreira",
    "Nora Bakken",
    "Tobias Strand",
    "Mei Chen",
    "Ole Haugen",
    "Ida Nilsen",
    "Ahmed Yusuf",
]

SECTION = {
    "key": "international-section",
    "kind": UnitKind.INTERNATIONAL_SECTION,
    "title": {"nb": "Internasjonal seksjon", "en": "International Section"},
    "short": {"nb": "IS", "en": "IS"},
    "intro": {
        "nb": "Internasjonal seksjon tar imot internasjonale studenter og utvekslingsstudenter, gir "
        "råd før, under og etter et opphold, og har ansvaret for at informasjonen finnes på norsk "
        "og engelsk.",
        "en": "The International Section welcomes international and exchange students, advises "
        "before, during and after a stay, and makes sure information exists in Norwegian and "
        "English.",
    },
    "meeting_language": "nb_en",
    "join": {
        "nb": "Du trenger ikke melde deg inn: kom innom skranken i Studentservice, eller skriv til "
        "oss. I fadderuken har vi åpent hver dag.",
        "en": "There is nothing to join: drop by our desk at Student services, or write to us. "
        "During buddy week we are open every day.",
    },
    "contact": ("Ingrid Berg", {"nb": "Seksjonssjef", "en": "Head of section"}),
    "email": f"international@{MAIL}",
    "website": "https://www.velkommen.example.org/international",
}

LANGUAGE_CENTRE = {
    "key": "language-centre",
    "kind": UnitKind.LANGUAGE_CENTRE,
    "title": {"nb": "Språksenteret", "en": "Language Centre"},
    "short": {"nb": "", "en": ""},
    "intro": {
        "nb": "Språksenteret gir norskkurs fra nivå A1 til C1 for alle internasjonale studenter og "
        "ansatte, på campus og digitalt, og et intensivkurs før semesterstart.",
        "en": "The Language Centre teaches Norwegian from level A1 to C1 for every international "
        "student and employee, on campus and online, with an intensive course before the "
        "semester starts.",
    },
    "meeting_language": "nb_en",
    "join": {
        "nb": "Meld deg på et kurs i Studentweb før fristen 1. august (høst) eller 1. januar "
        "(vår). Er du usikker på nivået, ta plasseringstesten først.",
        "en": "Sign up for a course in the student web before 1 August (autumn) or 1 January "
        "(spring). Not sure of your level? Take the placement test first.",
    },
    "contact": ("Mei Chen", {"nb": "Studiekoordinator", "en": "Course coordinator"}),
    "email": f"norskkurs@{MAIL}",
    "website": "https://www.velkommen.example.org/norwegian-courses",
}

PARLIAMENT = {
    "key": "student-parliament",
    "kind": UnitKind.STUDENT_PARLIAMENT,
    "title": {"nb": "Studenttinget", "en": "The Student Parliament"},
    "short": {"nb": "STi", "en": "STi"},
    "intro": {
        "nb": "Studenttinget er det øverste studentorganet og taler alle studentenes sak overfor "
        "universitetet, også internasjonale studenter og studenter på utveksling.",
        "en": "The student parliament is the highest student body and speaks for every student to "
        "the university, international and exchange students included.",
    },
    "meeting_language": "nb_en_on_request",
    "join": {
        "nb": "Alle studenter kan stemme og stille til valg hver vår. Møtene er åpne; be om "
        "engelsk på forhånd, så holdes møtet på engelsk.",
        "en": "Every student can vote and stand for election each spring. Meetings are open; ask "
        "in advance and the meeting is held in English.",
    },
    "contact": ("Sofie Lien", {"nb": "Internasjonalt ansvarlig", "en": "International officer"}),
    "email": f"studenttinget@{MAIL}",
    "website": "https://studenttinget.velkommen.example.org",
    "social": [("instagram", "https://www.instagram.com/velkommen.demo.studenttinget/")],
}

# (key, Norwegian name, English name, short name (nb, en), departments)
# Each department: (key, Norwegian name, English name, short name, subject nb, subject en).
FACULTIES = [
    (
        "ad",
        "Fakultet for arkitektur og design",
        "Faculty of Architecture and Design",
        ("AD", "AD"),
        [
            (
                "iap",
                "Institutt for arkitektur og planlegging",
                "Department of Architecture and Planning",
                "IAP",
                "arkitektur og byplanlegging",
                "architecture and urban planning",
            ),
            (
                "id",
                "Institutt for design",
                "Department of Design",
                "ID",
                "industridesign og interaksjonsdesign",
                "industrial and interaction design",
            ),
        ],
    ),
    (
        "hf",
        "Det humanistiske fakultet",
        "Faculty of Humanities",
        ("HF", "HF"),
        [
            (
                "isl",
                "Institutt for språk og litteratur",
                "Department of Language and Literature",
                "ISL",
                "språk, lingvistikk og litteratur",
                "languages, linguistics and literature",
            ),
            (
                "ihk",
                "Institutt for historiske og klassiske studier",
                "Department of Historical and Classical Studies",
                "IHK",
                "historie, arkeologi og klassiske fag",
                "history, archaeology and classics",
            ),
            (
                "ifr",
                "Institutt for filosofi og religionsvitenskap",
                "Department of Philosophy and Religious Studies",
                "IFR",
                "filosofi og religionsvitenskap",
                "philosophy and religious studies",
            ),
        ],
    ),
    (
        "ie",
        "Fakultet for informasjonsteknologi og elektroteknikk",
        "Faculty of Information Technology and Electrical Engineering",
        ("IE", "IE"),
        [
            (
                "idi",
                "Institutt for datateknologi og informatikk",
                "Department of Computer Science",
                "IDI",
                "datateknologi og informatikk",
                "computer science",
            ),
            (
                "ies",
                "Institutt for elektroniske systemer",
                "Department of Electronic Systems",
                "IES",
                "elektronikk og kommunikasjon",
                "electronics and communication",
            ),
            (
                "imf",
                "Institutt for matematiske fag",
                "Department of Mathematical Sciences",
                "IMF",
                "matematikk og statistikk",
                "mathematics and statistics",
            ),
            (
                "itk",
                "Institutt for teknisk kybernetikk",
                "Department of Engineering Cybernetics",
                "ITK",
                "reguleringsteknikk og robotikk",
                "control engineering and robotics",
            ),
        ],
    ),
    (
        "iv",
        "Fakultet for ingeniørvitenskap",
        "Faculty of Engineering",
        ("IV", "IV"),
        [
            (
                "ibm",
                "Institutt for bygg- og miljøteknikk",
                "Department of Civil and Environmental Engineering",
                "IBM",
                "bygg og miljø",
                "civil and environmental engineering",
            ),
            (
                "ept",
                "Institutt for energi- og prosessteknikk",
                "Department of Energy and Process Engineering",
                "EPT",
                "energi, klima og prosessteknikk",
                "energy, climate and process engineering",
            ),
            (
                "mtp",
                "Institutt for maskinteknikk og produksjon",
                "Department of Mechanical and Industrial Engineering",
                "MTP",
                "maskinteknikk og produksjon",
                "mechanical and industrial engineering",
            ),
        ],
    ),
    (
        "mh",
        "Fakultet for medisin og helsevitenskap",
        "Faculty of Medicine and Health Sciences",
        ("MH", "MH"),
        [
            (
                "ikom",
                "Institutt for klinisk og molekylær medisin",
                "Department of Clinical and Molecular Medicine",
                "IKOM",
                "klinisk og molekylær medisin",
                "clinical and molecular medicine",
            ),
            (
                "ism",
                "Institutt for samfunnsmedisin og sykepleie",
                "Department of Public Health and Nursing",
                "ISM",
                "folkehelse og sykepleie",
                "public health and nursing",
            ),
            (
                "inb",
                "Institutt for nevromedisin og bevegelsesvitenskap",
                "Department of Neuromedicine and Movement Science",
                "INB",
                "nevromedisin og bevegelsesvitenskap",
                "neuromedicine and movement science",
            ),
        ],
    ),
    (
        "nv",
        "Fakultet for naturvitenskap",
        "Faculty of Natural Sciences",
        ("NV", "NV"),
        [
            ("ify", "Institutt for fysikk", "Department of Physics", "IFY", "fysikk", "physics"),
            ("ikj", "Institutt for kjemi", "Department of Chemistry", "IKJ", "kjemi", "chemistry"),
            ("ibi", "Institutt for biologi", "Department of Biology", "IBI", "biologi", "biology"),
        ],
    ),
    (
        "su",
        "Fakultet for samfunns- og utdanningsvitenskap",
        "Faculty of Social and Educational Sciences",
        ("SU", "SU"),
        [
            (
                "ips",
                "Institutt for psykologi",
                "Department of Psychology",
                "IPS",
                "psykologi",
                "psychology",
            ),
            (
                "iss",
                "Institutt for sosiologi og statsvitenskap",
                "Department of Sociology and Political Science",
                "ISS",
                "sosiologi og statsvitenskap",
                "sociology and political science",
            ),
            (
                "ipl",
                "Institutt for pedagogikk og livslang læring",
                "Department of Education and Lifelong Learning",
                "IPL",
                "pedagogikk",
                "education",
            ),
        ],
    ),
    (
        "ok",
        "Fakultet for økonomi",
        "Faculty of Economics and Management",
        ("ØK", "EM"),
        [
            (
                "iso",
                "Institutt for samfunnsøkonomi",
                "Department of Economics",
                "ISØ",
                "samfunnsøkonomi",
                "economics",
            ),
            (
                "iot",
                "Institutt for industriell økonomi og teknologiledelse",
                "Department of Industrial Economics and Technology Management",
                "IØT",
                "industriell økonomi",
                "industrial economics",
            ),
        ],
    ),
]

# (key, parent key (a department or a faculty), name, programme nb, programme en, language)
LINE_ASSOCIATIONS = [
    ("sirkel", "iap", "Sirkel", "arkitektur", "architecture", "nb_en_on_request"),
    ("form", "id", "Form", "industridesign", "industrial design", "nb_en"),
    (
        "logos",
        "ifr",
        "Logos",
        "filosofi og religionsvitenskap",
        "philosophy and religious studies",
        "nb_en_on_request",
    ),
    ("binaer", "idi", "Binær", "datateknologi og informatikk", "computer science", "nb_en"),
    ("signal", "ies", "Signal", "elektronikk og kommunikasjon", "electronics", "nb_en"),
    ("integral", "imf", "Integral", "matematikk", "mathematics", "nb_en_on_request"),
    (
        "kvadrat",
        "ibm",
        "Kvadrat",
        "bygg- og miljøteknikk",
        "civil and environmental engineering",
        "nb",
    ),
    ("entalpi", "ept", "Entalpi", "energi og miljø", "energy and environment", "nb_en"),
    ("puls", "mh", "Puls", "medisin", "medicine", "nb_en_on_request"),
    ("gradient", "ify", "Gradient", "fysikk og matematikk", "physics and mathematics", "nb_en"),
    ("psyke", "ips", "Psyke", "psykologi", "psychology", "nb_en"),
    (
        "polis",
        "iss",
        "Polis",
        "statsvitenskap og sosiologi",
        "political science and sociology",
        "nb_en",
    ),
    ("marginal", "iso", "Marginal", "samfunnsøkonomi", "economics", "en"),
]

VOLUNTEER_GROUPS = [
    {
        "key": "isn",
        "title": {
            "nb": "ISN Trondheim – internasjonalt studentnettverk",
            "en": "ISN Trondheim – International Student Network",
        },
        "short": {"nb": "ISN", "en": "ISN"},
        "intro": {
            "nb": "Den lokale avdelingen av et europeisk nettverk av studentforeninger som tar "
            "imot utvekslingsstudenter: turer, kulturkvelder og språkkafé hele året.",
            "en": "The local section of a European network of student associations that welcome "
            "exchange students: trips, culture nights and a language café all year round.",
        },
        "meeting_language": "en",
        "join": {
            "nb": "Kjøp et ISN-kort på et av velkomstmøtene, eller bli frivillig i styret: alle "
            "er velkomne.",
            "en": "Buy an ISN card at one of the welcome meetings, or volunteer on the board: "
            "everyone is welcome.",
        },
        "contact": ("Lucas Ferreira", {"nb": "Leder", "en": "President"}),
        "email": f"isn@{MAIL}",
        "social": [
            ("instagram", "https://www.instagram.com/velkommen.demo.isn/"),
            ("discord", "https://discord.example.org/velkommen-isn"),
        ],
    },
    {
        "key": "buddy",
        "title": {
            "nb": "Fadderordningen for internasjonale studenter",
            "en": "International Buddy Programme",
        },
        "short": {"nb": "", "en": ""},
        "intro": {
            "nb": "Faddere møter deg når du kommer, viser deg campus og byen og er med deg den "
            "første uken. Fadderordningen setter deg i en gruppe med studenter fra ditt fakultet.",
            "en": "Buddies meet you when you arrive, show you the campus and the city, and are "
            "with you through your first week. The programme puts you in a group with students "
            "of your faculty.",
        },
        "meeting_language": "en",
        "join": {
            "nb": "Nye studenter melder seg på innen 1. juli (høst) eller 1. desember (vår). Vil "
            "du bli fadder? Søk i mai.",
            "en": "New students sign up by 1 July (autumn) or 1 December (spring). Want to be a "
            "buddy? Apply in May.",
        },
        "contact": ("Nora Bakken", {"nb": "Fadderkoordinator", "en": "Buddy coordinator"}),
        "email": f"buddy@{MAIL}",
        "social": [("instagram", "https://www.instagram.com/velkommen.demo.buddies/")],
    },
    {
        "key": "isu",
        "title": {"nb": "Den internasjonale studentunionen", "en": "International Student Union"},
        "short": {"nb": "ISU", "en": "ISU"},
        "intro": {
            "nb": "Interesseorganisasjonen for internasjonale studenter: vi sitter i "
            "Studenttinget, svarer på spørsmål om rettigheter og tar saker videre til "
            "universitetet.",
            "en": "The voice of international students: we sit in the student parliament, answer "
            "questions about your rights and take issues to the university.",
        },
        "meeting_language": "en",
        "join": {
            "nb": "Alle internasjonale studenter er medlemmer. Kom på allmøtet i september, eller "
            "still til valg til styret.",
            "en": "Every international student is a member. Come to the general meeting in "
            "September, or stand for election to the board.",
        },
        "contact": ("Amir Haddad", {"nb": "Leder", "en": "President"}),
        "email": f"isu@{MAIL}",
    },
    {
        "key": "sport",
        "title": {"nb": "Studentidrettslaget", "en": "Student Sports Club"},
        "short": {"nb": "SIL", "en": "SIL"},
        "intro": {
            "nb": "Over 40 idretter, fra fotball og klatring til orientering og ski. Mange "
            "grupper har egne treninger for nybegynnere.",
            "en": "More than 40 sports, from football and climbing to orienteering and skiing. "
            "Many groups hold sessions for beginners.",
        },
        "meeting_language": "nb_en",
        "join": {
            "nb": "Meld deg inn i gruppen du vil trene med; første trening er gratis.",
            "en": "Join the group you want to train with; your first session is free.",
        },
        "contact": ("Tobias Strand", {"nb": "Daglig leder", "en": "General manager"}),
        "email": f"idrett@{MAIL}",
        "website": "https://idrett.velkommen.example.org",
    },
    {
        "key": "culture",
        "title": {"nb": "Kulturkollektivet", "en": "The Culture Collective"},
        "short": {"nb": "", "en": ""},
        "intro": {
            "nb": "Kor, teater, band og filmklubb under ett tak. Vi lager forestillinger med "
            "studenter fra hele verden.",
            "en": "Choir, theatre, bands and a film club under one roof. We put on shows with "
            "students from all over the world.",
        },
        "meeting_language": "nb_en",
        "join": {
            "nb": "Kom på opptaksdagen i fadderuken, eller ta kontakt med gruppen du vil være med i.",
            "en": "Come to the audition day in buddy week, or contact the group you want to join.",
        },
        "contact": ("Silje Holm", {"nb": "Leder", "en": "Chair"}),
        "email": f"kultur@{MAIL}",
    },
    {
        "key": "volunteering",
        "title": {"nb": "Frivilligsentralen for studenter", "en": "Student Volunteer Centre"},
        "short": {"nb": "", "en": ""},
        "intro": {
            "nb": "Vi kobler studenter med frivillig arbeid i byen: leksehjelp, besøksvenn, "
            "matutdeling og festivaler. En god måte å bli kjent med Norge på.",
            "en": "We match students with volunteering in the city: homework help, visiting "
            "friends, food banks and festivals. A good way to get to know Norway.",
        },
        "meeting_language": "nb_en",
        "join": {
            "nb": "Fyll ut interesseskjemaet, så ringer vi deg innen en uke.",
            "en": "Fill in the interest form and we call you within a week.",
        },
        "contact": ("Ida Nilsen", {"nb": "Koordinator", "en": "Coordinator"}),
        "email": f"frivillig@{MAIL}",
    },
    {
        "key": "board-games",
        "title": {"nb": "Brettspillklubben", "en": "Board Game Club"},
        "short": {"nb": "", "en": ""},
        "intro": {
            "nb": "Spillkvelder hver torsdag med spill på mange språk.",
            "en": "Game nights every Thursday with games in many languages.",
        },
        "meeting_language": "nb_en",
        "join": {"nb": "Bare møt opp.", "en": "Just turn up."},
        "contact": ("Ole Haugen", {"nb": "Kontaktperson", "en": "Contact"}),
        "email": f"brettspill@{MAIL}",
        # Has not confirmed its page for 15 months: shown as possibly inactive.
        "confirmed_days_ago": 460,
    },
]

# Which demo account edits which units (the key of a unit above).
DEMO_EDITORS = {
    "editor@velkommen.test": ["buddy", "binaer"],
    "coordinator@velkommen.test": ["ie"],
}
DEMO_STAFF = ["staff@velkommen.test"]
# Which units the demo student follows, so that "My connections" has their news and events.
DEMO_FOLLOWS = {"student@velkommen.test": ["buddy", "binaer", "ie"]}
# Wagtail's default group: add and edit on the whole tree. Unit editors edit
# their own branches only, so the demo unit editors leave it.
WAGTAIL_EDITORS_GROUP = "Editors"


def _set(page, field, values):
    # Only the per-language columns: ``page.<field>`` would write the active language's.
    for language, value in values.items():
        setattr(page, f"{field}_{language}", value)


def _both(value):
    return {"nb": value, "en": value}


def _publish(page):
    page.save()
    page.save_revision().publish()


def _index_page(model, parent, spec, *, menu):
    page = model.objects.child_of(parent).filter(slug_nb=spec["slug"]["nb"]).first()
    created = page is None
    if created:
        page = model(title=spec["title"]["nb"], slug=spec["slug"]["nb"])
    _set(page, "title", spec["title"])
    _set(page, "slug", spec["slug"])
    _set(page, "intro", spec["intro"])
    page.show_in_menus = menu
    if created:
        parent.add_child(instance=page)
    _publish(page)
    return page


def _unit(parent, spec, *, position):
    """Create or refresh one unit from ``spec``; ``position`` varies its confirmation date."""
    page = UnitPage.objects.child_of(parent).filter(slug_nb=slug(spec["title"]["nb"])).first()
    created = page is None
    if created:
        page = UnitPage(
            title=spec["title"]["nb"], slug=slug(spec["title"]["nb"]), kind=spec["kind"]
        )
    page.kind = spec["kind"]
    _set(page, "title", spec["title"])
    _set(page, "slug", {language: slug(title) for language, title in spec["title"].items()})
    _set(page, "short_name", spec.get("short", {"nb": "", "en": ""}))
    _set(page, "intro", spec["intro"])
    _set(page, "how_to_join", spec["join"])
    page.meeting_language = spec.get("meeting_language", "")
    name, role = spec.get("contact", ("", {"nb": "", "en": ""}))
    page.international_contact_name = name
    _set(page, "international_contact_role", role)
    page.international_contact_email = spec.get("contact_email", spec.get("email", ""))
    page.contact_email = spec.get("email", "")
    page.website = spec.get("website", "")
    page.social_links = json.dumps(
        [{"type": "link", "value": {"platform": p, "url": u}} for p, u in spec.get("social", [])]
    )
    days = spec.get("confirmed_days_ago", 7 + (position * 37) % 300)
    page.last_confirmed = timezone.now() - datetime.timedelta(days=days)
    if created:
        parent.add_child(instance=page)
    _publish(page)
    return page


def _faculty_spec(key, name_nb, name_en, short, position):
    short_nb, short_en = short
    return {
        "key": key,
        "kind": UnitKind.FACULTY,
        "title": {"nb": name_nb, "en": name_en},
        "short": {"nb": short_nb, "en": short_en},
        "intro": {
            "nb": f"{name_nb} har ansvaret for studieprogrammene og instituttene sine, og for at "
            "nye studenter blir tatt godt imot faglig.",
            "en": f"The {name_en} is responsible for its study programmes and departments, and "
            "for welcoming new students into their studies.",
        },
        "meeting_language": "nb_en",
        "join": {
            "nb": "Du hører til fakultetet når du er tatt opp på et av studieprogrammene. "
            "Fakultetets studieveiledning hjelper deg med utdanningsplan, emner og eksamen.",
            "en": "You belong to the faculty once you are admitted to one of its programmes. Its "
            "student advisers help with your education plan, courses and exams.",
        },
        "contact": (
            CONTACTS[position % len(CONTACTS)],
            {"nb": "Internasjonal koordinator", "en": "International coordinator"},
        ),
        "email": f"{slug(short_en).lower()}@{MAIL}",
        "website": f"https://www.velkommen.example.org/{slug(short_en).lower()}",
    }


def _department_spec(key, name_nb, name_en, short, subject_nb, subject_en, position):
    return {
        "key": key,
        "kind": UnitKind.DEPARTMENT,
        "title": {"nb": name_nb, "en": name_en},
        "short": _both(short),
        "intro": {
            "nb": f"{name_nb} underviser og forsker i {subject_nb}. Instituttets studieveiledere "
            "hjelper deg med emnevalg, læringsavtale og godkjenning av emner.",
            "en": f"The {name_en} teaches and researches {subject_en}. Its student advisers help "
            "you choose courses, with your learning agreement and with course approval.",
        },
        "meeting_language": "nb_en",
        "join": {
            "nb": "Du hører til instituttet når du tar et av studieprogrammene. Kom på "
            "semesterstartmøtet, der du også møter linjeforeningen.",
            "en": "You belong to the department when you take one of its programmes. Come to the "
            "start-of-semester meeting, where you also meet the line association.",
        },
        "contact": (
            CONTACTS[position % len(CONTACTS)],
            {"nb": "Studieveileder for internasjonale studenter", "en": "International adviser"},
        ),
        "email": f"{slug(short).lower()}@{MAIL}",
    }


def _council_spec(faculty_short, faculty_nb, faculty_en, position):
    short_nb, short_en = faculty_short
    return {
        "key": f"council-{slug(short_en).lower()}",
        "kind": UnitKind.STUDENT_COUNCIL,
        "title": {"nb": f"Studentrådet {short_nb}", "en": f"Student Council {short_en}"},
        "short": {"nb": f"SR-{short_nb}", "en": f"SC-{short_en}"},
        "intro": {
            "nb": f"Studentrådet er studentenes stemme ved {faculty_nb}: det velger "
            "studentrepresentanter til fakultetets utvalg og tar opp saker om undervisning og "
            "studiemiljø.",
            "en": f"The student council is the students' voice at the {faculty_en}: it elects "
            "student representatives to the faculty's committees and raises issues about "
            "teaching and the study environment.",
        },
        "meeting_language": "nb_en_on_request",
        "join": {
            "nb": "Hvert studieprogram har tillitsvalgte i rådet, valgt hver høst. Internasjonale "
            "studenter kan stemme og stille til valg; be om engelsk, så holdes møtet på engelsk.",
            "en": "Each programme has representatives on the council, elected every autumn. "
            "International students can vote and stand; ask for English and the meeting is held "
            "in English.",
        },
        "contact": (
            CONTACTS[(position + 5) % len(CONTACTS)],
            {"nb": "Internasjonalt ansvarlig", "en": "International officer"},
        ),
        "email": f"studentradet-{slug(short_en).lower()}@{MAIL}",
    }


def _line_spec(key, name, programme_nb, programme_en, language, position):
    return {
        "key": key,
        "kind": UnitKind.LINE_ASSOCIATION,
        "title": _both(name),
        "short": {"nb": "", "en": ""},
        "intro": {
            "nb": f"{name} er linjeforeningen for studentene på {programme_nb}: fadderuke, "
            "bedriftspresentasjoner, hytteturer og fester.",
            "en": f"{name} is the line association of the {programme_en} students: buddy week, "
            "company presentations, cabin trips and parties.",
        },
        "meeting_language": language,
        "join": {
            "nb": "Alle som studerer på linja er medlemmer. Internasjonale studenter på emner "
            "herfra er like velkomne; skriv til oss, så får du invitasjonene.",
            "en": "Everyone on the programme is a member. International students taking its "
            "courses are just as welcome: write to us and you get the invitations.",
        },
        "contact": (
            CONTACTS[(position + 9) % len(CONTACTS)],
            {"nb": "Internasjonalt ansvarlig", "en": "International officer"},
        ),
        "email": f"{slug(name).lower()}@{MAIL}",
        "social": [("instagram", f"https://www.instagram.com/velkommen.demo.{slug(name)}/")],
    }


def seed_units():
    """Create or refresh the demo organisation chart; returns the units by key."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_units()


def _seed_units():
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Seed the site (cms.demo.seed_site) before the units.")
    units = {}
    directory = _index_page(UnitDirectoryPage, home, DIRECTORY, menu=True)
    position = 0

    def add(parent, spec):
        nonlocal position
        position += 1
        units[spec["key"]] = _unit(parent, spec, position=position)
        return units[spec["key"]]

    section = add(directory, SECTION)
    add(section, LANGUAGE_CENTRE)
    for key, name_nb, name_en, short, departments in FACULTIES:
        faculty = add(directory, _faculty_spec(key, name_nb, name_en, short, position))
        for department in departments:
            add(faculty, _department_spec(*department, position))
        add(faculty, _council_spec(short, name_nb, name_en, position))
    add(directory, PARLIAMENT)
    for key, parent_key, name, programme_nb, programme_en, language in LINE_ASSOCIATIONS:
        add(
            units[parent_key], _line_spec(key, name, programme_nb, programme_en, language, position)
        )
    volunteers = _index_page(VolunteerGroupIndexPage, directory, VOLUNTEER_INDEX, menu=False)
    for spec in VOLUNTEER_GROUPS:
        add(volunteers, {**spec, "kind": UnitKind.VOLUNTEER_GROUP})

    _seed_editors(units)
    _seed_follows(units)
    return units


def _seed_follows(units):
    user_model = get_user_model()
    for email, keys in DEMO_FOLLOWS.items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            continue
        for key in keys:
            follow_create(user=user, unit=units[key])


def _seed_editors(units):
    user_model = get_user_model()
    editors_group = Group.objects.filter(name=WAGTAIL_EDITORS_GROUP).first()
    for email, keys in DEMO_EDITORS.items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            continue
        for key in keys:
            unit_editor_add(unit=units[key], user=user)
        if editors_group is not None:
            user.groups.remove(editors_group)
    for email in DEMO_STAFF:
        user = user_model.objects.filter(email=email).first()
        if user is not None:
            international_staff_add(user=user)


def demo_units():
    """The demo units by their key in this module (those that exist), for other apps' seeds."""
    specs = [SECTION, LANGUAGE_CENTRE, PARLIAMENT]
    specs += [{**spec, "kind": UnitKind.VOLUNTEER_GROUP} for spec in VOLUNTEER_GROUPS]
    for key, name_nb, name_en, short, departments in FACULTIES:
        specs.append(_faculty_spec(key, name_nb, name_en, short, 0))
        specs.append(_council_spec(short, name_nb, name_en, 0))
        specs += [_department_spec(*department, 0) for department in departments]
    specs += [_line_spec(*line[:1], *line[2:], 0) for line in LINE_ASSOCIATIONS]
    found = {(unit.kind, unit.slug_nb): unit for unit in UnitPage.objects.all()}
    units = {}
    for spec in specs:
        unit = found.get((spec["kind"], slug(spec["title"]["nb"])))
        if unit is not None:
            units[spec["key"]] = unit
    return units
