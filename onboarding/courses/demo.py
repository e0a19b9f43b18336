"""Demo Norwegian courses: the catalogue, this and next semester's courses, and students on them.

Courses at every level (A1 to C1) on campus and online, an intensive course
before each semester and a short course for one-semester exchange students.
Some are full. Demo international students have places, waitlist places or
nothing yet, so that the coverage report has something to show. Dates are
relative to today, so a fresh seed is always current. Safe to run again:
pages are found by their Norwegian slug, people by their email address.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.models import HomePage, InformationPage
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.units.demo import demo_units, slug
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .levels import COURSE_LEVELS, level_rank
from .models import (
    CourseFormat,
    Enrolment,
    NorwegianCourseCatalogPage,
    NorwegianCoursePage,
    PlacementResult,
)
from .placement import SKILLS
from .semesters import Semester, Term
from .services import enrolment_create, placement_record

CATALOGUE = {
    "title": {"nb": "Norskkurs", "en": "Norwegian courses"},
    "slug": {"nb": "norskkurs", "en": "norwegian-courses"},
    "intro": {
        "nb": "Alle internasjonale studenter skal få tilbud om norskkurs. Finn kurset som passer "
        "nivået ditt, på campus, digitalt eller som intensivkurs før semesterstart.",
        "en": "Every international student shall be offered a Norwegian course. Find the one that "
        "fits your level, on campus, online or as an intensive course before the semester starts.",
    },
}
INFORMATION_SLUG_EN = "norwegian-courses-information"

LEVEL_NAMES = {
    "A1": ("Norsk for nybegynnere", "Norwegian for beginners"),
    "A2": ("Norsk, grunnleggende nivå", "Norwegian, elementary"),
    "B1": ("Norsk, mellomnivå", "Norwegian, intermediate"),
    "B2": ("Norsk, høyere mellomnivå", "Norwegian, upper intermediate"),
    "C1": ("Norsk, avansert nivå", "Norwegian, advanced"),
}
LEVEL_TOPICS = {
    "A1": (
        "presentere deg selv, handle, spørre om veien og forstå enkle beskjeder",
        "introduce yourself, go shopping, ask the way and understand simple messages",
    ),
    "A2": (
        "snakke om studiene, bosituasjonen og fritiden, og skrive korte meldinger",
        "talk about your studies, your housing and your free time, and write short messages",
    ),
    "B1": (
        "delta i samtaler uten forberedelse, fortelle om erfaringer og lese avisartikler",
        "join conversations without preparing, tell about your experiences and read news articles",
    ),
    "B2": (
        "diskutere faglige og samfunnsaktuelle temaer og skrive sammenhengende tekster",
        "discuss academic and current topics and write connected, well-argued texts",
    ),
    "C1": (
        "bruke norsk i studier og arbeid, i forelesninger, seminarer og akademisk skriving",
        "use Norwegian in studies and work: in lectures, seminars and academic writing",
    ),
}
OUTCOMES = {
    "A1": (
        [
            "presentere deg selv og andre",
            "forstå og bruke vanlige hverdagsuttrykk",
            "fylle ut enkle skjemaer",
        ],
        [
            "introduce yourself and others",
            "understand and use common everyday expressions",
            "fill in simple forms",
        ],
    ),
    "A2": (
        [
            "klare deg i vanlige hverdagssituasjoner",
            "skrive korte meldinger og e-poster",
            "forstå hovedinnholdet i korte, tydelige kunngjøringer",
        ],
        [
            "manage common everyday situations",
            "write short messages and emails",
            "understand the main point of short, clear announcements",
        ],
    ),
    "B1": (
        [
            "delta i samtaler om kjente temaer",
            "fortelle om erfaringer, planer og meninger",
            "lese tekster skrevet på hverdagsspråk",
        ],
        [
            "take part in conversations on familiar topics",
            "describe experiences, plans and opinions",
            "read texts written in everyday language",
        ],
    ),
    "B2": (
        [
            "delta aktivt i diskusjoner",
            "skrive klare, detaljerte tekster",
            "følge lengre foredrag og forelesninger",
        ],
        [
            "take an active part in discussions",
            "write clear, detailed texts",
            "follow longer talks and lectures",
        ],
    ),
    "C1": (
        [
            "uttrykke deg flytende og spontant",
            "skrive velstrukturerte fagtekster",
            "bruke norsk fleksibelt i studier og arbeid",
        ],
        [
            "express yourself fluently and spontaneously",
            "write well-structured academic texts",
            "use Norwegian flexibly for study and work",
        ],
    ),
}
FORMAT_WORDS = {
    CourseFormat.CAMPUS: ("campus", "on campus"),
    CourseFormat.DIGITAL: ("digitalt", "online"),
    CourseFormat.INTENSIVE: ("intensivkurs", "intensive"),
}
TERM_WORDS = {Term.SPRING: ("vår", "spring"), Term.AUTUMN: ("høst", "autumn")}
TERM_LABELS = {Term.SPRING: ("Vår", "Spring"), Term.AUTUMN: ("Høst", "Autumn")}

# Whole-semester courses are for students who stay the academic year; the
# short course is for one-semester exchange students.
YEAR_STAY_MONTHS = 9
SHORT_STAY_MONTHS = 6


def _previous(level):
    rank = level_rank(level)
    return COURSE_LEVELS[rank - 2] if rank >= 2 else ""


# (key, format, level from, level to, credits, weekdays, start, end, place, online)
# fmt: off
COURSES = [
    *[
        (f"campus-{level}", CourseFormat.CAMPUS, level, level, "7.5", [0, 2],
         datetime.time(10, 15), datetime.time(12, 0), f"Gamle fysikk, rom {101 + index}", False)
        for index, level in enumerate(COURSE_LEVELS)
    ],
    ("digital-A1", CourseFormat.DIGITAL, "A1", "A2", "15", [1, 3], datetime.time(17, 15), datetime.time(19, 0), "", True),
    ("digital-B1", CourseFormat.DIGITAL, "B1", "B1", "7.5", [1, 3], datetime.time(17, 15), datetime.time(19, 0), "", True),
    ("digital-B2", CourseFormat.DIGITAL, "B2", "C1", "15", [1, 3], datetime.time(17, 15), datetime.time(19, 0), "", True),
    ("intensive-A1", CourseFormat.INTENSIVE, "A1", "A1", "7.5", [0, 1, 2, 3, 4], datetime.time(9, 15), datetime.time(14, 0), "Realfagbygget, auditorium R1", False),
    ("short-A1", CourseFormat.CAMPUS, "A1", "A1", "5", [3], datetime.time(14, 15), datetime.time(16, 0), "Studentsamfundet, Storsalen", False),
    ("short-digital-A1", CourseFormat.DIGITAL, "A1", "A1", "5", [1], datetime.time(17, 15), datetime.time(19, 0), "", True),
]
# fmt: on

# Courses made full in the demo: (semester slot, key) -> (capacity, waitlist on).
FULL = {
    ("this", "campus-A1"): (4, True),
    ("next", "short-A1"): (3, False),
    ("next", "campus-B1"): (3, True),
}


def _set(page, field, values):
    # Only the per-language columns: ``page.<field>`` would write the active language's.
    for language, value in values.items():
        setattr(page, f"{field}_{language}", value)


def _publish(page):
    page.save()
    page.save_revision().publish()


def _aware(day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _dates(semester):
    """(first day of teaching, last day, first day of the intensive course)."""
    if semester.term == Term.AUTUMN:
        return (
            datetime.date(semester.year, 8, 20),
            datetime.date(semester.year, 12, 10),
            datetime.date(semester.year, 8, 3),
        )
    return (
        datetime.date(semester.year, 1, 15),
        datetime.date(semester.year, 6, 5),
        datetime.date(semester.year, 1, 4),
    )


def _window(semester, slot, key, now):
    """(opens, closes) of a course's application, relative to today for next semester."""
    start, end, intensive = _dates(semester)
    first = intensive if key.startswith("intensive") else start
    last_moment = _aware(end, 23, 59)
    if slot == "this":
        opens = _aware(start - datetime.timedelta(days=120))
        closes = _aware(first + datetime.timedelta(days=7 if first == start else -5), 12)
    elif key.startswith("intensive"):
        # Next semester's intensive course opens for application in three weeks.
        opens = _aware(timezone.localdate(now) + datetime.timedelta(days=21))
        closes = _aware(first - datetime.timedelta(days=5), 12)
    else:
        opens = _aware(timezone.localdate(now) - datetime.timedelta(days=14))
        closes = _aware(first - datetime.timedelta(days=7), 12)
    closes = min(
        max(closes, now + datetime.timedelta(days=30)) if slot == "next" else closes, last_moment
    )
    if opens >= closes:
        opens = closes - datetime.timedelta(days=30)
    return opens, closes


