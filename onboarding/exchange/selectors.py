"""Reads of the exchange app: the finder, destinations, the staff reports, reports to moderate.

The finder's query has the same number of queries for 5 and 500 agreements:
the filters are ``Exists`` subqueries (no joins that multiply rows), and a
page of results fetches its subject areas and languages in one query each.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from .models import (
    CEFR_ORDER,
    FORMAT_RANK,
    Agreement,
    AgreementLanguage,
    ExperienceReport,
    Institution,
    MobilityFormat,
    Programme,
    ReportStatus,
    Season,
    StudentProgramme,
    StudyLevel,
    stale_cutoff,
)
from .permissions import owned_by_user_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

SubjectThrough = Agreement.subject_areas.through


@dataclass
class FinderFilters:
    """What the finder narrows by; empty values do not filter."""

    q: str = ""
    country: str = ""
    language: str = ""
    cefr: str = ""
    subject: str = ""
    level: str = ""
    season: str = ""
    mobility_format: str = ""
    fits_window: bool = False
    placement_ok: bool = False
    grant: bool = False
    package: bool = False
    programme: Programme | None = field(default=None, repr=False)


def _subject_exists(prefix: str) -> Exists:
    return Exists(
        SubjectThrough.objects.filter(
            agreement_id=OuterRef("pk"), iscedfield__code__startswith=prefix
        )
    )


def _level_q(level: str) -> Q:
    column = {
        StudyLevel.BACHELOR: "level_bachelor",
        StudyLevel.MASTER: "level_master",
        StudyLevel.PHD: "level_phd",
    }.get(level)  # type: ignore[call-overload]
    return Q(**{column: True}) if column else Q()


def _season_q(seasons: list[str]) -> Q:
    condition = Q(pk__in=[])
    for season in seasons:
        condition |= Q(**{season: True})
    return condition


def window_fit_q(programme: Programme) -> Q:
    """Agreements that fit ``programme``: its subject (its ISCED-F detailed field) and level,
    and for a semester stay a semester of the exchange window; short, blended and
    digital stays fit beside any semester.
    """
    return (
        Q(_subject_exists(programme.isced_id))
        & _level_q(programme.level)
        & (~Q(mobility_format=MobilityFormat.SEMESTER) | _season_q(programme.window_seasons))
    )


def placement_fit_q(programme: Programme) -> Q:
    """Agreements that leave ``programme``'s mandatory placement whole.

    A semester stay fits in a window semester without placement, or where the
    partner arranges the placement; short, blended and digital stays always fit.
    """
    if not programme.placement_semesters:
        return Q()
    return (
        ~Q(mobility_format=MobilityFormat.SEMESTER)
        | Q(takes_placements=True)
        | _season_q(programme.free_window_seasons)
    )


def _format_rank() -> Case:
    return Case(
        *(When(mobility_format=fmt, then=Value(rank)) for fmt, rank in FORMAT_RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )


def agreements_current(*, today: datetime.date | None = None) -> QuerySet[Agreement]:
    """Agreements in force today or later."""
    today = today or timezone.localdate()
    return Agreement.objects.filter(valid_to__gte=today)


def agreement_search(
    *, filters: FinderFilters, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """The finder: current agreements matching every filter, long stays first.

    Ordered by format (semester stays, then blended, short, digital), then by
    the months a stay lasts (longest first), then by the partner's name.
    """
    agreements = agreements_current(today=today)
    if filters.q:
        words = filters.q.strip()
        published = ExperienceReport.objects.filter(
            agreement__institution_id=OuterRef("institution_id"), status=ReportStatus.PUBLISHED
        ).filter(Q(title__icontains=words) | Q(text__icontains=words))
        agreements = agreements.filter(
            Q(institution__name_nb__icontains=words)
            | Q(institution__name_en__icontains=words)
            | Q(institution__city__icontains=words)
            | Q(institution__schac_code__icontains=words)
            | Q(Exists(published))
        )
    if filters.country:
        agreements = agreements.filter(institution__country=filters.country)
    if filters.language or filters.cefr:
        languages = AgreementLanguage.objects.filter(agreement_id=OuterRef("pk"))
        if filters.language:
            languages = languages.filter(language=filters.language)
        if filters.cefr in CEFR_ORDER:
            allowed = CEFR_ORDER[: CEFR_ORDER.index(filters.cefr) + 1]
            languages = languages.filter(cefr__in=allowed)
        agreements = agreements.filter(Exists(languages))
    if filters.subject:
        agreements = agreements.filter(_subject_exists(filters.subject))
    if filters.level:
        agreements = agreements.filter(_level_q(filters.level))
    if filters.season in Season.values:
        agreements = agreements.filter(**{filters.season: True})
    if filters.mobility_format:
        agreements = agreements.filter(mobility_format=filters.mobility_format)
    if filters.grant:
        agreements = agreements.filter(has_grant=True)
    if filters.package:
        agreements = agreements.filter(is_package=True)
    if filters.programme is not None:
        if filters.fits_window:
            agreements = agreements.filter(window_fit_q(filters.programme))
        if filters.placement_ok:
            agreements = agreements.filter(placement_fit_q(filters.programme))
    return (
        agreements.select_related("institution", "owner_unit")
        .annotate(format_rank=_format_rank())
        .order_by("format_rank", "-months_out", "-days", "institution__name", "reference")
    )


def agreements_with_details(agreements: list[Agreement] | QuerySet[Agreement]) -> list[Agreement]:
    """``agreements`` with subject areas and languages fetched (one query each)."""
    from django.db.models import prefetch_related_objects

    rows = list(agreements)
    prefetch_related_objects(
        rows,
        "subject_areas",
        Prefetch("languages", queryset=AgreementLanguage.objects.order_by("pk")),
    )
    return rows


def student_programme(*, user: User | AnonymousUser) -> StudentProgramme | None:
    """The programme the logged-in student follows, if they have told us."""
    if not user.is_authenticated:
        return None
    return (
        StudentProgramme.objects.select_related("programme", "programme__isced")
        .filter(user=user)
        .first()
    )


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.select_related("owner_unit", "isced").order_by("name", "code")


def finder_countries() -> list[str]:
    """The countries of partners with a current agreement (ISO codes)."""
    return sorted(
        set(agreements_current().values_list("institution__country", flat=True).distinct())
    )


def institution_get(*, schac_code: str) -> Institution | None:
    return Institution.objects.filter(schac_code=schac_code).first()


def destination_agreements(
    *, institution: Institution, programme: Programme | None = None
) -> tuple[list[Agreement], set[int]]:
    """The partner's current agreements, long stays first, and the ids that fit ``programme``."""
    agreements = agreements_current().filter(institution=institution)
    ordered = (
        agreements.select_related("owner_unit")
        .annotate(format_rank=_format_rank())
        .order_by("format_rank", "-months_out", "reference")
    )
    fitting: set[int] = set()
    if programme is not None:
        fitting = set(
            agreements.filter(window_fit_q(programme) & placement_fit_q(programme)).values_list(
                "pk", flat=True
            )
        )
    return agreements_with_details(ordered), fitting


