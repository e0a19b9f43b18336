"""Demo Norwegian courses (``demo.toml``): this and next semester's courses, and students on them.

Dates are relative to today, so a fresh seed is always current. Safe to run
again: pages are found by their Norwegian slug, people by their email address.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.demo_data import (
    Data,
    child_find,
    child_publish,
    index_page,
    load,
    publish,
    set_translated,
    slug,
)
from cms.models import HomePage, InformationPage
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.units.demo import demo_units
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .levels import COURSE_LEVELS, level_rank
from .models import Enrolment, NorwegianCourseCatalogPage, NorwegianCoursePage, PlacementResult
from .placement import SKILLS
from .selectors import round_for_course
from .semesters import Semester
from .services import enrolment_create, placement_record, round_apply

DATA = load(__file__)
STUDENTS: list[Data] = DATA["students"]
# Semester slots: this semester and the next.
Slot = str


def student_email(first: str, last: str) -> str:
    """The email address of the demo student of that name."""
    return f"{slug(first)}.{slug(last)}@{DATA['student_domain']}".replace("-", "")


def _aware(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _day(year: int, month_day: str) -> datetime.date:
    month, day = month_day.split("-")
    return datetime.date(year, int(month), int(day))


def _dates(semester: Semester) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(first day of teaching, last day, first day of the intensive course)."""
    term = DATA["term"][semester.term]
    first, last = term["teaching"]
    return (
        _day(semester.year, first),
        _day(semester.year, last),
        _day(semester.year, term["intensive"]),
    )


