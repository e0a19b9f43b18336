"""The arrival forecast: weekly arrivals by faculty and by student status, as aggregates only.

Arrivals come from the arrival dates people give: the student profile
(``accounts``) and, for those without one there, their request for a buddy.
Each person counts once.

Small numbers identify people, so no figure from 1 to 4 is shown
(``SUPPRESS_BELOW``), totals included; and since a hidden figure could be
worked out by subtracting the shown ones from a total, every row and column
that hides one figure hides a second (complementary suppression, ``suppress``).
The two tables share their weekly totals and grand total, so a total hidden in
one is hidden in the other too. Zeros are shown: they describe nobody.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from onboarding.accounts.models import ARRIVING_STATUSES, StudentProfile, StudentStatus
from onboarding.units.kinds import UnitKind
from onboarding.units.selectors import units_edited_by
from onboarding.units.services import INTERNATIONAL_STAFF_GROUP

from .models import BuddyProfile, BuddyRound, Role

SUPPRESS_BELOW = 5
WEEKS_BEFORE = 8
WEEKS_AFTER = 4

type Grid = list[list[int]]
type Hidden = list[list[bool]]


def may_view_forecast(*, user: Any) -> bool:
    """Volunteer groups and faculties (their editors) and the International Section's staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.groups.filter(name=INTERNATIONAL_STAFF_GROUP).exists():
        return True
    return bool(
        units_edited_by(user=user)
        .filter(kind__in=[UnitKind.VOLUNTEER_GROUP, UnitKind.FACULTY])
        .exists()
    )


# --- Suppression -----------------------------------------------------------------------------


def with_margins(cells: Grid) -> Grid:
    """``cells`` with a total column on the right and a total row below."""
    rows = [[*row, sum(row)] for row in cells]
    width = len(cells[0]) if cells else 0
    totals = [sum(row[j] for row in rows) for j in range(width + 1)]
    return [*rows, totals]


def _lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    """Every row and column of a table with margins: each adds up to its last entry."""
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    columns = [[(i, j) for i in range(height)] for j in range(width)]
    return rows + columns


def suppress(grid: Grid, forced: Collection[tuple[int, int]] = ()) -> Hidden:
    """Which entries of ``grid`` (with margins, see ``with_margins``) to hide.

    First every entry from 1 to ``SUPPRESS_BELOW - 1`` and every ``forced``
    one; then, while some row or column hides exactly one entry, a second
    entry of that line: the smallest non-zero one, a cell before a total.
    """
    height = len(grid)
    width = len(grid[0]) if grid else 0
    hidden = [
        [0 < grid[i][j] < SUPPRESS_BELOW or (i, j) in forced for j in range(width)]
        for i in range(height)
    ]
    lines = _lines(height, width)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            candidates = [(i, j) for i, j in line if not hidden[i][j]]
            if not candidates:
                continue
            i, j = min(
                candidates,
                key=lambda c: (
                    grid[c[0]][c[1]] == 0,
                    c[0] == height - 1 or c[1] == width - 1,
                    grid[c[0]][c[1]],
                    c,
                ),
            )
            hidden[i][j] = True
            changed = True
    return hidden


def suppress_together(grids: list[Grid]) -> list[Hidden]:
    """Suppress tables that share their total column (the same rows' totals): a total hidden in
    one is hidden in all, and each is suppressed again until they agree."""
    forced: set[int] = set()
    while True:
        results = []
        for grid in grids:
            width = len(grid[0])
            results.append(suppress(grid, {(i, width - 1) for i in forced}))
        hidden_totals = {
            i
            for grid, hidden in zip(grids, results, strict=True)
            for i in range(len(grid))
            if hidden[i][len(grid[0]) - 1]
        }
        if hidden_totals <= forced:
            return results
        forced |= hidden_totals


# --- The report ------------------------------------------------------------------------------


@dataclass
class Cell:
    value: int
    hidden: bool

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[Row]
    totals: Row


@dataclass
class Forecast:
    weeks: list[datetime.date]
    by_faculty: Table
    by_status: Table
    expected: Cell
    requests: int
    places: int
    window: tuple[datetime.date, datetime.date] = field(
        default=(datetime.date.min, datetime.date.min)
    )


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _arrivals(
    round: BuddyRound, first: datetime.date, last: datetime.date
) -> list[tuple[Any, ...]]:
    """(arrival date, faculty id, status) per arriving person within the window."""
    people: dict[int, tuple[Any, ...]] = {}
    for user_id, day, faculty_id, status in BuddyProfile.objects.filter(
        round=round, role=Role.STUDENT, available_on__range=(first, last)
    ).values_list("user_id", "available_on", "faculty_id", "student_status"):
        people[user_id] = (day, faculty_id, status)
    for user_id, arrival, faculty_id, status in StudentProfile.objects.filter(
        status__in=ARRIVING_STATUSES, arrival_date__range=(first, last)
    ).values_list("user_id", "arrival_date", "faculty_id", "status"):
        people[user_id] = (arrival, faculty_id, status)
    return list(people.values())


