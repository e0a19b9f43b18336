"""Demo course-approval data (``demo.toml``): earlier decisions, promises, cases, a transcript.

Earlier decisions are made for every demo agreement from the topics of its
subject areas: the same inputs give the same decisions, found again by their
import key, so running the demo again adds nothing. Dates count back from
today, so some decisions have expired and the rest are current.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo_data import load
from onboarding.checklists.calendar import add_working_days
from onboarding.exchange.models import Agreement, IscedField
from onboarding.units.demo import demo_units

from .clock import TIME_ZONE, working_days_between
from .models import (
    APPROVING,
    CourseApproval,
    GradeConversion,
    GradeScale,
    LineDecision,
    PreApprovalCase,
    PrecedentSource,
)
from .selectors.cases import case_destinations_q
from .services.agreements import change_create, change_drop, learning_agreement_create
from .services.cases import (
    case_answer,
    case_ask,
    case_create,
    case_submit,
    cases_escalate,
    host_wait,
    line_add,
    line_decide,
    line_from_precedent,
)
from .services.precedents import precedent_create
from .services.queue import promise_set
from .services.recognition import transcript_line_add

DATA = load(__file__)
FIELDS: dict[str, dict[str, Any]] = {field["code"]: field for field in DATA["field"]}
# The ECTS credits of one semester's course at a partner, by how many a decision joins.
ECTS_ABROAD = (Decimal("7.5"), Decimal("6"), Decimal("5"), Decimal("10"))


def _number(*parts: object) -> int:
    """A stable number from ``parts`` (the same inputs give the same demo)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return int(digest[:12], 16)


def _code_prefix(schac: str) -> str:
    letters = re.sub(r"[^a-z]", "", schac.split(".")[0]).upper()
    return (letters or "X")[:3]


def _foreign_title(english: str, country: str) -> str:
    return DATA.get("foreign_titles", {}).get(country, {}).get(english, english)


def _foreign_course(agreement: Agreement, field: dict[str, Any], topic: int, ects: Decimal):
    english, _norwegian = field["topics"][topic]
    institution = agreement.institution
    level = "master" if agreement.level_master and not agreement.level_bachelor else "bachelor"
    number = 100 + _number(institution.schac_code, field["code"], topic) % 800
    return {
        "code": f"{_code_prefix(institution.schac_code)}{field['code'][-2:]}{number}",
        "title": _foreign_title(english, str(institution.country)),
        "ects": ects,
        "level": level,
        "url": institution.website,
        "taught": ("autumn", "spring", "both")[_number(institution.pk, topic) % 3],
    }


def _home_course(field: dict[str, Any], topic: int, ects: Decimal) -> dict[str, Any]:
    english, norwegian = field["topics"][topic]
    return {
        "kind": "course",
        "code": f"{field['prefix']}{2000 + topic * 10 + int(field['code'][-1])}",
        "title_nb": norwegian,
        "title_en": english,
        "ects": ects,
    }


def _decisions_for(agreement: Agreement, field: dict[str, Any], isced: IscedField):
    """The decisions for one agreement in one field: (key, values) pairs."""
    today = timezone.localdate()
    topics = len(field["topics"])
    count = 3 + _number(agreement.reference, field["code"]) % 3
    for index in range(count):
        seed = _number(agreement.reference, field["code"], index)
        topic = seed % topics
        times = 1 + seed % 4  # the same course approved again in later years
        style = seed % 7  # 0: a combination, 1: an elective, else one course for one
        for repeat in range(times):
            key = f"demo:{agreement.reference}:{field['code']}:{index}:{repeat}"
            days_ago = 60 + (_number(key) % 2400)
            decided_on = today - datetime.timedelta(days=days_ago)
            if style == 0:
                other = (topic + 1) % topics
                foreign = [
                    _foreign_course(agreement, field, topic, Decimal("5")),
                    _foreign_course(agreement, field, other, Decimal("5")),
                ]
                home = [_home_course(field, topic, Decimal("10"))]
            elif style == 1:
                foreign = [_foreign_course(agreement, field, topic, ECTS_ABROAD[seed % 4])]
                level = foreign[0]["level"]
                home = [
                    {
                        "kind": "elective",
                        "elective_level": level,
                        "elective_field": isced,
                        "ects": foreign[0]["ects"],
                    }
                ]
            else:
                ects = ECTS_ABROAD[seed % 4]
                foreign = [_foreign_course(agreement, field, topic, ects)]
                home = [_home_course(field, topic, Decimal("7.5") if ects < 10 else Decimal("10"))]
            yield (
                key,
                {
                    "institution": agreement.institution,
                    "decided_on": decided_on,
                    "foreign": foreign,
                    "home": home,
                    "isced": isced,
                },
            )


