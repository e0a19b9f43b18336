"""Reads of the courses app: the catalogue, a student's standing, suggestions and coverage.

Every list here loads what it shows in a fixed number of queries, however
many courses or students there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from onboarding.accounts.models import ARRIVING_STATUSES, NorwegianLevel, StudentProfile
from onboarding.accounts.profile_selectors import profile_get
from onboarding.bookings.models import ACTIVE_STATUSES, BookingStatus
from onboarding.bookings.selectors import (
    HolderPeople,
    Places,
    holders_with_people,
    places_for,
    places_get,
    waitlist_position,
    waitlist_positions,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from .levels import COURSE_LEVELS, highest
from .models import (
    AllocationRound,
    CourseCancellation,
    CourseFormat,
    CourseResult,
    Enrolment,
    NorwegianCourseCatalogPage,
    NorwegianCoursePage,
    PlacementResult,
    RoundApplication,
)
from .rules import Refusal, course_refusal, eligibility_refusal, prerequisite_refusal
from .semesters import Semester, Term, offer_semesters

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# International students, for the coverage report: those who come here from abroad.
INTERNATIONAL_STATUSES = tuple(ARRIVING_STATUSES)


# --- Courses --------------------------------------------------------------------------------


def _public_courses() -> QuerySet[NorwegianCoursePage]:
    return NorwegianCoursePage.objects.live().public()


def _going_ahead(today: date) -> QuerySet[NorwegianCoursePage]:
    """Live, public courses that have not ended and are not cancelled."""
    return _public_courses().filter(ends_on__gte=today, cancellation__isnull=True)


def _term_order() -> Case:
    return Case(
        When(term=Term.SPRING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def _in_semesters(semesters: Iterable[Semester]) -> Q:
    condition = Q(pk__in=[])
    for semester in semesters:
        condition |= Q(year=semester.year, term=semester.term)
    return condition


def course_get(*, course_id: int) -> NorwegianCoursePage | None:
    """The live, public course with this id, or None."""
    return _public_courses().filter(pk=course_id).first()


def course_get_any(*, course_id: int) -> NorwegianCoursePage | None:
    """The course with this id, published or not, or None (for its editors)."""
    return NorwegianCoursePage.objects.filter(pk=course_id).first()


def catalogue_get() -> NorwegianCourseCatalogPage | None:
    """The live course catalogue page, or None."""
    return NorwegianCourseCatalogPage.objects.live().public().first()


@dataclass(frozen=True)
class CourseFilters:
    """What the catalogue is narrowed to; empty values do not narrow."""

    level: str = ""
    course_format: str = ""
    semester: Semester | None = None


def _application_order(now: datetime) -> Case:
    """0 while a course's application is open, 1 before it opens, 2 after it has closed."""
    return Case(
        When(application_opens_at__gt=now, then=Value(1)),
        When(application_closes_at__lte=now, then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )


def application_rank(course: NorwegianCoursePage, now: datetime | None) -> int:
    """What :func:`_application_order` gives, for a course in memory."""
    return {"open": 0, "not_open": 1}.get(course.application_state(now), 2)


def course_list(
    *,
    filters: CourseFilters | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> QuerySet[NorwegianCoursePage]:
    """Live courses that have not ended and are not cancelled, open ones first.

    Courses open for application come first, then those still to open, then
    those whose application has closed; within each, by semester, level and
    format. ``filters.level`` keeps the courses that teach that level (from
    it up to it), ``course_format`` one format, ``semester`` one semester.
    Pass the result to :func:`course_rows` for places and the person's
    standing.
    """
    filters = filters or CourseFilters()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    courses = _going_ahead(today)
    if filters.level in COURSE_LEVELS:
        # Level codes sort in CEFR order (A1 < A2 < B1 < B2 < C1).
        courses = courses.filter(level_from__lte=filters.level, level_to__gte=filters.level)
    if filters.course_format in CourseFormat.values:
        courses = courses.filter(course_format=filters.course_format)
    if filters.semester is not None:
        courses = courses.filter(year=filters.semester.year, term=filters.semester.term)
    return courses.annotate(
        application_order=_application_order(now), term_order=_term_order()
    ).order_by(
        "application_order", "year", "term_order", "level_from", "level_to", "course_format", "path"
    )


def catalogue_semesters(*, today: date | None = None) -> list[Semester]:
    """The semesters that have live courses not yet ended nor cancelled, in time order."""
    today = today or timezone.localdate()
    pairs = _going_ahead(today).values_list("year", "term").distinct()
    return sorted({Semester.of(year, term) for year, term in pairs})


def offer_courses(*, today: date | None = None) -> QuerySet[NorwegianCoursePage]:
    """Live courses of this semester and the next, not cancelled: the ones that count as an offer."""
    return _public_courses().filter(
        _in_semesters(offer_semesters(today)), cancellation__isnull=True
    )


def course_cancellation(*, course: NorwegianCoursePage) -> CourseCancellation | None:
    """The course's :class:`CourseCancellation`, or None while it goes ahead."""
    return CourseCancellation.objects.filter(course_id=course.pk).first()


def courses_with_people(
    *,
    page: Page,
    include_descendants: bool = True,
    live_only: bool = False,
    today: date | None = None,
) -> list[HolderPeople]:
    """Courses at or under ``page`` that still have people to tell, soonest first.

    These are the courses that have not ended, are not cancelled, and have
    someone with a place or on the waitlist; each carries ``people``, how
    many. Hiding or deleting one of them would leave those people with a
    place on nothing, so the admin asks for the course to be cancelled (which
    tells them) first.
    """
    today = today or timezone.localdate()
    return holders_with_people(
        booking_model=Enrolment,
        holders=NorwegianCoursePage.objects.filter(
            ends_on__gte=today, cancellation__isnull=True
        ).order_by("starts_on", "pk"),
        page=page,
        include_descendants=include_descendants,
        live_only=live_only,
    )


def course_places(*, course: NorwegianCoursePage) -> Places:
    """The :class:`~onboarding.bookings.selectors.Places` of one course."""
    return places_get(booking_model=Enrolment, holder=course)


def _language_centres(courses: Iterable[NorwegianCoursePage]) -> dict[str, UnitPage]:
    parents = {course.path[: -Page.steplen] for course in courses}
    return {
        unit.path: unit
        for unit in UnitPage.objects.filter(path__in=parents, kind=UnitKind.LANGUAGE_CENTRE)
    }


# --- A student's standing -------------------------------------------------------------------


@dataclass
class Student:
    """What the rules need to know about a person: profile, placement and passed courses."""

    user: Any = None
    profile: StudentProfile | None = None
    placement: PlacementResult | None = None
    passed_level: str | None = None

    @property
    def placement_level(self) -> str | None:
        return self.placement.level if self.placement else None

    @property
    def level(self) -> str:
        """The student's Norwegian now: the highest of profile, placement and passed courses."""
        profile_level = self.profile.norwegian_level if self.profile else None
        return (
            highest(profile_level, self.placement_level, self.passed_level) or NorwegianLevel.NONE
        )

    def refusal(self, course: NorwegianCoursePage) -> Refusal | None:
        """Why this student may not take ``course`` (see ``rules.course_refusal``), or None."""
        return course_refusal(
            course=course,
            profile=self.profile,
            placement_level=self.placement_level,
            passed_level=self.passed_level,
        )


def placement_latest(*, user: Any) -> PlacementResult | None:
    """The person's most recent placement result, or None."""
    if user is None or not user.is_authenticated:
        return None
    return PlacementResult.objects.filter(user=user).order_by("-taken_at", "-pk").first()


def passed_level(*, user: Any) -> str | None:
    """The highest level reached by a course the person passed, or None."""
    if user is None or not user.is_authenticated:
        return None
    levels = Enrolment.objects.filter(person=user, result=CourseResult.PASSED).values_list(
        "course__level_to", flat=True
    )
    return highest(*levels)


def student_get(*, user: Any) -> Student:
    """The :class:`Student` standing of ``user`` (three queries; anonymous: an empty one)."""
    if user is None or not user.is_authenticated:
        return Student()
    return Student(
        user=user,
        profile=profile_get(user=user),
        placement=placement_latest(user=user),
        passed_level=passed_level(user=user),
    )


def enrolment_for(*, course: NorwegianCoursePage, user: Any) -> Enrolment | None:
    """The person's enrolment on the course (any status), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(course=course, person=user).first()


def parallel_enrolment(*, course: NorwegianCoursePage, user: Any) -> Enrolment | None:
    """The person's active enrolment on another course of ``course``'s level and semester.

    A student holds at most one place (or waitlist place) per level and
    semester: courses starting at the same level in the same semester run in
    parallel and teach the same. None when they hold none (or for anonymous people).
    """
    if user is None or not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(
            person=user,
            status__in=ACTIVE_STATUSES,
            course__year=course.year,
            course__term=course.term,
            course__level_from=course.level_from,
        )
        .exclude(course_id=course.pk)
        .select_related("course")
        .order_by("pk")
        .first()
    )


# --- Application rounds ---------------------------------------------------------------------


def round_courses(*, year: int, term: str, level: str) -> list[NorwegianCoursePage]:
    """The live, not cancelled courses of a round: one level and semester, places by round."""
    return list(
        NorwegianCoursePage.objects.live()
        .filter(year=year, term=term, level_from=level, allocated_in_round=True)
        .exclude(pk__in=CourseCancellation.objects.values("course_id"))
        .order_by("starts_on", "pk")
    )


def round_for_course(*, course: NorwegianCoursePage) -> AllocationRound | None:
    """The round ``course`` belongs to, once there is one (the first application makes it)."""
    if not course.allocated_in_round:
        return None
    return AllocationRound.objects.filter(
        year=course.year, term=course.term, level=course.level_from
    ).first()


def round_application_for(*, round: AllocationRound | None, user: Any) -> RoundApplication | None:
    if round is None or user is None or not user.is_authenticated:
        return None
    return RoundApplication.objects.filter(round=round, person=user).first()


def round_may_manage(*, round: AllocationRound, user: Any) -> bool:
    """Whether ``user`` may allocate the round: they may manage each of its courses."""
    return _round_of_may_manage(year=round.year, term=round.term, level=round.level, user=user)


def course_round_may_manage(*, course: NorwegianCoursePage, user: Any) -> bool:
    """Whether ``user`` may allocate the round of ``course``, before the round exists."""
    return _round_of_may_manage(
        year=course.year, term=course.term, level=course.level_from, user=user
    )


def _round_of_may_manage(*, year: int, term: str, level: str, user: Any) -> bool:
    courses = round_courses(year=year, term=term, level=level)
    return bool(courses) and all(course_may_manage(course=c, user=user) for c in courses)


def rounds_managed(*, user: Any) -> list[AllocationRound]:
    """The rounds ``user`` may allocate, newest semester first."""
    rounds = AllocationRound.objects.order_by("-year", "-term", "level")
    return [r for r in rounds if round_may_manage(round=r, user=user)]


@dataclass
class RoundApplicationRow:
    application: RoundApplication
    choices: list[NorwegianCoursePage]


def round_applications(*, round: AllocationRound) -> list[RoundApplicationRow]:
    """The round's applications (priority order once allocated), with their chosen courses."""
    applications = list(
        round.applications.select_related("person", "person__student_profile", "course").order_by(
            F("priority").asc(nulls_last=True), "applied_at", "pk"
        )
    )
    ids = {course_id for a in applications for course_id in a.choices}
    courses = NorwegianCoursePage.objects.in_bulk(ids)
    return [
        RoundApplicationRow(a, [courses[c] for c in a.choices if c in courses])
        for a in applications
    ]


@dataclass
class RoundPreviewRow:
    priority: int
    application: RoundApplication
    choices: list[NorwegianCoursePage]
    course: NorwegianCoursePage | None
    rank: int | None


def round_preview_rows(plan: Any) -> list[RoundPreviewRow]:
    """The rows of an allocation worked out (``services.RoundPlan``), in priority order."""
    rows = []
    for priority, application in enumerate(plan.order, start=1):
        course_id = plan.placed.get(application.pk)
        rows.append(
            RoundPreviewRow(
                priority=priority,
                application=application,
                choices=[plan.courses[c] for c in application.choices if c in plan.courses],
                course=plan.courses.get(course_id) if course_id else None,
                rank=plan.ranks.get(application.pk),
            )
        )
    return rows


def enrolment_position(*, enrolment: Enrolment | None) -> int | None:
    """The place of a waitlisted enrolment in the queue (1 is next), or None."""
    return waitlist_position(booking=enrolment) if enrolment is not None else None


@dataclass(frozen=True)
class EnrolmentRow:
    """An active enrolment and its place on the waitlist (None with a place)."""

    enrolment: Enrolment
    position: int | None = None


def enrolments_of(*, user: Any, today: date | None = None) -> list[EnrolmentRow]:
    """The person's active enrolments on courses not yet ended, soonest first, with positions."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            person=user, status__in=ACTIVE_STATUSES, course__ends_on__gte=today
        )
        .select_related("course")
        .order_by("course__starts_on", "course_id")
    )
    positions = waitlist_positions(booking_model=Enrolment, bookings=enrolments)
    return [EnrolmentRow(enrolment=e, position=positions.get(e.pk)) for e in enrolments]


@dataclass(frozen=True)
class CourseFit:
    """How a course fits a student's level.

    ``at_my_level``: it teaches the level after theirs; ``refusal``: why it is
    not for them now (see :func:`course_fit_refusal`; None when it is, or when
    it is not at their level).
    """

    at_my_level: bool
    refusal: Refusal | None = None

    @property
    def fits_me(self) -> bool:
        """At their level and nothing in the way: the "Fits your level" marker and the suggestions."""
        return self.at_my_level and self.refusal is None


@dataclass(frozen=True)
class CourseRow:
    """A course in a list, with what the list shows of it.

    ``unit`` is the language centre, ``places`` how full it is,
    ``my_enrolment`` and ``my_position`` the person's active enrolment and its
    place on the waitlist, ``refusal`` why the person may not take it (None
    for anonymous people), ``fit`` how it fits their level (None until judged,
    see :func:`courses_fit`) and ``application_text`` the sentence about its
    application ("" until worded).
    """

    course: NorwegianCoursePage
    unit: UnitPage | None
    places: Places
    my_enrolment: Enrolment | None = None
    my_position: int | None = None
    refusal: Refusal | None = None
    fit: CourseFit | None = None
    application_text: str = ""


def course_rows(
    courses: Iterable[NorwegianCoursePage],
    *,
    user: User | AnonymousUser | None = None,
    student: Student | None = None,
) -> list[CourseRow]:
    """A :class:`CourseRow` for each course, in a fixed number of queries, in the courses' order.

    Only active enrolments count as the person's own.
    """
    courses = list(courses)
    if not courses:
        return []
    units = _language_centres(courses)
    places = places_for(booking_model=Enrolment, holders=courses)
    mine: dict[int, tuple[Enrolment | None, int | None]] = {}
    if user is not None and user.is_authenticated:
        enrolments = list(
            Enrolment.objects.filter(
                person=user, course_id__in=[c.pk for c in courses], status__in=ACTIVE_STATUSES
            )
        )
        positions = waitlist_positions(booking_model=Enrolment, bookings=enrolments)
        mine = {e.course_id: (e, positions.get(e.pk)) for e in enrolments}
        if student is None:
            student = student_get(user=user)
    rows = []
    for course in courses:
        my_enrolment, my_position = mine.get(course.pk, (None, None))
        rows.append(
            CourseRow(
                course=course,
                unit=units.get(course.path[: -Page.steplen]),
                places=places[course.pk],
                my_enrolment=my_enrolment,
                my_position=my_position,
                refusal=student.refusal(course) if student is not None and student.user else None,
            )
        )
    return rows


# --- Suggestions ----------------------------------------------------------------------------


def _suggestion_order(course: NorwegianCoursePage, now: datetime | None) -> tuple[Any, ...]:
    return (
        application_rank(course, now),
        course.application_opens_at,
        course.starts_on,
        course.path,
    )


def course_fit_refusal(
    *,
    course: NorwegianCoursePage,
    places: Places | None = None,
    student: Student,
    level: str | None = None,
    now: datetime | None = None,
) -> Refusal | None:
    """Why ``course``, which teaches the level after ``level``, is not for ``student`` now; or None.

    The one answer the placement result, the suggestions and the catalogue's
    "Fits your level" marker share, so that they cannot disagree. In order:
    the student's status and length of stay (for a person with a profile;
    without one the pages ask for it instead), an application that has
    closed, a full course without a waitlist, and the prerequisite (met by a
    placement result or a passed course). ``level`` is the student's by
    default; a placement result not stored counts as the student's own.
    ``places`` are the course's (see :func:`course_rows`); without them a
    full course is not refused for being full.

    The refusal codes: those of ``rules.eligibility_refusal`` but
    ``no_profile``, then ``application_closed``, ``full`` and
    ``prerequisite_missing``.
    """
    now = now or timezone.now()
    if student.profile is not None:
        refusal = eligibility_refusal(course=course, profile=student.profile)
        if refusal is not None:
            return refusal
    if course.application_state(now) == "closed":
        return Refusal("application_closed", _("The application for this course has closed."))
    if places is not None and places.is_full and not course.waitlist_enabled:
        return Refusal("full", _("All places on this course are taken, and it has no waitlist."))
    placement_level = student.placement_level
    if student.user is None:
        # An anonymous person's result is not stored: it is the level shown.
        placement_level = highest(placement_level, level)
    return prerequisite_refusal(
        course=course, placement_level=placement_level, passed_level=student.passed_level
    )


def courses_fit(
    rows: Iterable[CourseRow],
    *,
    student: Student,
    level: str | None = None,
    now: datetime | None = None,
) -> list[CourseRow]:
    """The rows, each with its :class:`CourseFit` for ``student`` at ``level`` (theirs by default)."""
    now = now or timezone.now()
    level = level or student.level
    fitted = []
    for row in rows:
        at_my_level = row.course.fits_level(level)
        refusal = (
            course_fit_refusal(
                course=row.course, places=row.places, student=student, level=level, now=now
            )
            if at_my_level
            else None
        )
        fitted.append(replace(row, fit=CourseFit(at_my_level=at_my_level, refusal=refusal)))
    return fitted


def fitting_courses(
    *, rows: Iterable[CourseRow], level: str, now: datetime | None = None
) -> list[CourseRow]:
    """The rows among ``rows`` whose course teaches the level after ``level``, open or opening first.

    Courses whose application has closed, and full ones without a waitlist,
    are left out.
    """
    now = now or timezone.now()
    fitting = []
    for row in rows:
        course = row.course
        if not course.fits_level(level) or course.application_state(now) == "closed":
            continue
        if row.places.is_full and not course.waitlist_enabled:
            continue
        fitting.append(row)
    return sorted(fitting, key=lambda row: _suggestion_order(row.course, now))


def placement_courses(
    *, student: Student, level: str | None = None, now: datetime | None = None
) -> tuple[list[CourseRow], list[CourseRow]]:
    """This and next semester's courses at ``level``'s next level: (suggested, not for the student).

    Both lists are rows from :func:`courses_fit`, open courses first; the
    ``fit`` of each row in the second holds the reason it is not suggested.
    Courses that have ended are left out of both.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = course_rows(
        offer_courses(today=today).filter(ends_on__gte=today), user=student.user, student=student
    )
    rows = sorted(
        courses_fit(rows, student=student, level=level, now=now),
        key=lambda row: _suggestion_order(row.course, now),
    )
    suggested = [row for row in rows if row.fit is not None and row.fit.fits_me]
    refused = [row for row in rows if row.fit is not None and row.fit.refusal is not None]
    return suggested, refused


def suggested_courses(
    *,
    student: Student,
    level: str | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[CourseRow]:
    """This and next semester's courses that fit ``level`` (the student's by default), best first.

    A course fits when it teaches the next level and nothing in
    :func:`course_fit_refusal` stands in the way. Each is a :class:`CourseRow`
    with its places and the person's standing.
    """
    suggested, _refused = placement_courses(student=student, level=level, now=now)
    return suggested[:limit] if limit else suggested


@dataclass
class Standing:
    """Where a student stands on this and next semester's courses.

    ``state`` is ``enrolled`` (``enrolment`` holds a place), ``waitlisted``
    (``enrolment`` is on a waitlist, ``position`` its place) or ``nothing``
    (``course`` is the one that fits best, or None when none does).
    ``unit`` is the language centre of ``course``.
    """

    state: str
    course: NorwegianCoursePage | None = None
    enrolment: Enrolment | None = None
    position: int | None = None
    alternatives: list[CourseRow] = field(default_factory=list)
    unit: UnitPage | None = None


def student_standing(*, student: Student, now: datetime | None = None) -> Standing:
    """The student's :class:`Standing`: their place, their waitlist place, or the course to take."""
    now = now or timezone.now()
    if student.user is not None:
        active = list(
            Enrolment.objects.filter(
                person=student.user,
                status__in=ACTIVE_STATUSES,
                course__in=offer_courses(today=timezone.localdate(now)),
            )
            .select_related("course")
            .order_by("course__starts_on", "sequence")
        )
        confirmed = [e for e in active if e.status == BookingStatus.CONFIRMED]
        if confirmed:
            course = confirmed[0].course
            return Standing(
                state="enrolled", course=course, enrolment=confirmed[0], unit=course.unit
            )
        if active:
            course = active[0].course
            position = waitlist_position(booking=active[0])
            return Standing(
                state="waitlisted",
                course=course,
                enrolment=active[0],
                position=position,
                unit=course.unit,
            )
    fitting = suggested_courses(student=student, now=now)
    if not fitting:
        return Standing(state="nothing")
    return Standing(
        state="nothing", course=fitting[0].course, alternatives=fitting[1:], unit=fitting[0].unit
    )


# --- Editors --------------------------------------------------------------------------------


def course_may_manage(*, course: NorwegianCoursePage, user: Any) -> bool:
    """Whether ``user`` may see the participants and record results: the course's editors."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return course.permissions_for_user(user).can_edit()


def participants(*, course: NorwegianCoursePage) -> list[EnrolmentRow]:
    """The active enrolments of a course: places by name, then the waitlist in arrival order,
    each with its ``position`` on the waitlist (None with a place).
    """
    rows = list(
        Enrolment.objects.filter(course=course, status__in=ACTIVE_STATUSES).select_related("person")
    )
    places = sorted(
        (row for row in rows if row.status == BookingStatus.CONFIRMED),
        key=lambda r: (r.person.last_name, r.person.first_name, r.person.email),
    )
    queue = sorted(
        (row for row in rows if row.status != BookingStatus.CONFIRMED), key=lambda r: r.sequence
    )
    return [EnrolmentRow(enrolment=row) for row in places] + [
        EnrolmentRow(enrolment=row, position=index) for index, row in enumerate(queue, start=1)
    ]


# --- Coverage -------------------------------------------------------------------------------


def may_view_coverage(*, user: Any) -> bool:
    """Whether ``user`` may see the coverage report: the International Section's staff."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("courses.view_coverage_report")
    )


def coverage_students(
    *, today: date | None = None, faculty_id: int | None = None, status: str | None = None
) -> QuerySet[StudentProfile]:
    """The current international students, each marked with what they have been offered.

    *International students* are active people whose profile status is
    incoming exchange, international degree or PhD, and who have not left
    (no departure date, or one today or later; those still to arrive count).

    Each profile carries ``has_place`` (a confirmed enrolment on a live course
    of this semester or the next) and ``on_waitlist`` (a waitlisted one).
    A student is *offered nothing* when they have neither: no place and no
    waitlist place on any live course of this semester or the next.
    Cancelled enrolments and courses of other semesters do not count.

    ``faculty_id`` narrows to one faculty (0 for students who gave none) and
    ``status`` to one status.
    """
    today = today or timezone.localdate()
    offered = Enrolment.objects.filter(
        person=OuterRef("user_id"), course__in=offer_courses(today=today).values("pk")
    )
    students = StudentProfile.objects.filter(
        status__in=INTERNATIONAL_STATUSES, user__is_active=True
    ).filter(Q(departure_date__isnull=True) | Q(departure_date__gte=today))
    if faculty_id == 0:
        students = students.filter(faculty__isnull=True)
    elif faculty_id:
        students = students.filter(faculty_id=faculty_id)
    if status:
        students = students.filter(status=status)
    return students.annotate(
        has_place=Exists(offered.filter(status=BookingStatus.CONFIRMED)),
        on_waitlist=Exists(offered.filter(status=BookingStatus.WAITLISTED)),
    )


@dataclass
class CoverageCell:
    enrolled: int = 0
    waitlisted: int = 0
    nothing: int = 0

    @property
    def total(self) -> int:
        return self.enrolled + self.waitlisted + self.nothing

    def add(self, other: CoverageCell) -> None:
        self.enrolled += other.enrolled
        self.waitlisted += other.waitlisted
        self.nothing += other.nothing


@dataclass
class CoverageGroup:
    """One faculty (None: no faculty given): a cell per status and their sum."""

    faculty: UnitPage | None
    cells: list = field(default_factory=list)  # [(status value, label, CoverageCell)]
    total: CoverageCell = field(default_factory=CoverageCell)

    @property
    def key(self) -> int:
        return self.faculty.pk if self.faculty is not None else 0


@dataclass
class Coverage:
    groups: list
    by_status: list  # [(status value, label, CoverageCell)]
    total: CoverageCell
    semesters: list


def coverage_report(
    *, today: date | None = None, faculty_id: int | None = None, status: str | None = None
) -> Coverage:
    """How many international students are enrolled, waitlisted or offered nothing.

    One :class:`CoverageGroup` per live faculty (in tree order, with zeros),
    and one for students who gave no faculty when there are any; in each, a
    cell per international status. Counts follow :func:`coverage_students`.
    Two queries, whatever the number of students.
    """
    from onboarding.accounts.models import StudentStatus

    today = today or timezone.localdate()
    statuses = [s for s in INTERNATIONAL_STATUSES if not status or s == status]
    rows = (
        coverage_students(today=today, faculty_id=faculty_id, status=status)
        .order_by()
        .values("faculty_id", "status")
        .annotate(
            enrolled=Count("pk", filter=Q(has_place=True)),
            waitlisted=Count("pk", filter=Q(has_place=False, on_waitlist=True)),
            nothing=Count("pk", filter=Q(has_place=False, on_waitlist=False)),
        )
    )
    counts = {
        (row["faculty_id"] or 0, row["status"]): CoverageCell(
            row["enrolled"], row["waitlisted"], row["nothing"]
        )
        for row in rows
    }
    faculties = list(UnitPage.objects.live().filter(kind=UnitKind.FACULTY).order_by("path"))
    if faculty_id:
        faculties = [f for f in faculties if f.pk == faculty_id]
    elif faculty_id == 0:
        faculties = []
    groups = [CoverageGroup(faculty=f) for f in faculties]
    known = {f.pk for f in faculties}
    if any(key == 0 or key not in known for key, _status in counts):
        groups.append(CoverageGroup(faculty=None))
    labels = dict(StudentStatus.choices)
    by_status = {s: CoverageCell() for s in statuses}
    total = CoverageCell()
    for group in groups:
        for code in statuses:
            if group.faculty is None:
                cell = CoverageCell()
                for (key, row_status), found in counts.items():
                    if row_status == code and (key == 0 or key not in known):
                        cell.add(found)
            else:
                cell = counts.get((group.faculty.pk, code), CoverageCell())
            group.cells.append((code, labels[code], cell))
            group.total.add(cell)
            by_status[code].add(cell)
        total.add(group.total)
    return Coverage(
        groups=groups,
        by_status=[(code, labels[code], cell) for code, cell in by_status.items()],
        total=total,
        semesters=offer_semesters(today),
    )


def _latest_placement_levels(user_ids: Iterable[int]) -> dict[int, str]:
    latest = PlacementResult.objects.filter(user=OuterRef("user")).order_by("-taken_at", "-pk")
    rows = (
        PlacementResult.objects.filter(user_id__in=user_ids)
        .annotate(latest_pk=Subquery(latest.values("pk")[:1]))
        .filter(pk=F("latest_pk"))
        .values_list("user_id", "level")
    )
    return dict(rows)


def _passed_levels(user_ids: Iterable[int]) -> dict[int, str]:
    rows = Enrolment.objects.filter(person_id__in=user_ids, result=CourseResult.PASSED).values_list(
        "person_id", "course__level_to"
    )
    levels: dict[int, str] = {}
    for person_id, level in rows:
        levels[person_id] = highest(levels.get(person_id), level)
    return levels


def offered_nothing(
    *, today: date | None = None, faculty_id: int | None = None, status: str | None = None
) -> QuerySet[StudentProfile]:
    """The international students offered nothing (see :func:`coverage_students`), by faculty and name.

    A queryset of profiles with the user, faculty and department loaded;
    pass a page of it to :func:`offered_nothing_rows` for their suggestions.
    """
    return (
        coverage_students(today=today, faculty_id=faculty_id, status=status)
        .filter(has_place=False, on_waitlist=False)  # type: ignore[misc]
        .select_related("user", "faculty", "department")
        .order_by(
            F("faculty__path").asc(nulls_last=True),
            "user__last_name",
            "user__first_name",
            "user__email",
        )
    )


@dataclass(frozen=True)
class OfferedNothingRow:
    """A student offered nothing, with their level and the course that fits them.

    ``level`` is the highest of their profile's, their latest placement
    result's and their passed courses' levels; ``placement_level`` that
    placement result's level (None without one); ``suggestion`` the course
    that fits them best (None when none does).
    """

    profile: StudentProfile
    level: str
    placement_level: str | None
    suggestion: NorwegianCoursePage | None


def offered_nothing_rows(
    profiles: Iterable[StudentProfile], *, now: datetime | None = None
) -> list[OfferedNothingRow]:
    """An :class:`OfferedNothingRow` for each profile of :func:`offered_nothing`, in its order.

    A fixed number of queries for any number of profiles.
    """
    now = now or timezone.now()
    profiles = list(profiles)
    if not profiles:
        return []
    user_ids = [profile.user_id for profile in profiles]
    placements = _latest_placement_levels(user_ids)
    passed = _passed_levels(user_ids)
    courses = course_rows(offer_courses(today=timezone.localdate(now)))
    rows = []
    for profile in profiles:
        placement_level = placements.get(profile.user_id)
        level = (
            highest(profile.norwegian_level, placement_level, passed.get(profile.user_id))
            or NorwegianLevel.NONE
        )
        fitting = [
            row
            for row in fitting_courses(rows=courses, level=level, now=now)
            if eligibility_refusal(course=row.course, profile=profile) is None
        ]
        rows.append(
            OfferedNothingRow(
                profile=profile,
                level=level,
                placement_level=placement_level,
                suggestion=fitting[0].course if fitting else None,
            )
        )
    return rows


def coverage_faculties() -> list[UnitPage]:
    """The live faculties, in tree order (the report's filter)."""
    return list(UnitPage.objects.live().filter(kind=UnitKind.FACULTY).order_by("path"))


def course_topic_allowed(user: Any, key: str) -> bool:
    """Anyone logged in may follow the places of a live, public course (``course:<id>``)."""
    return key.isdigit() and course_get(course_id=int(key)) is not None
