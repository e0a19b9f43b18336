"""Reads of crises and safety checks: who may see what, a student's checks, the boards.

The International Section's staff (``stays.manage_crises``) see every crisis
and every check. The editors of a faculty or a department see each crisis's
board for their own students only: those whose study programme
(``exchange.StudentProgramme``) is owned by their unit or a unit under it. A
student sees their own checks and nobody else's.

Every read costs a fixed number of queries, whatever the number of checks: a
board of 2,000 reads its counts in one query and one page of rows in another.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from onboarding.approvals.clock import AMBER_SHARE, Light
from onboarding.units.kinds import UnitKind
from onboarding.units.selectors import units_edited_by

from ..apps import STAFF_PERMISSION
from ..models import CheckAnswer, Crisis, CrisisArea, SafetyCheck

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

# The live topics: every open page of a crisis's board follows ``crisis:<id>``; a student's
# pages that show their open checks follow ``safety:checks`` and re-read their own.
BOARD_TOPIC_PREFIX = "crisis"
SAFETY_TOPIC_PREFIX = "safety"
SAFETY_TOPIC = f"{SAFETY_TOPIC_PREFIX}:checks"
# The units whose editors see a board for their students.
BOARD_UNIT_KINDS = (UnitKind.FACULTY, UnitKind.DEPARTMENT)
# Rows of a board per page.
BOARD_PAGE_SIZE = 100
# The board's filters: every answer, or one.
BOARD_FILTERS = ("all", CheckAnswer.HELP, CheckAnswer.PENDING, CheckAnswer.SAFE)


# --- Places ------------------------------------------------------------------------------------


def place_key(text: str) -> str:
    """A city's name as compared: without accents, case or extra spaces ("  MÁLAGA" = "malaga").

    Declaring a crisis for a city matches stays by this key, so "Valencia",
    "valencia" and "València" are one city, and so are "Zürich" and "Zurich".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.casefold().split())


# --- Who may do what ---------------------------------------------------------------------------


