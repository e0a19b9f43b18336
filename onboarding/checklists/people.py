"""Reads for "Your people" on the arrival plan: the units a student should know, and a course.

The student's faculty, department and student council, the line
associations of their programme, volunteer groups matching their interests
and the Norwegian course that fits their level, each with whether the
student already follows it. A fixed number of queries, whatever the tree.

The Norwegian courses come from providers, the functions registered for
the Wagtail hook ``onboarding.hooks.ARRIVAL_PLAN_COURSES`` (the courses app
registers one): the plan shows what each of them suggests. When none
suggests anything, the suggestion names the level to take next and points at
the language centre and the Norwegian courses page.

The student parliament is on every plan beside the student's own council.
For both, the functions registered for ``onboarding.hooks.ARRIVAL_PLAN_DEMOCRACY``
(the democracy app registers one) give the next meeting and any open
election, as ``DemocracyNews``, for all the plan's units at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail import hooks

from onboarding.accounts.models import Interest, NorwegianLevel
from onboarding.hooks import ARRIVAL_PLAN_COURSES, ARRIVAL_PLAN_DEMOCRACY
from onboarding.units.models import Follow, UnitPage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from cms.models import InformationPage
    from onboarding.accounts.models import StudentProfile, User

# Words (both languages, lower case) that tie a volunteer group to an interest. A word
# matches at the start of a word in the unit's texts ("tur" finds "turgruppe", not
# "natur"); one starting with "=" must be a whole word.
INTEREST_KEYWORDS: dict[str, tuple[str, ...]] = {
    Interest.OUTDOORS: ("friluft", "tur", "hiking", "hike", "outdoor", "fjell", "mountain", "ski"),
    Interest.SPORTS: ("idrett", "sport", "trening", "fotball", "football", "klatr", "climb"),
    Interest.MUSIC: ("musikk", "music", "kor", "choir", "band", "orkester", "orchestra"),
    Interest.CULTURE: ("kultur", "culture", "kunst", "=art", "=arts", "teater", "theatre", "film"),
    Interest.FOOD: ("=mat", "matlag", "food", "kokk", "cook", "kafé", "café", "middag", "dinner"),
    Interest.GAMES: ("spill", "game", "brettspill", "board game"),
    Interest.TECHNOLOGY: ("teknologi", "technology", "programmer", "coding", "=data"),
    Interest.DEBATE: ("debatt", "debate", "politikk", "politic", "samfunn", "society"),
    Interest.LANGUAGES: ("språk", "language", "tandem"),
    Interest.HELPING: (
        "fadder",
        "buddy",
        "buddies",
        "mentor",
        "hjelp",
        "help",
        "støtte",
        "support",
    ),
    Interest.SUSTAINABILITY: ("bærekraft", "sustainab", "miljø", "environment", "klima", "climate"),
    Interest.FAITH: ("livssyn", "religion", "faith", "=tro", "kirke", "church", "moské", "mosque"),
}


def _keyword_pattern(words: Iterable[str]) -> re.Pattern[str]:
    parts = [
        rf"\b{re.escape(w[1:])}\b" if w.startswith("=") else rf"\b{re.escape(w)}" for w in words
    ]
    return re.compile("|".join(parts))


INTEREST_PATTERNS: dict[str, re.Pattern[str]] = {
    interest: _keyword_pattern(words) for interest, words in INTEREST_KEYWORDS.items()
}
# Text fields of a unit searched for the keywords, in both languages.
MATCH_FIELDS = ("title", "short_name", "intro", "how_to_join")
VOLUNTEER_GROUPS_SHOWN = 3

# The course level that comes next after a level, and how it is described.
NEXT_LEVEL: dict[str, str] = {
    NorwegianLevel.NONE: NorwegianLevel.A1,
    NorwegianLevel.A1: NorwegianLevel.A2,
    NorwegianLevel.A2: NorwegianLevel.B1,
    NorwegianLevel.B1: NorwegianLevel.B2,
    NorwegianLevel.B2: NorwegianLevel.C1,
    NorwegianLevel.C1: NorwegianLevel.C2,
}
COURSE_NAMES: dict[str, StrOrPromise] = {
    NorwegianLevel.A1: _("Norwegian for beginners (A1)"),
    NorwegianLevel.A2: _("Norwegian, elementary (A2)"),
    NorwegianLevel.B1: _("Norwegian, intermediate (B1)"),
    NorwegianLevel.B2: _("Norwegian, upper intermediate (B2)"),
    NorwegianLevel.C1: _("Norwegian, advanced (C1)"),
    NorwegianLevel.C2: _("Norwegian, proficient (C2)"),
}
# The information page about Norwegian courses, by its slug in either language.
COURSES_PAGE_SLUGS = {"nb": "norskkurs-informasjon", "en": "norwegian-courses-information"}


@dataclass(frozen=True)
class DemocracyItem:
    """A meeting or an election on the plan: its title, link, when, and a line saying what now."""

    title: str
    url: str
    when: datetime
    note: StrOrPromise = ""


@dataclass(frozen=True)
class DemocracyNews:
    """What a student council or the student parliament has coming up, for the plan.

    Returned, by unit id, by the ``ARRIVAL_PLAN_DEMOCRACY`` hook.
    """

    next_meeting: DemocracyItem | None = None
    open_elections: tuple[DemocracyItem, ...] = ()


@dataclass
class Person:
    """A unit a student should know, why, and whether they follow it."""

    unit: UnitPage
    reason: StrOrPromise
    followed: bool = False
    # The next meeting and open elections of a council or the parliament.
    news: DemocracyNews | None = None


@dataclass
class CourseSuggestion:
    """The Norwegian course that fits a student's level.

    ``title`` names the course or level; ``text`` says why; ``url`` opens it
    (or where to sign up); ``unit`` is the unit that teaches it (followable);
    ``info_url`` and ``info_title`` point at more information.
    """

    title: StrOrPromise
    text: StrOrPromise
    url: str = ""
    unit: UnitPage | None = None
    info_url: str = ""
    info_title: str = ""
    followed: bool = False


@dataclass
class People:
    faculty: list[Person] = field(default_factory=list)
    department: list[Person] = field(default_factory=list)
    student_council: list[Person] = field(default_factory=list)
    student_parliament: list[Person] = field(default_factory=list)
    line_associations: list[Person] = field(default_factory=list)
    volunteer_groups: list[Person] = field(default_factory=list)
    courses: list[CourseSuggestion] = field(default_factory=list)
    has_interests: bool = False

    def sections(self) -> list[tuple[str, StrOrPromise, list[Person]]]:
        """(key, heading, people) for each non-empty section, in reading order."""
        sections = [
            ("faculty", _("Your faculty"), self.faculty),
            ("department", _("Your department"), self.department),
            ("student_council", _("Your student council"), self.student_council),
            ("student_parliament", _("The student parliament"), self.student_parliament),
            ("line_associations", _("Line associations of your programme"), self.line_associations),
            ("volunteer_groups", _("Volunteer groups you may like"), self.volunteer_groups),
        ]
        return [(key, heading, people) for key, heading, people in sections if people]

    def units(self) -> list[UnitPage]:
        units = [p.unit for _key, _heading, people in self.sections() for p in people]
        units.extend(course.unit for course in self.courses if course.unit)
        return units


# --- The course suggestions ---------------------------------------------------------------


def _courses_information_page() -> InformationPage | None:
    from cms.models import InformationPage

    return (
        InformationPage.objects.live()
        .public()
        .filter(Q(slug_en=COURSES_PAGE_SLUGS["en"]) | Q(slug_nb=COURSES_PAGE_SLUGS["nb"]))
        .first()
    )


def default_course_suggestion(
    *,
    profile: StudentProfile,
    language_centre: UnitPage | None,
    request: HttpRequest | None = None,
) -> CourseSuggestion:
    """The next level up from the student's CEFR level, taught by the language centre."""
    level = profile.norwegian_level or NorwegianLevel.NONE
    page = _courses_information_page()
    info = {"info_url": page.get_url(request) or "", "info_title": page.title} if page else {}
    next_level = NEXT_LEVEL.get(level)
    unit_url = language_centre.get_url(request) if language_centre else ""
    if next_level is None:
        return CourseSuggestion(
            title=_("You speak Norwegian at C2"),
            text=_(
                "You need no course. The language centre still runs conversation groups "
                "and can use you as a language partner."
            ),
            url=unit_url,
            unit=language_centre,
            **info,
        )
    text: StrOrPromise
    if level == NorwegianLevel.NONE:
        text = _("You are new to Norwegian: start with the beginners' course.")
    else:
        text = _("Your level is %(level)s: the course at the next level suits you.") % {
            "level": level
        }
    return CourseSuggestion(
        title=str(COURSE_NAMES[next_level]),
        text=text,
        url=unit_url,
        unit=language_centre,
        **info,
    )


