"""Server-rendered SVG charts of checklist progress, each with a text alternative.

The geometry is computed here; ``checklists/admin/chart_*.html`` draw it.
A chart is an image with a title and a description, and the page shows the
same figures as a table beside it, so nothing is told by the picture alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.text import Truncator
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .selectors import ChecklistProgress

# A grid line: its position ("x" or "y") and its label.
type GridLine = dict[str, float | str]

# Horizontal bars: one row per item.
BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 260
BAR_AREA = 360
VALUE_WIDTH = 70
MARGIN = 10
LABEL_CHARS = 38

# Columns: one per week since arrival.
COLUMN_AREA_HEIGHT = 200
COLUMN_WIDTH = 36
COLUMN_GAP = 14
AXIS_SPACE = 40
CAPTION_SPACE = 40


@dataclass
class Bar:
    label: str
    full_label: str
    value: int
    text: str
    y: int
    width: float
    text_x: float
    label_y: float


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    width: int = MARGIN * 2 + LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_x: int = MARGIN + LABEL_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT
    grid: list[GridLine] = field(default_factory=list)


def completion_by_item_chart(progress: ChecklistProgress) -> BarChart:
    """Bars of the share of students who have done each item."""
    rows = progress.items
    chart = BarChart(
        title=_("Completion by item"),
        description=_("For each item, the share of the %(count)s students who have ticked it off.")
        % {"count": progress.student_count},
    )
    for index, row in enumerate(rows):
        y = MARGIN + index * (BAR_HEIGHT + BAR_GAP)
        width = BAR_AREA * row.percent / 100
        chart.bars.append(
            Bar(
                label=Truncator(row.item.title).chars(LABEL_CHARS),
                full_label=row.item.title,
                value=row.percent,
                text=f"{row.percent} % ({row.done_count}/{row.student_count})",
                y=y,
                width=round(width, 1),
                text_x=MARGIN + LABEL_WIDTH + width + 6,
                label_y=y + BAR_HEIGHT / 2 + 5,
            )
        )
    chart.height = MARGIN * 2 + max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP)
    chart.grid = [
        {"x": MARGIN + LABEL_WIDTH + BAR_AREA * step / 4, "label": f"{25 * step} %"}
        for step in range(5)
    ]
    return chart


@dataclass
class Column:
    label: str
    value: int
    students: int
    x: float
    y: float
    height: float
    label_x: float


@dataclass
class ColumnChart:
    title: str
    description: str
    columns: list[Column] = field(default_factory=list)
    width: int = 0
    height: int = AXIS_SPACE + COLUMN_AREA_HEIGHT + CAPTION_SPACE
    baseline: int = MARGIN + COLUMN_AREA_HEIGHT
    axis_x: int = AXIS_SPACE
    column_width: int = COLUMN_WIDTH
    grid: list[GridLine] = field(default_factory=list)
    axis_label: str = ""


def completion_by_week_chart(progress: ChecklistProgress, *, max_weeks: int = 12) -> ColumnChart:
    """Columns of the average completion of the students, by weeks since they arrived."""
    weeks = progress.weekly_completion(max_weeks=max_weeks)
    chart = ColumnChart(
        title=_("Completion by weeks since arrival"),
        description=_(
            "The average share of items done by the students who arrived that many whole weeks "
            "ago; students who have not arrived yet are not counted."
        ),
        axis_label=_("Weeks since arrival"),
    )
    for index, (week, students, percent) in enumerate(weeks):
        x = AXIS_SPACE + COLUMN_GAP + index * (COLUMN_WIDTH + COLUMN_GAP)
        height = COLUMN_AREA_HEIGHT * percent / 100
        label = f"{week}+" if week == max_weeks else str(week)
        chart.columns.append(
            Column(
                label=label,
                value=percent,
                students=students,
                x=x,
                y=MARGIN + COLUMN_AREA_HEIGHT - height,
                height=round(height, 1),
                label_x=x + COLUMN_WIDTH / 2,
            )
        )
    chart.width = AXIS_SPACE + COLUMN_GAP + max(len(weeks), 4) * (COLUMN_WIDTH + COLUMN_GAP) + 20
    chart.grid = [
        {"y": MARGIN + COLUMN_AREA_HEIGHT - COLUMN_AREA_HEIGHT * step / 4, "label": f"{25 * step}"}
        for step in range(5)
    ]
    return chart
