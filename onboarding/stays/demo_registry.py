"""Demo stays abroad (``demo_registry.toml``): programme courses, outgoing students, their stays.

Runs after the exchange demo (partners, agreements, programmes and the demo
students) as the "Stays abroad" step of ``seed_demo``. Dates count from today,
so the same students are abroad whenever the demo is seeded; a stay that ended
more than ``STAY_RETENTION_DAYS`` days ago is seeded as retention leaves it.

Safe to run again, and a second run changes nothing: programme courses are
found by programme, semester and code; students by email; a stay by its
student and city (each student has one stay a city in the data); a row is
written only when a value differs. The rows are written directly (as staff
tools and retention would leave them), not through the student's services,
which refuse a stay that has already been erased.
"""

from __future__ import annotations

import datetime
import hashlib
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.demo_data import slug
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.exchange.models import Agreement, Programme, StudentProgramme
from onboarding.exchange.services import student_programme_set
from onboarding.units.kinds import UnitKind
from onboarding.units.selectors import unit_faculty

from .models import PlanBCourse, ProgrammeCourse, StayAbroad
from .selectors.registry import stay_semester

DATA_FILE = Path(__file__).with_name("demo_registry.toml")
ROMAN = ("", " II", " III", " IV", " V", " VI", " VII")
# The ECTS credits of a semester's courses (30 in all), by how many courses it has.
SEMESTER_ECTS = {
    4: ["7.5", "7.5", "7.5", "7.5"],
    5: ["7.5", "7.5", "5", "5", "5"],
    6: ["5", "5", "5", "5", "5", "5"],
}


@cache
def demo_data() -> dict[str, Any]:
    """The data file, read once per process."""
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def _number(*parts: object) -> int:
    """A stable number from ``parts`` (the same inputs give the same demo)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return int(digest[:12], 16)


def student_email(spec: dict[str, Any]) -> str:
    return f"{slug(spec['first'])}.{slug(spec['last'])}@velkommen.test".replace("-", "")


# --- Programme courses -------------------------------------------------------------------------


def course_plan(spec: dict[str, Any], semesters: int) -> list[dict[str, Any]]:
    """Each semester's 4 to 6 courses of one programme, taken in turn from its topics."""
    topics = spec["topics"]
    taken: dict[int, int] = {}
    plan = []
    cursor = 0
    for semester in range(1, semesters + 1):
        count = 4 + _number(spec["programme"], semester) % 3
        for index, ects in enumerate(SEMESTER_ECTS[count]):
            topic = cursor % len(topics)
            cursor += 1
            level = taken.get(topic, 0)
            taken[topic] = level + 1
            suffix = ROMAN[min(level, len(ROMAN) - 1)]
            nb, en = topics[topic]
            plan.append(
                {
                    "semester": semester,
                    "code": f"{spec['prefix']}{semester * 1000 + (index + 1) * 10}",
                    "title_nb": nb + suffix,
                    "title_en": en + suffix,
                    "ects": Decimal(ects),
                    "autumn": semester % 2 == 1,
                    "spring": semester % 2 == 0,
                }
            )
    return plan