def seed_precedents() -> int:
    """Earlier decisions for every demo agreement; returns how many there are."""
    existing = set(
        CourseApproval.objects.filter(import_key__startswith="demo:").values_list(
            "import_key", flat=True
        )
    )
    agreements = (
        Agreement.objects.select_related("institution", "owner_unit")
        .prefetch_related("subject_areas")
        .order_by("reference")
    )
    with transaction.atomic():
        for agreement in agreements:
            for isced in agreement.subject_areas.all():
                field = FIELDS.get(isced.code)
                if field is None:
                    continue
                for key, values in _decisions_for(agreement, field, isced):
                    if key in existing:
                        continue
                    precedent_create(
                        deciding_unit=agreement.owner_unit,
                        source=PrecedentSource.IMPORT,
                        import_key=key,
                        **values,
                    )
    return CourseApproval.objects.filter(import_key__startswith="demo:").count()


def seed_promises() -> int:
    """The promised response times of the units in the data, set as section staff would."""
    units = demo_units()
    staff = get_user_model().objects.filter(email=DATA["promises_by"]).first()
    for key, (first, decision) in DATA["promises"].items():
        if key in units and staff is not None:
            promise_set(
                unit=units[key], user=staff, first_response_days=first, decision_days=decision
            )
    return len(DATA["promises"])


def seed_approvals() -> int:
    """The whole course-approval demo; returns the number of earlier decisions."""
    seed_promises()
    count = seed_precedents()
    seed_cases()
    return count


# --- Cases ---------------------------------------------------------------------------------

ADVISER_TEXTS = {
    "question": (
        "Kan du sende emnebeskrivelsen med pensum? Da ser jeg om den dekker vårt emne.",
        "Could you send the course description with the reading list? Then I can see whether "
        "it covers our course.",
    ),
    "answer": (
        "Her er lenken til emnebeskrivelsen med pensum.",
        "Here is the link to the course description with the reading list.",
    ),
    "host": (
        "Vi har spurt partneren om emnet undervises på engelsk neste år.",
        "We have asked the partner whether the course is taught in English next year.",
    ),
    "refused": (
        "Emnet overlapper for mye med et emne du allerede har tatt.",
        "The course overlaps too much with a course you have already taken.",
    ),
    "conditions": (
        "Godkjent hvis du også tar praksisdelen.",
        "Approved if you also take the placement part.",
    ),
    "needs_info": (
        "Jeg trenger timetallet for emnet.",
        "I need the number of teaching hours of the course.",
    ),
    "change": (
        "Emnet er avlyst dette semesteret, så jeg bytter det med et annet.",
        "The course has been cancelled this semester, so I am swapping it for another.",
    ),
}


def _text(key: str, user: Any) -> str:
    """A demo text in ``user``'s language."""
    nb, en = ADVISER_TEXTS[key]
    return nb if getattr(user, "language", "nb") == "nb" else en


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TIME_ZONE)


def _working_days_ago(count: int, *, hour: int = 10) -> datetime.datetime:
    return _at(add_working_days(timezone.localdate(), -count), hour)


# Working days a "soon due" case has waited when seeded: 84 % of the demo units' five days.
AMBER_USED = Decimal("4.2")


def _working_time_ago(days: Decimal) -> datetime.datetime:
    """The moment from which the response clock counts ``days`` working days until now."""
    now = timezone.now()
    earlier, later = now - datetime.timedelta(days=90), now
    for _halving in range(40):  # to well under a second
        middle = earlier + (later - earlier) / 2
        if working_days_between(middle, now) > days:
            earlier = middle
        else:
            later = middle
    return later


def _later(moment: datetime.datetime, days: int, hour: int = 13) -> datetime.datetime:
    return _at(add_working_days(moment.astimezone(TIME_ZONE).date(), days), hour)


def _next_semester(agreement: Agreement, after: datetime.date) -> tuple[int, str]:
    """The first semester the agreement offers that starts after ``after``."""
    for year in (after.year, after.year + 1, after.year + 2):
        for season, month in (("spring", 1), ("autumn", 8)):
            if getattr(agreement, season) and datetime.date(year, month, 1) > after:
                return year, season
    raise ValueError(f"{agreement.reference} offers no semester")


def _last_semester(agreement: Agreement, today: datetime.date) -> tuple[int, str]:
    """The last semester the agreement offers that has ended by ``today``."""
    for year in (today.year, today.year - 1, today.year - 2):
        for season, last in (
            ("autumn", datetime.date(year, 12, 31)),
            ("spring", datetime.date(year, 6, 30)),
        ):
            if getattr(agreement, season) and last < today:
                return year, season
    raise ValueError(f"{agreement.reference} offers no semester")