def _table(
    caption: str,
    weeks: list[datetime.date],
    columns: list[tuple[Any, str]],
    grid: Grid,
    hidden: Hidden,
) -> Table:
    def row(i: int, label: str) -> Row:
        width = len(columns)
        return Row(
            label=label,
            cells=[Cell(grid[i][j], hidden[i][j]) for j in range(width)],
            total=Cell(grid[i][width], hidden[i][width]),
        )

    return Table(
        caption=caption,
        columns=[label for _key, label in columns],
        rows=[row(i, _week_label(week)) for i, week in enumerate(weeks)],
        totals=row(len(weeks), _("All weeks")),
    )


def _week_label(week: datetime.date) -> str:
    return _("Week %(number)s (from %(day)s)") % {
        "number": week.isocalendar().week,
        "day": formats.date_format(week, "SHORT_DATE_FORMAT"),
    }


def arrival_forecast(*, round: BuddyRound) -> Forecast:
    """Weekly arrivals around the start of ``round``'s semester, suppressed, with the buddy
    places and requests of the round."""
    from onboarding.units.models import UnitPage

    first = week_start(round.semester_starts_on) - datetime.timedelta(weeks=WEEKS_BEFORE)
    last = week_start(round.semester_starts_on) + datetime.timedelta(weeks=WEEKS_AFTER, days=6)
    weeks = [first + datetime.timedelta(weeks=n) for n in range(WEEKS_BEFORE + WEEKS_AFTER + 1)]
    arrivals = _arrivals(round, first, last)
    counts = Counter((week_start(day), faculty, status) for day, faculty, status in arrivals)

    faculty_ids = sorted({faculty for _d, faculty, _s in arrivals if faculty is not None})
    names = dict(UnitPage.objects.filter(pk__in=faculty_ids).values_list("pk", "title"))
    faculty_columns: list[tuple[Any, str]] = sorted(
        ((pk, names.get(pk, "")) for pk in faculty_ids), key=lambda c: c[1]
    )
    if any(faculty is None for _d, faculty, _s in arrivals):
        faculty_columns.append((None, _("No faculty given")))
    status_columns: list[tuple[Any, str]] = [
        (status, str(StudentStatus(status).label)) for status in ARRIVING_STATUSES
    ]

    def grid(columns: list[tuple[Any, str]], index: int) -> Grid:
        return with_margins(
            [
                [
                    sum(n for (w, f, s), n in counts.items() if w == week and (f, s)[index] == key)
                    for key, _label in columns
                ]
                for week in weeks
            ]
            if columns
            else [[] for _week in weeks]
        )

    faculty_grid = grid(faculty_columns, 0)
    status_grid = grid(status_columns, 1)
    hidden_faculty, hidden_status = suppress_together([faculty_grid, status_grid])
    total = status_grid[-1][-1]
    requests = BuddyProfile.objects.filter(round=round, role=Role.STUDENT).count()
    places = sum(
        BuddyProfile.objects.filter(round=round, role=Role.BUDDY).values_list("capacity", flat=True)
    )
    return Forecast(
        weeks=weeks,
        by_faculty=_table(
            _("Arrivals by week and faculty"), weeks, faculty_columns, faculty_grid, hidden_faculty
        ),
        by_status=_table(
            _("Arrivals by week and student status"),
            weeks,
            status_columns,
            status_grid,
            hidden_status,
        ),
        expected=Cell(total, hidden_status[-1][-1]),
        requests=requests,
        places=places,
        window=(first, last),
    )


# --- The chart -------------------------------------------------------------------------------

BAR_WIDTH = 28
BAR_GAP = 10
CHART_HEIGHT = 160
MARGIN = 30


@dataclass
class Bar:
    x: int
    y: float
    height: float
    label: str
    value: str
    hidden: bool

    @property
    def middle(self) -> int:
        return self.x + BAR_WIDTH // 2

    @property
    def value_y(self) -> float:
        return self.y - 4


@dataclass
class Chart:
    title: str
    description: str
    width: int
    height: int
    baseline: int
    bars: list[Bar] = field(default_factory=list)
    margin: int = MARGIN
    bar_width: int = BAR_WIDTH

    @property
    def axis_end(self) -> int:
        return self.width - MARGIN


def forecast_chart(report: Forecast) -> Chart:
    """One bar per week (arrivals, all faculties); a hidden week has a marked gap, no bar."""
    rows = report.by_status.rows
    largest = max((row.total.value for row in rows if not row.total.hidden), default=0) or 1
    chart = Chart(
        title=_("Arrivals by week"),
        description=_(
            "Number of arriving students each week around the start of the semester; the same "
            "figures are in the table below. Weeks with fewer than 5 arrivals are hidden."
        ),
        width=MARGIN * 2 + len(rows) * (BAR_WIDTH + BAR_GAP),
        height=CHART_HEIGHT + MARGIN * 2,
        baseline=CHART_HEIGHT + MARGIN,
    )
    for index, (week, row) in enumerate(zip(report.weeks, rows, strict=True)):
        height = 0.0 if row.total.hidden else round(CHART_HEIGHT * row.total.value / largest, 1)
        chart.bars.append(
            Bar(
                x=MARGIN + index * (BAR_WIDTH + BAR_GAP),
                y=chart.baseline - height,
                height=height,
                label=str(week.isocalendar().week),
                value="*" if row.total.hidden else str(row.total.value),
                hidden=row.total.hidden,
            )
        )
    return chart