def _window(
    semester: Semester, slot: Slot, spec: Data, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(opens, closes) of a course's application, relative to today for next semester."""
    start, end, intensive = _dates(semester)
    is_intensive = spec["type"] == "intensive"
    first = intensive if is_intensive else start
    last_moment = _aware(end, 23, 59)
    if slot == "this":
        opens = _aware(start - datetime.timedelta(days=120))
        closes = _aware(first + datetime.timedelta(days=7 if first == start else -5), 12)
    elif is_intensive:
        # Next semester's intensive course opens for application in three weeks.
        opens = _aware(timezone.localdate(now) + datetime.timedelta(days=21))
        closes = _aware(first - datetime.timedelta(days=5), 12)
    else:
        opens = _aware(timezone.localdate(now) - datetime.timedelta(days=14))
        closes = _aware(first - datetime.timedelta(days=7), 12)
    if slot == "next":
        closes = max(closes, now + datetime.timedelta(days=30))
    closes = min(closes, last_moment)
    if opens >= closes:
        opens = closes - datetime.timedelta(days=30)
    return opens, closes


def _course_texts(spec: Data, semester: Semester) -> dict[str, dict[str, str]]:
    """The course's title, slugs, description and learning outcomes, in both languages."""
    level_from, level_to = spec["levels"]
    levels = level_from if level_from == level_to else f"{level_from}–{level_to}"
    term = DATA["term"][semester.term]
    level = DATA["level"][level_to]
    texts: dict[str, dict[str, str]] = {}
    for field in ("title", "slug", "description", "learning_outcomes"):
        texts[field] = {}
    for language, prefix in (("nb", "norsk"), ("en", "norwegian")):
        name, fmt = spec["name"][language], DATA["format"][spec["format"]][language]
        texts["title"][language] = (
            f"{name} ({levels}), {fmt} – {term['label'][language]} {semester.year}"
        )
        texts["slug"][language] = slug(
            f"{prefix}-{spec['key']}-{term['slug'][language]}-{semester.year}"
        )
        description = DATA["description"][spec["type"]][language].format(
            topic=level["topic"][language]
        )
        if spec["format"] == "digital":
            description += DATA["description"]["online"][language]
        texts["description"][language] = description
        outcomes = "".join(f"<li>{item}</li>" for item in level["outcomes"][language])
        texts["learning_outcomes"][language] = (
            DATA["description"]["outcomes"][language] + f"<ul>{outcomes}</ul>"
        )
    return texts


def _course(
    centre: UnitPage, semester: Semester, slot: Slot, spec: Data, now: datetime.datetime
) -> NorwegianCoursePage:
    texts = _course_texts(spec, semester)
    page = child_find(NorwegianCoursePage, centre, texts["slug"]["nb"])
    created = page is None
    if page is None:
        page = NorwegianCoursePage(title=texts["title"]["nb"], slug=texts["slug"]["nb"])
    for field, values in texts.items():
        set_translated(page, field, values)
    start, end, intensive = _dates(semester)
    if spec["type"] == "intensive":
        start, end = intensive, intensive + datetime.timedelta(days=11)
    page.level_from, page.level_to = spec["levels"]
    page.course_format = spec["format"]
    page.year, page.term = semester.year, semester.term
    page.starts_on, page.ends_on = start, end
    page.weekdays = list(spec["days"])
    page.start_time, page.end_time = (datetime.time.fromisoformat(t) for t in spec["time"])
    page.location, page.online = spec.get("place", ""), spec.get("online", False)
    page.ects_credits = spec["credits"]
    page.capacity, page.waitlist_enabled = spec["capacity"], True
    for full in DATA["full"]:
        if (full["semester"], full["course"]) == (slot, spec["key"]):
            page.capacity, page.waitlist_enabled = full["capacity"], full["waitlist"]
    page.application_opens_at, page.application_closes_at = _window(semester, slot, spec, now)
    round_spec = DATA["round"]
    page.allocated_in_round = (
        slot == round_spec["semester"] and spec["key"] in round_spec["capacity"]
    )
    if page.allocated_in_round:
        page.capacity = round_spec["capacity"][spec["key"]]
        page.application_opens_at = _aware(timezone.localdate(now) - datetime.timedelta(days=30))
        page.application_closes_at = _aware(
            timezone.localdate(now) - datetime.timedelta(days=1), 12
        )
    page.cancellation_deadline = None
    page.allowed_statuses, page.min_stay_months, page.max_stay_months = {
        "short": ([StudentStatus.INCOMING_EXCHANGE.value], None, DATA["short_stay_months"]),
        "intensive": ([], None, None),
        "semester": ([], DATA["year_stay_months"], None),
    }[spec["type"]]
    rank = level_rank(spec["levels"][0])
    page.prerequisite_level = COURSE_LEVELS[rank - 2] if rank >= 2 else ""
    page.show_in_menus = False
    child_publish(page, centre, created=created)
    return page


def _hide_information_page(home: HomePage) -> None:
    """The catalogue replaces the information page in the menu; the page itself stays."""
    pages = InformationPage.objects.child_of(home)
    page = pages.filter(slug_en=DATA["information_page"]).first()
    if page is not None and page.show_in_menus:
        page.show_in_menus = False
        publish(page)


def _answers_for(level: str) -> dict[str, list[str]]:
    """Answers that tick every statement up to ``level`` in every skill."""
    ticked = [lvl.value for lvl in COURSE_LEVELS if level_rank(lvl) <= level_rank(level)]
    return {skill.value: list(ticked) for skill in SKILLS}


def _stay(kind: str, semesters: dict[Slot, Semester]) -> tuple[datetime.date, datetime.date | None]:
    """(arrival, departure) for a stay of the given kind, starting in this semester."""
    this_start, _this_end, _intensive = _dates(semesters["this"])
    arrival = this_start - datetime.timedelta(days=10)
    if kind == "open":
        return arrival, None
    if kind == "semester":
        next_start, next_end, _ = _dates(semesters["next"])
        # One-semester exchange students of next semester arrive then.
        return next_start - datetime.timedelta(days=10), next_end + datetime.timedelta(days=10)
    return arrival, arrival + datetime.timedelta(days=300)


def _seed_students(
    courses: dict[tuple[Slot, str], NorwegianCoursePage],
    semesters: dict[Slot, Semester],
    units: dict[str, UnitPage],
) -> None:
    user_model = get_user_model()
    for index, spec in enumerate(STUDENTS):
        email = student_email(spec["first_name"], spec["last_name"])
        user, created = user_model.objects.get_or_create(email=email)
        if created:
            user.first_name, user.last_name = spec["first_name"], spec["last_name"]
            user.language = spec["language"]
            user.password = demo_password_hash()
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        arrival, departure = _stay(spec["stay"], semesters)
        profile_save(
            user=user,
            status=spec["status"],
            faculty=units.get(spec["faculty"]) if "faculty" in spec else None,
            arrival_date=arrival,
            departure_date=departure,
            norwegian_level=spec["level"],
            language=spec["language"],
        )
        if "placement" in spec and not PlacementResult.objects.filter(user=user).exists():
            placement_record(user=user, answers=_answers_for(spec["placement"]))
        if "plan" not in spec:
            continue
        _kind, slot, key = spec["plan"]
        course = courses[(slot, key)]
        if Enrolment.objects.filter(course=course, person=user).exists():
            continue
        # Applied early in the application window, in the order of the list.
        moment = course.application_opens_at + datetime.timedelta(hours=1, minutes=index)
        enrolment_create(course=course, user=user, now=moment)


def _seed_round(
    courses: dict[tuple[Slot, str], NorwegianCoursePage],
    semesters: dict[Slot, Semester],
    units: dict[str, UnitPage],
) -> None:
    """The round's applicants rank its courses the day before the application closed."""
    slot = DATA["round"]["semester"]
    user_model = get_user_model()
    for spec in DATA["round_students"]:
        email = student_email(spec["first_name"], spec["last_name"])
        user, created = user_model.objects.get_or_create(email=email)
        if created:
            user.first_name, user.last_name = spec["first_name"], spec["last_name"]
            user.language = spec["language"]
            user.password = demo_password_hash()
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        arrival, departure = _stay("year", semesters)
        profile_save(
            user=user,
            status=spec["status"],
            faculty=units.get(spec["faculty"]),
            arrival_date=arrival,
            departure_date=departure,
            norwegian_level="A1",
            language=spec["language"],
        )
        if not PlacementResult.objects.filter(user=user).exists():
            placement_record(user=user, answers=_answers_for("A1"))
        chosen = [courses[(slot, key)] for key in spec["choices"]]
        first = chosen[0]
        round = round_for_course(course=first)
        if round is not None and round.allocated_at is not None:
            continue  # Allocated already (a second seed keeps the result).
        round_apply(
            course=first,
            user=user,
            choices=[course.pk for course in chosen],
            now=first.application_closes_at - datetime.timedelta(days=1),
        )


def seed_courses() -> dict[tuple[Slot, str], NorwegianCoursePage]:
    """Create or refresh the catalogue, the courses and the demo students; returns the courses."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_courses()


def _seed_courses() -> dict[tuple[Slot, str], NorwegianCoursePage]:
    home = HomePage.objects.first()
    centre = UnitPage.objects.filter(kind=UnitKind.LANGUAGE_CENTRE).first()
    if home is None or centre is None:
        raise RuntimeError("Seed the site and the units (with the language centre) before courses.")
    now = timezone.now()
    this = Semester.current(timezone.localdate(now))
    semesters = {"this": this, "next": this.next()}
    index_page(NorwegianCourseCatalogPage, home, DATA["catalogue"], menu=True, by_slug=False)
    _hide_information_page(home)
    courses = {}
    for slot, semester in semesters.items():
        for spec in DATA["courses"]:
            courses[(slot, spec["key"])] = _course(centre, semester, slot, spec, now)
    units = demo_units()
    _seed_students(courses, semesters, units)
    _seed_round(courses, semesters, units)
    return courses