def _case_lines(case: PreApprovalCase, student: Any, count: int) -> None:
    """``count`` lines: earlier decisions at the partner, and the last one typed in by hand."""
    precedents = list(
        CourseApproval.objects.filter(
            institution=case.agreement.institution, valid_until__gte=timezone.localdate()
        ).order_by("decided_on", "pk")[: max(count - 1, 0) * 3 : 3]
    )
    for precedent in precedents[: count - 1]:
        line_from_precedent(case=case, user=student, precedent=precedent)
    field = FIELDS.get(case.programme.isced_id) if case.programme else None
    if field is None or len(precedents) >= count:
        return
    english, _norwegian = field["topics"][-1]
    foreign = _foreign_course(case.agreement, field, len(field["topics"]) - 1, Decimal("7.5"))
    foreign["code"] = f"{foreign['code']}N"
    foreign["title"] = _foreign_title(english, str(case.agreement.institution.country))
    line_add(
        case=case,
        user=student,
        foreign=[foreign],
        home=[
            {
                "kind": "elective",
                "elective_level": case.programme.level if case.programme else "bachelor",
                "elective_field": case.programme.isced if case.programme else None,
                "ects": Decimal("7.5"),
            }
        ],
    )


def _open_case(
    student: Any, agreement: Agreement, lines: int, *, created: datetime.datetime
) -> PreApprovalCase:
    year, season = _next_semester(agreement, created.date())
    case = case_create(student=student, agreement=agreement, year=year, season=season, now=created)
    _case_lines(case, student, lines)
    return case


def _decide_all(case: PreApprovalCase, adviser: Any, at: datetime.datetime, **special: str) -> None:
    """Decide every line (approved unless ``special`` maps its index to another decision)."""
    for index, line in enumerate(case.lines.order_by("sort_order", "pk")):
        decision = special.get(str(index), LineDecision.APPROVED)
        comment = _text(decision, adviser) if decision != LineDecision.APPROVED else ""
        line_decide(line=line, user=adviser, decision=decision, comment=comment, now=at)


def _play(spec: dict[str, Any], student: Any, agreement: Agreement, adviser: Any) -> None:
    """Walk one demo case to its step through the services, at dates in the past."""
    step = spec["step"]
    lines = spec.get("lines", 2)
    # "Soon due" must read amber whenever the demo is seeded, also just after midnight or at a
    # weekend, when whole working days back from today give less than 75 % of the promise.
    if step == "amber":
        submitted = _working_time_ago(AMBER_USED)
    else:
        submitted = _working_days_ago(
            {
                "draft": 1,
                "new": 1,
                "late": 9,
                "question": 6,
                "answered": 7,
                "host": 5,
                "partly": 3,
                "decided": 20,
                "refused": 15,
                "change": 30,
            }[step]
        )
    case = _open_case(student, agreement, lines, created=submitted - datetime.timedelta(hours=1))
    if step == "draft":
        return
    case_submit(case=case, user=student, now=submitted)
    case.refresh_from_db()
    ordered = list(case.lines.order_by("sort_order", "pk"))
    if step == "question":
        line_decide(
            line=ordered[0], user=adviser, decision=LineDecision.APPROVED, now=_later(submitted, 2)
        )
        line_decide(
            line=ordered[-1],
            user=adviser,
            decision=LineDecision.NEEDS_INFO,
            comment=_text("needs_info", adviser),
            now=_later(submitted, 2, 14),
        )
    elif step == "answered":
        case_ask(case=case, user=adviser, text=_text("question", adviser), now=_later(submitted, 2))
        case_answer(
            case=case, user=student, text=_text("answer", student), now=_later(submitted, 4)
        )
    elif step == "host":
        host_wait(case=case, user=adviser, text=_text("host", adviser), now=_later(submitted, 1))
    elif step == "partly":
        line_decide(
            line=ordered[0], user=adviser, decision=LineDecision.APPROVED, now=_later(submitted, 1)
        )
        line_decide(
            line=ordered[1],
            user=adviser,
            decision=LineDecision.CONDITIONS,
            comment=_text("conditions", adviser),
            now=_later(submitted, 1, 14),
        )
    elif step in ("decided", "change"):
        _decide_all(case, adviser, _later(submitted, 6))
        learning_agreement_create(case=case)
    elif step == "refused":
        _decide_all(case, adviser, _later(submitted, 8), **{str(lines - 1): LineDecision.REFUSED})
        learning_agreement_create(case=case)
    if step == "change":
        case.refresh_from_db()
        change = change_create(case=case, user=student, reason=_text("change", student))
        dropped = case.lines.order_by("sort_order", "pk").last()
        change_drop(change=change, user=student, line=dropped)
        _case_lines(change, student, 1)
        case_submit(case=change, user=student, now=_working_days_ago(2))