def published_reports(*, institution: Institution, q: str = "") -> QuerySet[ExperienceReport]:
    """The partner's published experience reports, newest stay first, optionally searched."""
    reports = ExperienceReport.objects.filter(
        agreement__institution=institution, status=ReportStatus.PUBLISHED
    )
    if q.strip():
        reports = reports.filter(Q(title__icontains=q.strip()) | Q(text__icontains=q.strip()))
    return reports.select_related("agreement").order_by("-year", "season", "-created_at")


def reports_to_moderate(*, user: User | AnonymousUser) -> QuerySet[ExperienceReport]:
    """Reports waiting for moderation that ``user`` may moderate (their units', or all for staff)."""
    return (
        ExperienceReport.objects.filter(status=ReportStatus.PENDING)
        .filter(owned_by_user_q(user, prefix="agreement__owner_unit__"))
        .select_related("agreement", "agreement__institution", "agreement__owner_unit", "author")
        .order_by("created_at")
    )


def agreement_stale_list(*, now: datetime.datetime | None = None) -> QuerySet[Agreement]:
    """Current agreements not confirmed for 12 months, oldest confirmation first."""
    return (
        agreements_current()
        .filter(last_confirmed__lt=stale_cutoff(now))
        .select_related("institution", "owner_unit")
        .order_by("last_confirmed")
    )


@dataclass(frozen=True)
class WindowGap:
    """A programme without a usable agreement for its exchange window, and why."""

    programme: Programme
    reason: str
    near_misses: int


def usable_for_window(agreement: Agreement, programme: Programme, subjects: set[str]) -> bool:
    """A semester agreement the programme's students can use in a window semester."""
    if agreement.mobility_format != MobilityFormat.SEMESTER:
        return False
    if programme.level not in agreement.levels:
        return False
    if programme.isced_id not in subjects:
        return False
    placements = set(programme.placement_semesters or [])
    for semester in programme.window_semesters:
        if programme.season_of(semester) not in agreement.seasons:
            continue
        if semester not in placements or agreement.takes_placements:
            return True
    return False


def programmes_without_window(*, today: datetime.date | None = None) -> list[WindowGap]:
    """Programmes with no current semester agreement usable in their exchange window.

    Usable: the programme's ISCED-F detailed field and level, offered in a semester of the
    window, and, where the window semester holds a mandatory placement, at a
    partner that arranges it. ``near_misses`` counts agreements in the
    programme's field and level that fail only on the semester or placement.
    Three queries whatever the number of programmes and agreements.
    """
    agreements = list(
        agreements_current(today=today).filter(mobility_format=MobilityFormat.SEMESTER)
    )
    subjects: dict[int, set[str]] = {a.pk: set() for a in agreements}
    for agreement_id, code in SubjectThrough.objects.filter(agreement_id__in=subjects).values_list(
        "agreement_id", "iscedfield_id"
    ):
        subjects[agreement_id].add(code)
    gaps = []
    for programme in programme_list():
        if any(usable_for_window(a, programme, subjects[a.pk]) for a in agreements):
            continue
        in_field = [
            a
            for a in agreements
            if programme.level in a.levels and programme.isced_id in subjects[a.pk]
        ]
        if not in_field:
            reason = "no_agreement_in_field"
        elif programme.placement_in_window and not programme.free_window_seasons:
            reason = "placement_in_window"
        else:
            reason = "wrong_semester"
        gaps.append(WindowGap(programme=programme, reason=reason, near_misses=len(in_field)))
    return gaps