def _save_changed(row: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``row`` and save it, only if one differs; returns whether it did."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed and row.pk is not None:
        return False
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return True


def seed_programme_courses() -> int:
    """Create or refresh the courses of every demo programme; returns how many there are."""
    programmes = {programme.code: programme for programme in Programme.objects.all()}
    existing = {
        (course.programme_id, course.semester, course.code): course
        for course in ProgrammeCourse.objects.all()
    }
    count = 0
    for spec in demo_data()["courses"]:
        programme = programmes.get(spec["programme"])
        if programme is None:
            continue
        for values in course_plan(spec, programme.semesters):
            key = (programme.pk, values["semester"], values["code"])
            course = existing.get(key) or ProgrammeCourse(
                programme=programme, semester=values["semester"], code=values["code"]
            )
            fields = {
                name: values[name] for name in ("title_nb", "title_en", "ects", "autumn", "spring")
            }
            _save_changed(course, fields)
            count += 1
    return count


# --- Students ----------------------------------------------------------------------------------


def _units_of(programme: Programme) -> tuple[Any, Any]:
    """The faculty and department a programme's student belongs to."""
    unit = programme.owner_unit
    if unit.kind == UnitKind.FACULTY:
        return unit, None
    return unit_faculty(unit), unit


def seed_extra_students() -> int:
    """Create the extra outgoing students (once; an existing account is left as it is)."""
    user_model = get_user_model()
    programmes = {programme.code: programme for programme in Programme.objects.all()}
    made = 0
    for spec in demo_data()["people"]["extra_students"]:
        programme = programmes.get(spec["programme"])
        if programme is None:
            continue
        email = student_email(spec)
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create(
                email=email,
                first_name=spec["first"],
                last_name=spec["last"],
                language=spec["language"],
                password=demo_password_hash(),
            )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            faculty, department = _units_of(programme)
            profile_save(
                user=user,
                status=StudentStatus.OUTGOING,
                faculty=faculty,
                department=department,
                home_country="NO",
                programme=programme.name_nb,
                norwegian_level="C2",
            )
            made += 1
        mine = StudentProgramme.objects.filter(user=user).first()
        if mine is None or (mine.programme_id, mine.semester) != (programme.pk, spec["semester"]):
            student_programme_set(user=user, programme=programme, semester=spec["semester"])
    return made


# --- Stays -------------------------------------------------------------------------------------


def _day(spec: dict[str, Any], key: str, fixed: str, today: datetime.date) -> datetime.date:
    if fixed in spec:
        value = spec[fixed]
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    return today + datetime.timedelta(days=spec[key])


def _phone(prefix: str, seed: int, digits: int) -> str:
    number = str(seed % 10**digits).zfill(digits)
    groups = [number[i : i + 3] for i in range(0, len(number), 3)]
    return f"{prefix}{' '.join(groups)}" if prefix.endswith(" ") else f"{prefix} {' '.join(groups)}"


def _contacts(user: Any, city: str, country: str) -> dict[str, str]:
    """The address, phone and contacts a student would give, made up from their email."""
    data = demo_data()
    seed = _number(user.email, city)
    language = "nb" if user.language == "nb" else "en"
    relations = data["people"]["relation"][language]
    parents = data["people"]["parents"]
    streets = data["street"].get(city, ["Main Street"])
    phone_prefix = data["phone"].get(country, "+00")
    values = {
        "local_address": f"{streets[seed % len(streets)]} {seed % 97 + 1}\n{city}",
        "local_phone": _phone(phone_prefix, seed // 7, 7),
        "emergency_name": f"{parents[seed % len(parents)]} {user.last_name}",
        "emergency_relation": relations[seed % len(relations)],
        "emergency_phone": _phone("+47 9", seed // 11, 7),
        "emergency_email": f"{slug(parents[seed % len(parents)])}.{slug(user.last_name)}@example.no",
        "second_name": "",
        "second_phone": "",
        "second_email": "",
    }
    return values


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _plan_b(stay: StayAbroad, user: Any, count: int, today: datetime.date) -> list[dict[str, Any]]:
    """The first ``count`` courses of the student's semester abroad, as plan-B courses."""
    if not count:
        return []
    mine = StudentProgramme.objects.select_related("programme").filter(user=user).first()
    if mine is None:
        return []
    semester = stay_semester(mine=mine, starts_on=stay.starts_on, today=today)
    courses = ProgrammeCourse.objects.filter(programme=mine.programme, semester=semester).order_by(
        "code"
    )[:count]
    return [
        {
            "course_id": course.pk,
            "code": course.code,
            "title": course.title_nb if user.language == "nb" else course.title_en,
            "ects": course.ects,
        }
        for course in courses
    ]


def _plan_b_sync(stay: StayAbroad, rows: list[dict[str, Any]]) -> None:
    have = [
        {"course_id": row.course_id, "code": row.code, "title": row.title, "ects": row.ects}
        for row in stay.plan_b_courses.order_by("sort_order", "pk")
    ]
    if have == rows:
        return
    stay.plan_b_courses.all().delete()
    PlanBCourse.objects.bulk_create(
        PlanBCourse(stay=stay, sort_order=index, **row) for index, row in enumerate(rows)
    )


def seed_stay_list(today: datetime.date | None = None) -> list[StayAbroad]:
    """Create or refresh every stay of the data file; returns them."""
    today = today or timezone.localdate()
    data = demo_data()
    agreements = {
        agreement.reference: agreement
        for agreement in Agreement.objects.select_related("institution")
    }
    users = {
        user.email: user
        for user in get_user_model().objects.filter(email__endswith="@velkommen.test")
    }
    cutoff = today - datetime.timedelta(days=settings.STAY_RETENTION_DAYS)
    stays = []
    for spec in data["registry"]["stays"]:
        user = users.get(spec["student"])
        agreement = agreements.get(spec.get("agreement", ""))
        if user is None or ("agreement" in spec and agreement is None):
            continue
        institution = agreement.institution if agreement is not None else None
        city = spec.get("city") or (institution.city if institution else "")
        country = spec.get("country") or (str(institution.country) if institution else "")
        starts_on = _day(spec, "start", "from", today)
        ends_on = _day(spec, "end", "to", today)
        erased = ends_on < cutoff
        values: dict[str, Any] = {
            "agreement": agreement,
            "host_name": spec.get("host", "") if agreement is None else "",
            "country": country,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "consented_at": _local(starts_on - datetime.timedelta(days=21), 20, 15),
            "erased_at": _local(
                ends_on + datetime.timedelta(days=settings.STAY_RETENTION_DAYS + 1), 3, 20
            )
            if erased
            else None,
        }
        contacts = _contacts(user, city, country)
        if spec.get("second"):
            seed = _number(user.email, "second")
            parents = data["people"]["parents"]
            name = parents[(seed + 3) % len(parents)]
            contacts.update(
                second_name=f"{name} {user.last_name}",
                second_phone=_phone("+47 4", seed // 13, 7),
                second_email=f"{slug(name)}.{slug(user.last_name)}@example.no",
            )
        values.update(dict.fromkeys(StayAbroad.PERSONAL_FIELDS, "") if erased else contacts)
        stay = StayAbroad.objects.filter(student=user, city=city).first() or StayAbroad(
            student=user, city=city
        )
        _save_changed(stay, values)
        _plan_b_sync(stay, _plan_b(stay, user, spec.get("plan_b", 0), today))
        stays.append(stay)
    return stays


def seed_stays() -> list[StayAbroad]:
    """Create or refresh the programme courses, the extra outgoing students and their stays."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        seed_programme_courses()
        seed_extra_students()
        return seed_stay_list()