def _returned(spec: dict[str, Any], adviser: Any, users: Any, agreements: Any) -> None:
    student = users.get(email=spec["student"])
    agreement = agreements[spec["agreement"]]
    today = timezone.localdate()
    year, season = _last_semester(agreement, today)
    first_day = datetime.date(year, 1 if season == "spring" else 8, 1)
    created = _at(add_working_days(first_day - datetime.timedelta(days=120), 0))
    case = case_create(student=student, agreement=agreement, year=year, season=season, now=created)
    _case_lines(case, student, spec["lines"])
    case_submit(case=case, user=student, now=created + datetime.timedelta(hours=1))
    _decide_all(case, adviser, _later(created, 5))
    case.refresh_from_db()
    learning_agreement_create(case=case)
    courses = [
        course
        for line in case.lines.filter(decision__in=APPROVING).order_by("sort_order", "pk")
        for course in line.foreign_courses.all()
    ]
    taken = courses[: len(courses) - spec["missing"]]
    for index, course in enumerate(taken):
        grade = spec["grades"][index % len(spec["grades"])]
        transcript_line_add(
            case=case,
            user=adviser,
            code=course.code,
            title=course.title,
            grade=grade,
            ects=course.ects,
        )
    extra = spec["extra"]
    transcript_line_add(
        case=case,
        user=adviser,
        code=extra["code"],
        title=extra["title"],
        grade=extra["grade"],
        ects=Decimal(extra["ects"]),
    )


def _history(units: dict[str, Any], advisers: dict[str, Any], users: Any) -> None:
    """Decided cases over the last twelve months, for the response-time figures."""
    spec = DATA["history"]
    times = spec["times"]
    today = timezone.localdate()
    students_by_unit: dict[str, list[Any]] = {}
    for key in spec["cases"]:
        students_by_unit[key] = list(
            users.filter(exchange_programme__programme__owner_unit=units[key]).order_by("email")
        )
    number = 0
    for key, count in spec["cases"].items():
        students = students_by_unit[key]
        if not students:
            continue
        for index in range(count):
            student = students[index % len(students)]
            programme = student.exchange_programme.programme
            agreement = (
                Agreement.objects.filter(case_destinations_q(programme))
                .order_by("reference")[index % 3 : index % 3 + 1]
                .first()
            ) or Agreement.objects.filter(case_destinations_q(programme)).order_by(
                "reference"
            ).first()
            if agreement is None:
                continue
            first, decided = times[number % len(times)]
            number += 1
            submitted = _at(
                add_working_days(today - datetime.timedelta(days=25 + index * 19), 0), 9
            )
            case = _open_case(
                student, agreement, 2, created=submitted - datetime.timedelta(hours=1)
            )
            case_submit(case=case, user=student, now=submitted)
            adviser = advisers[key]
            ordered = list(case.lines.order_by("sort_order", "pk"))
            line_decide(
                line=ordered[0],
                user=adviser,
                decision=LineDecision.APPROVED,
                now=_later(submitted, first),
            )
            for line in ordered[1:]:
                line_decide(
                    line=line,
                    user=adviser,
                    decision=LineDecision.APPROVED,
                    now=_later(submitted, decided),
                )
            learning_agreement_create(case=case)


def _grade_scales() -> None:
    for spec in DATA["grade_scale"]:
        scale, _created = GradeScale.objects.get_or_create(
            institution=None, country=spec["country"]
        )
        scale.rows.all().delete()
        GradeConversion.objects.bulk_create(
            GradeConversion(scale=scale, foreign_grade=theirs, home_grade=ours, sort_order=order)
            for order, (theirs, ours) in enumerate(spec["rows"])
        )


def seed_cases() -> int:
    """Cases at every step, a returned student's transcript and a year of decided cases.

    Made once: a database that has demo cases keeps them (their dates are recorded
    history, and the steps are what the clocks are read from).
    """
    user_model = get_user_model()
    if PreApprovalCase.objects.exists():
        return PreApprovalCase.objects.count()
    units = demo_units()
    users = user_model.objects.all()
    advisers = {key: users.get(email=email) for key, email in DATA["advisers"].items()}
    agreements = {a.reference: a for a in Agreement.objects.select_related("institution")}
    with transaction.atomic():
        _grade_scales()
        _history(units, advisers, users)
        for spec in DATA["case"]:
            student = users.get(email=spec["student"])
            agreement = agreements[spec["agreement"]]
            unit_key = next(
                (
                    key
                    for key, unit in units.items()
                    if unit.pk == student.exchange_programme.programme.owner_unit_id
                ),
                "ism",
            )
            _play(spec, student, agreement, advisers.get(unit_key, advisers["ism"]))
        _returned(DATA["returned"], advisers["ism"], users, agreements)
        cases_escalate()
    return PreApprovalCase.objects.count()