def course_suggestions(
    *,
    profile: StudentProfile,
    language_centre: UnitPage | None = None,
    request: HttpRequest | None = None,
) -> list[CourseSuggestion]:
    """The Norwegian courses for the student: every provider's suggestion, else the default.

    Each function registered for ``ARRIVAL_PLAN_COURSES`` is asked in hook
    order and gives a ``CourseSuggestion`` or None; the default suggestion is
    the only one when no provider gives any.
    """
    suggestions = [
        suggestion
        for provider in hooks.get_hooks(ARRIVAL_PLAN_COURSES)
        if (suggestion := provider(profile=profile, request=request)) is not None
    ]
    return suggestions or [
        default_course_suggestion(profile=profile, language_centre=language_centre, request=request)
    ]


# --- Matching --------------------------------------------------------------------------------


def _unit_text(unit: UnitPage) -> str:
    parts = []
    for name in MATCH_FIELDS:
        for language in ("nb", "en"):
            parts.append(getattr(unit, build_localized_fieldname(name, language), "") or "")
    return " ".join(parts).casefold()


def interest_matches(unit: UnitPage, interests: Iterable[str]) -> list[str]:
    """The interests (codes) whose keywords appear in the unit's name or texts."""
    text = _unit_text(unit)
    return [
        interest
        for interest in interests
        if interest in INTEREST_PATTERNS and INTEREST_PATTERNS[interest].search(text)
    ]