def _signed_in(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_manage_crises(user: User | AnonymousUser | None) -> bool:
    """The International Section's staff (and superusers) declare, acknowledge and close."""
    return _signed_in(user) and bool(user and user.has_perm(STAFF_PERMISSION))


def board_paths(user: User | AnonymousUser | None) -> list[str]:
    """The tree paths of the faculties and departments ``user`` edits (kept for the request)."""
    if not _signed_in(user) or user is None:
        return []
    cached: list[str] | None = getattr(user, "_stays_board_paths", None)
    if cached is None:
        cached = list(
            units_edited_by(user=user)  # type: ignore[arg-type]
            .filter(kind__in=BOARD_UNIT_KINDS)
            .values_list("path", flat=True)
        )
        setattr(user, "_stays_board_paths", cached)  # noqa: B010
    return cached


def may_view_boards(user: User | AnonymousUser | None) -> bool:
    """Staff, and the editors of a faculty or a department (who see their own students)."""
    return may_manage_crises(user) or bool(board_paths(user))


def board_scope(user: User | AnonymousUser | None) -> Q | None:
    """A filter of the checks ``user`` sees on a board: all of them for staff, their own
    students' for faculty and department editors, None for everyone else."""
    if may_manage_crises(user):
        return Q()
    paths = board_paths(user)
    if not paths:
        return None
    scope = Q()
    for path in paths:
        scope |= Q(student__exchange_programme__programme__owner_unit__path__startswith=path)
    return scope


def may_acknowledge(*, user: User | AnonymousUser | None, crisis: Crisis) -> bool:
    """The crisis's duty officer, and any of the section's staff."""
    return _signed_in(user) and (
        may_manage_crises(user) or bool(user and crisis.duty_officer_id == user.pk)
    )


def duty_officer_choices() -> QuerySet[Any]:
    """Who may be a crisis's duty officer: active staff holding ``stays.manage_crises``."""
    app_label, codename = STAFF_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# --- Topics ------------------------------------------------------------------------------------


def board_topic(crisis: Crisis | int) -> str:
    """The live topic of one crisis's board."""
    return f"{BOARD_TOPIC_PREFIX}:{crisis if isinstance(crisis, int) else crisis.pk}"


def board_topic_allowed(user: User | AnonymousUser, key: str) -> bool:
    """Whether ``user`` may follow the board of crisis ``key`` (the hint says only "changed")."""
    if not key.isdigit() or not may_view_boards(user):
        return False
    return Crisis.objects.filter(pk=int(key)).exists()


def safety_topic_allowed(user: User | AnonymousUser, key: str) -> bool:
    """Anyone signed in may follow ``safety:checks``: its hint names no one, and each page
    re-reads its own person's checks."""
    return key == "checks" and _signed_in(user)


# --- A student's checks ------------------------------------------------------------------------


def _checks_base() -> QuerySet[SafetyCheck]:
    return SafetyCheck.objects.select_related("crisis", "stay", "acknowledged_by")


def student_checks(*, user: User | AnonymousUser) -> list[SafetyCheck]:
    """Every safety check of ``user``: open crises first, newest first (empty for anonymous)."""
    if not _signed_in(user):
        return []
    return list(
        _checks_base()
        .filter(student_id=user.pk)
        .order_by(
            Case(When(crisis__closed_at__isnull=True, then=Value(0)), default=Value(1)),
            "-crisis__declared_at",
            "-pk",
        )
    )


def open_checks_for(user: User | AnonymousUser | None) -> list[SafetyCheck]:
    """The checks ``user`` should see a banner for: in open crises, not yet answered "I am
    safe" (no answer yet, or "I need help"). One query; empty for anonymous people.

    For any page of the student's (``stays/crisis/includes/open_checks.html``
    shows them and follows the live topic).
    """
    if user is None or not _signed_in(user):
        return []
    return list(
        _checks_base()
        .filter(student_id=user.pk, crisis__closed_at__isnull=True)
        .exclude(answer=CheckAnswer.SAFE)
        .order_by("-crisis__declared_at", "-pk")
    )


def check_get(*, check_id: int) -> SafetyCheck | None:
    """One check with its crisis, stay, student and areas, or None."""
    return (
        SafetyCheck.objects.select_related("crisis", "stay", "student", "acknowledged_by")
        .prefetch_related("crisis__areas")
        .filter(pk=check_id)
        .first()
    )


def student_check_get(*, check_id: int, user: User | AnonymousUser) -> SafetyCheck | None:
    """``user``'s own check, or None (someone else's check is as absent as a missing one)."""
    check = check_get(check_id=check_id)
    if check is None or not _signed_in(user) or check.student_id != user.pk:
        return None
    return check


# --- Crises and boards -------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """The answers of a crisis's checks (those the reader sees)."""

    checks: int = 0
    safe: int = 0
    help: int = 0
    pending: int = 0
    help_open: int = 0
    help_acknowledged: int = 0
    reminders: int = 0

    @property
    def answered(self) -> int:
        return self.safe + self.help


def _count_fields() -> dict[str, Any]:
    return {
        "checks": Count("pk"),
        "safe": Count("pk", filter=Q(answer=CheckAnswer.SAFE)),
        "help": Count("pk", filter=Q(answer=CheckAnswer.HELP)),
        "pending": Count("pk", filter=Q(answer=CheckAnswer.PENDING)),
        "help_open": Count("pk", filter=Q(answer=CheckAnswer.HELP, acknowledged_at__isnull=True)),
        "help_acknowledged": Count(
            "pk", filter=Q(answer=CheckAnswer.HELP, acknowledged_at__isnull=False)
        ),
        "reminders": Sum("reminders_sent"),
    }


def check_counts(checks: QuerySet[SafetyCheck]) -> Counts:
    """The counts of ``checks`` in one query."""
    values = checks.order_by().aggregate(**_count_fields())
    return Counts(**{name: value or 0 for name, value in values.items()})


def crisis_list(*, user: User | AnonymousUser) -> list[tuple[Crisis, Counts]]:
    """Every crisis with the counts of the checks ``user`` sees, open ones first, newest first.

    Two queries: the crises with their areas, and the counts of all of them.
    Empty for anyone who may not see boards.
    """
    scope = board_scope(user)
    if scope is None:
        return []
    crises = list(
        Crisis.objects.select_related("duty_officer")
        .prefetch_related("areas")
        .order_by(
            Case(When(closed_at__isnull=True, then=Value(0)), default=Value(1)),
            "-declared_at",
            "-pk",
        )
    )
    rows = (
        SafetyCheck.objects.filter(scope, crisis__in=crises)
        .order_by()
        .values("crisis_id")
        .annotate(**_count_fields())
    )
    counts: dict[int, Counts] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        crisis_id = values.pop("crisis_id")
        counts[crisis_id] = Counts(**{name: value or 0 for name, value in values.items()})
    return [(crisis, counts.get(crisis.pk, Counts())) for crisis in crises]


def crisis_get(*, crisis_id: int) -> Crisis | None:
    """One crisis with its areas and the people on it, or None."""
    return (
        Crisis.objects.select_related("duty_officer", "declared_by", "closed_by")
        .prefetch_related("areas")
        .filter(pk=crisis_id)
        .first()
    )


def crisis_areas_label(crisis: Crisis) -> str:
    """The crisis's areas in words, in the active language ("Valencia, Spain; Portugal")."""
    areas: list[CrisisArea] = list(crisis.areas.all())
    return "; ".join(str(area) for area in areas)


@dataclass(frozen=True)
class HelpClock:
    """How long a call for help has waited for the duty officer, against the promise."""

    minutes: int
    limit: int
    light: str
    acknowledged: bool

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)