def _rich_list(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _course_texts(key, fmt, level_from, level_to, semester):
    name_nb, name_en = LEVEL_NAMES[level_from]
    if level_to != level_from:
        name_nb, name_en = (
            f"{name_nb.rsplit(',', 1)[0]} ({level_from}–{level_to})",
            f"{name_en.rsplit(',', 1)[0]} ({level_from}–{level_to})",
        )
        if level_from == "A1":
            name_nb, name_en = (
                f"Norsk fra start ({level_from}–{level_to})",
                f"Norwegian from the start ({level_from}–{level_to})",
            )
        elif level_from == "B2":
            name_nb, name_en = (
                f"Norsk for studier og arbeid ({level_from}–{level_to})",
                f"Norwegian for study and work ({level_from}–{level_to})",
            )
    else:
        name_nb, name_en = f"{name_nb} ({level_from})", f"{name_en} ({level_from})"
    if key.startswith("intensive"):
        name_nb, name_en = (
            f"Intensivkurs i norsk ({level_from})",
            f"Intensive Norwegian ({level_from})",
        )
    if key.startswith("short"):
        name_nb, name_en = (
            f"Norsk for utvekslingsstudenter, kort kurs ({level_from})",
            f"Norwegian for exchange students, short course ({level_from})",
        )
    format_nb, format_en = FORMAT_WORDS[fmt]
    term_nb, term_en = TERM_LABELS[semester.term]
    title = {
        "nb": f"{name_nb}, {format_nb} – {term_nb} {semester.year}",
        "en": f"{name_en}, {format_en} – {term_en} {semester.year}",
    }
    slugs = {
        "nb": slug(f"norsk-{key}-{TERM_WORDS[semester.term][0]}-{semester.year}"),
        "en": slug(f"norwegian-{key}-{TERM_WORDS[semester.term][1]}-{semester.year}"),
    }
    topic_nb, topic_en = LEVEL_TOPICS[level_to]
    description = {
        "nb": f"<p>På kurset lærer du å {topic_nb}.</p>",
        "en": f"<p>On the course you learn to {topic_en}.</p>",
    }
    if key.startswith("intensive"):
        description = {
            "nb": "<p>Tre uker med norsk hver dag før semesterstart: du kommer i gang med språket "
            f"før forelesningene begynner, og lærer å {topic_nb}.</p>",
            "en": "<p>Three weeks of Norwegian every day before the semester starts: you get going "
            f"with the language before lectures begin, and learn to {topic_en}.</p>",
        }
    if key.startswith("short"):
        description = {
            "nb": "<p>Et kort kurs for deg som er her ett semester: nok norsk til hverdagen, "
            f"én gang i uka. Du lærer å {topic_nb}.</p>",
            "en": "<p>A short course for students here for one semester: enough Norwegian for "
            f"everyday life, once a week. You learn to {topic_en}.</p>",
        }
    if fmt == CourseFormat.DIGITAL:
        description = {
            "nb": description["nb"] + "<p>Undervisningen er direkte på nett, med opptak av "
            "forelesningene.</p>",
            "en": description["en"] + "<p>Teaching is live online, and the lectures are "
            "recorded.</p>",
        }
    outcomes_nb, outcomes_en = OUTCOMES[level_to]
    outcomes = {
        "nb": "<p>Etter kurset kan du</p>" + _rich_list(outcomes_nb),
        "en": "<p>After the course you can</p>" + _rich_list(outcomes_en),
    }
    return title, slugs, description, outcomes


def _course(centre, semester, slot, spec, now):
    key, fmt, level_from, level_to, ects, days, start_time, end_time, place, online = spec
    title, slugs, description, outcomes = _course_texts(key, fmt, level_from, level_to, semester)
    page = NorwegianCoursePage.objects.child_of(centre).filter(slug_nb=slugs["nb"]).first()
    created = page is None
    if created:
        page = NorwegianCoursePage(title=title["nb"], slug=slugs["nb"])
    _set(page, "title", title)
    _set(page, "slug", slugs)
    _set(page, "description", description)
    _set(page, "learning_outcomes", outcomes)
    start, end, intensive = _dates(semester)
    if key.startswith("intensive"):
        start, end = intensive, intensive + datetime.timedelta(days=11)
    page.level_from, page.level_to = level_from, level_to
    page.course_format = fmt
    page.year, page.term = semester.year, semester.term
    page.starts_on, page.ends_on = start, end
    page.weekdays = days
    page.start_time, page.end_time = start_time, end_time
    page.location, page.online = place, online
    page.ects_credits = ects
    capacity, waitlist = FULL.get((slot, key), (None, True))
    if capacity is None:
        capacity = {CourseFormat.CAMPUS: 20, CourseFormat.DIGITAL: 40, CourseFormat.INTENSIVE: 30}[
            fmt
        ]
        if key.startswith("short"):
            capacity = 25
    page.capacity, page.waitlist_enabled = capacity, waitlist
    page.application_opens_at, page.application_closes_at = _window(semester, slot, key, now)
    page.cancellation_deadline = None
    if key.startswith("short"):
        page.allowed_statuses = [StudentStatus.INCOMING_EXCHANGE.value]
        page.min_stay_months, page.max_stay_months = None, SHORT_STAY_MONTHS
    elif key.startswith("intensive"):
        page.allowed_statuses = []
        page.min_stay_months = page.max_stay_months = None
    else:
        page.allowed_statuses = []
        page.min_stay_months, page.max_stay_months = YEAR_STAY_MONTHS, None
    page.prerequisite_level = _previous(level_from)
    page.show_in_menus = False
    if created:
        centre.add_child(instance=page)
    _publish(page)
    return page


def _catalogue(home):
    page = NorwegianCourseCatalogPage.objects.child_of(home).first()
    created = page is None
    if created:
        page = NorwegianCourseCatalogPage(
            title=CATALOGUE["title"]["nb"], slug=CATALOGUE["slug"]["nb"]
        )
    _set(page, "title", CATALOGUE["title"])
    _set(page, "slug", CATALOGUE["slug"])
    _set(page, "intro", CATALOGUE["intro"])
    page.show_in_menus = True
    if created:
        home.add_child(instance=page)
    _publish(page)
    return page


def _hide_information_page(home):
    """The catalogue replaces the information page in the menu; the page itself stays."""
    page = InformationPage.objects.child_of(home).filter(slug_en=INFORMATION_SLUG_EN).first()
    if page is not None and page.show_in_menus:
        page.show_in_menus = False
        _publish(page)


# --- Demo students ----------------------------------------------------------------------------

# (first, last, language, status, faculty key, stay ("year", "semester", "open"), level, placement,
#  plan): plan is ("place" | "wait", semester slot, course key) or None for offered nothing.
# fmt: off
STUDENTS = [
    ('Lukas', 'Becker', 'en', 'international_degree', 'ie', 'open', 'none', None, ('place', 'this', 'campus-A1')),
    ('Amira', 'Haddad', 'en', 'phd', 'nv', 'open', 'none', None, ('place', 'this', 'campus-A1')),
    ('Chen', 'Wei', 'en', 'international_degree', 'iv', 'open', 'none', None, ('place', 'this', 'campus-A1')),
    ('Sofia', 'Rossi', 'en', 'incoming_exchange', 'hf', 'year', 'none', None, ('place', 'this', 'campus-A1')),
    ('Mateo', 'García', 'en', 'international_degree', 'ok', 'open', 'none', None, ('wait', 'this', 'campus-A1')),
    ('Aisha', 'Bello', 'en', 'phd', 'mh', 'open', 'none', None, ('wait', 'this', 'campus-A1')),
    ('Jan', 'Novák', 'en', 'incoming_exchange', 'su', 'year', 'none', None, ('place', 'this', 'digital-A1')),
    ('Emma', 'Dubois', 'nb', 'international_degree', 'ad', 'open', 'A1', 'A1', ('place', 'this', 'digital-A1')),
    ('Yuki', 'Tanaka', 'en', 'phd', 'ie', 'open', 'A2', 'A2', ('place', 'this', 'campus-B1')),
    ('Olga', 'Ivanova', 'nb', 'international_degree', 'hf', 'open', 'A2', 'A2', ('place', 'this', 'campus-B1')),
    ('Tom', 'Müller', 'en', 'incoming_exchange', 'iv', 'semester', 'none', None, ('place', 'next', 'short-A1')),
    ('Lea', 'Schmidt', 'en', 'incoming_exchange', 'nv', 'semester', 'none', None, ('place', 'next', 'short-A1')),
    ('Marco', 'Bianchi', 'en', 'incoming_exchange', 'ok', 'semester', 'none', None, ('place', 'next', 'short-A1')),
    ('Priya', 'Sharma', 'en', 'phd', 'nv', 'open', 'A2', 'A2', ('place', 'next', 'campus-B1')),
    ('Kwame', 'Mensah', 'en', 'international_degree', 'su', 'open', 'A2', 'A2', ('place', 'next', 'campus-B1')),
    ('Ana', 'Costa', 'en', 'international_degree', 'mh', 'open', 'A2', 'A2', ('place', 'next', 'campus-B1')),
    ('Diego', 'Fernández', 'en', 'phd', 'ie', 'open', 'A2', 'A2', ('wait', 'next', 'campus-B1')),
    ('Hannah', 'Wagner', 'en', 'incoming_exchange', 'ie', 'semester', 'none', None, None),
    ('Liam', "O'Brien", 'en', 'incoming_exchange', 'iv', 'semester', 'none', None, None),
    ('Fatima', 'Zahra', 'en', 'international_degree', 'su', 'open', 'none', None, None),
    ('Jonas', 'Lindqvist', 'nb', 'international_degree', 'nv', 'open', 'B1', 'B1', None),
    ('Mei', 'Lin', 'en', 'phd', 'mh', 'open', 'none', None, None),
    ('Pierre', 'Laurent', 'en', 'incoming_exchange', 'hf', 'year', 'A1', 'A1', None),
    ('Sara', 'Kowalska', 'en', 'incoming_exchange', 'ad', 'semester', 'none', None, None),
    ('Ahmed', 'Yusuf', 'en', 'phd', None, 'open', 'none', None, None),
    ('Laura', 'Martínez', 'en', 'international_degree', 'ok', 'open', 'A2', None, None),
]
# fmt: on
DEMO_DOMAIN = "student.velkommen.test"


def student_email(first, last):
    """The email address of the demo student of that name."""
    return f"{slug(first)}.{slug(last)}@{DEMO_DOMAIN}".replace("-", "")


def _answers_for(level):
    """Answers that tick every statement up to ``level`` in every skill."""
    ticked = [lvl.value for lvl in COURSE_LEVELS if level_rank(lvl) <= level_rank(level)]
    return {skill.value: list(ticked) for skill in SKILLS}


def _stay(kind, semesters):
    """(arrival, departure) for a stay of the given kind, starting in this semester."""
    this_start, this_end, _intensive = _dates(semesters["this"])
    arrival = this_start - datetime.timedelta(days=10)
    if kind == "open":
        return arrival, None
    if kind == "semester":
        next_start, next_end, _ = _dates(semesters["next"])
        # One-semester exchange students of next semester arrive then.
        return next_start - datetime.timedelta(days=10), next_end + datetime.timedelta(days=10)
    return arrival, arrival + datetime.timedelta(days=300)


def _seed_students(courses, semesters, units):
    user_model = get_user_model()
    for index, row in enumerate(STUDENTS):
        first, last, language, status, faculty_key, stay, level, placement, plan = row
        email = student_email(first, last)
        user, created = user_model.objects.get_or_create(email=email)
        if created:
            user.first_name, user.last_name, user.language = first, last, language
            user.password = demo_password_hash()
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        arrival, departure = _stay(stay, semesters)
        profile_save(
            user=user,
            status=status,
            faculty=units.get(faculty_key) if faculty_key else None,
            arrival_date=arrival,
            departure_date=departure,
            norwegian_level=level,
            language=language,
        )
        if placement and not PlacementResult.objects.filter(user=user).exists():
            placement_record(user=user, answers=_answers_for(placement))
        if plan is None:
            continue
        _kind, slot, key = plan
        course = courses[(slot, key)]
        if Enrolment.objects.filter(course=course, person=user).exists():
            continue
        # Applied early in the application window, in the order of the list.
        moment = course.application_opens_at + datetime.timedelta(hours=1, minutes=index)
        enrolment_create(course=course, user=user, now=moment)


def seed_courses():
    """Create or refresh the catalogue, the courses and the demo students; returns the courses."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_courses()


def _seed_courses():
    home = HomePage.objects.first()
    centre = UnitPage.objects.filter(kind=UnitKind.LANGUAGE_CENTRE).first()
    if home is None or centre is None:
        raise RuntimeError("Seed the site and the units (with the language centre) before courses.")
    now = timezone.now()
    this = Semester.current(timezone.localdate(now))
    semesters = {"this": this, "next": this.next()}
    _catalogue(home)
    _hide_information_page(home)
    courses = {}
    for slot, semester in semesters.items():
        for spec in COURSES:
            courses[(slot, spec[0])] = _course(centre, semester, slot, spec, now)
    _seed_students(courses, semesters, demo_units())
    return courses