def _programme_score(unit: UnitPage, programme: str) -> int:
    words = [word for word in programme.casefold().split() if len(word) > 3]
    text = _unit_text(unit)
    return sum(1 for word in words if word in text)


def plan_people(
    *, profile: StudentProfile, user: User | AnonymousUser, request: HttpRequest | None = None
) -> People:
    """The people a student should know, each with whether they follow it already.

    Line associations are those under the student's department (under the
    faculty when there are none there or no department is known), the ones
    naming the programme first. Volunteer groups are the ones whose texts
    match most of the student's interests.
    """
    people = People(has_interests=bool(profile.interests))
    faculty, department = profile.faculty, profile.department
    condition = Q(kind__in=("volunteer_group", "language_centre", "student_parliament"))
    if faculty is not None:
        condition |= Q(pk=faculty.pk) | Q(
            kind__in=("student_council", "line_association"), path__startswith=faculty.path
        )
    if department is not None:
        condition |= Q(pk=department.pk)
    units = list(UnitPage.objects.live().public().filter(condition).order_by("path"))

    language_centre = next((u for u in units if u.kind == "language_centre"), None)
    for unit in units:
        if faculty is not None and unit.pk == faculty.pk:
            people.faculty.append(Person(unit, _("Your studies are organised here.")))
        elif department is not None and unit.pk == department.pk:
            people.department.append(Person(unit, _("Your courses and teachers are here.")))
        elif unit.kind == "student_council":
            people.student_council.append(
                Person(unit, _("Students who speak for the students of your faculty."))
            )
        elif unit.kind == "student_parliament":
            people.student_parliament.append(
                Person(
                    unit,
                    _("The students' highest body: international students may vote and stand."),
                )
            )

    associations = [u for u in units if u.kind == "line_association"]
    # Without a faculty no line association was fetched (see ``condition``).
    if department is not None and faculty is not None:
        in_department = [u for u in associations if u.path.startswith(department.path)]
        associations = in_department or [
            u for u in associations if len(u.path) == len(faculty.path) + UnitPage.steplen
        ]
    associations.sort(key=lambda u: -_programme_score(u, profile.programme or ""))
    people.line_associations = [
        Person(u, _("The student association of your programme: socials, help and a network."))
        for u in associations
    ]

    labels = dict(Interest.choices)
    scored = []
    for unit in units:
        if unit.kind != "volunteer_group":
            continue
        matches = interest_matches(unit, profile.interests or [])
        if matches:
            scored.append((len(matches), unit, matches))
    scored.sort(key=lambda row: (-row[0], row[1].path))
    for _count, unit, matches in scored[:VOLUNTEER_GROUPS_SHOWN]:
        reason = _("Matches your interests: %(interests)s.") % {
            "interests": ", ".join(str(labels[m]) for m in matches)
        }
        people.volunteer_groups.append(Person(unit, reason))

    if profile.status != "outgoing":
        people.courses = course_suggestions(
            profile=profile, language_centre=language_centre, request=request
        )

    followed = set()
    if user.is_authenticated:
        ids = [unit.pk for unit in people.units()]
        if ids:
            followed = set(
                Follow.objects.filter(user=user, unit_id__in=ids).values_list("unit_id", flat=True)
            )
    for _key, _heading, section in people.sections():
        for person in section:
            person.followed = person.unit.pk in followed
    for course in people.courses:
        course.followed = course.unit is not None and course.unit.pk in followed
    democracy_attach(people)
    return people


def democracy_attach(people: People) -> None:
    """Give the plan's student council and parliament their news from every provider.

    Each provider is asked once for all the units together, so the plan's
    queries do not grow with the number of meetings or elections.
    """
    bodies = [
        *(p.unit for p in people.student_council),
        *(p.unit for p in people.student_parliament),
    ]
    if not bodies:
        return
    news: dict[int, DemocracyNews] = {}
    for provider in hooks.get_hooks(ARRIVAL_PLAN_DEMOCRACY):
        for unit_id, item in provider(units=bodies).items():
            news.setdefault(unit_id, item)
    for person in [*people.student_council, *people.student_parliament]:
        person.news = news.get(person.unit.pk)