def help_clock(check: SafetyCheck, *, now: datetime.datetime) -> HelpClock | None:
    """The clock of a call for help: minutes from the call to the acknowledgement (or to now),
    green below three quarters of ``acknowledge_minutes``, amber up to it, red after it."""
    if check.answer != CheckAnswer.HELP or check.help_asked_at is None:
        return None
    end = check.acknowledged_at or now
    minutes = max(0, int((end - check.help_asked_at).total_seconds() // 60))
    limit = check.crisis.acknowledge_minutes
    if minutes >= limit:
        light = Light.RED
    elif minutes >= AMBER_SHARE * Decimal(limit):
        light = Light.AMBER
    else:
        light = Light.GREEN
    return HelpClock(
        minutes=minutes, limit=limit, light=light, acknowledged=check.acknowledged_at is not None
    )


@dataclass(frozen=True)
class BoardRow:
    check: SafetyCheck
    clock: HelpClock | None


@dataclass(frozen=True)
class Board:
    """One crisis's board as one reader sees it: the counts, one page of rows, a version."""

    crisis: Crisis
    counts: Counts
    rows: list[BoardRow]
    answer: str
    page: int
    pages: int
    # Grows with every change of the checks the reader sees (answers, acknowledgements,
    # reminders) and with closing: the page keeps the newest of what it reads.
    version: int
    everyone: bool

    @property
    def shown(self) -> int:
        """How many rows the filter holds (all pages)."""
        if self.answer == CheckAnswer.HELP:
            return self.counts.help
        if self.answer == CheckAnswer.PENDING:
            return self.counts.pending
        if self.answer == CheckAnswer.SAFE:
            return self.counts.safe
        return self.counts.checks


def _version(*moments: datetime.datetime | None) -> int:
    known = [moment for moment in moments if moment is not None]
    return int(max(known).timestamp() * 1_000_000) if known else 0


def crisis_board(
    *,
    crisis: Crisis,
    user: User | AnonymousUser,
    answer: str = "all",
    page: int = 1,
    now: datetime.datetime | None = None,
) -> Board | None:
    """The board of ``crisis`` for ``user``, or None when they may not see boards.

    Rows: calls for help not yet acknowledged first (longest waiting first),
    then acknowledged ones, then those with no answer yet, then "I am safe";
    ``answer`` keeps one kind of answer ("all" for every one), 100 rows a page.
    One query for the counts and the version, one for the page of rows.
    """
    scope = board_scope(user)
    if scope is None:
        return None
    now = now or timezone.now()
    checks = SafetyCheck.objects.filter(scope, crisis=crisis)
    values = checks.order_by().aggregate(
        **_count_fields(),
        answered=Max("answered_at"),
        acknowledged=Max("acknowledged_at"),
        reminded=Max("last_reminded_at"),
    )
    moments = [values.pop("answered"), values.pop("acknowledged"), values.pop("reminded")]
    counts = Counts(**{name: value or 0 for name, value in values.items()})
    if answer not in BOARD_FILTERS:
        answer = "all"
    listed = checks if answer == "all" else checks.filter(answer=answer)
    totals: dict[str, int] = {
        CheckAnswer.HELP: counts.help,
        CheckAnswer.PENDING: counts.pending,
        CheckAnswer.SAFE: counts.safe,
    }
    total = totals.get(answer, counts.checks)
    pages = max(1, -(-total // BOARD_PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * BOARD_PAGE_SIZE
    rows = list(
        listed.select_related("student", "stay", "acknowledged_by")
        .annotate(
            rank=Case(
                When(answer=CheckAnswer.HELP, acknowledged_at__isnull=True, then=Value(0)),
                When(answer=CheckAnswer.HELP, then=Value(1)),
                When(answer=CheckAnswer.PENDING, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "rank",
            "help_asked_at",
            "student__first_name",
            "student__last_name",
            "student__email",
            "pk",
        )[start : start + BOARD_PAGE_SIZE]
    )
    for check in rows:
        check.crisis = crisis  # the same crisis for all: no query per row
    return Board(
        crisis=crisis,
        counts=counts,
        rows=[BoardRow(check=check, clock=help_clock(check, now=now)) for check in rows],
        answer=answer,
        page=page,
        pages=pages,
        version=_version(crisis.declared_at, crisis.closed_at, *moments),
        everyone=may_manage_crises(user),
    )
