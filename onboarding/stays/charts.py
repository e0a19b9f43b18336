"""The overview's charts: students abroad now by country and by faculty, as server-drawn SVG bars.

The geometry is computed here; ``stays/overview/chart_bars.html`` draws it. A
chart is an image with a title and a description that give every figure, and
the page shows the same figures as a table beside it, so nothing is told by
the picture alone (as ``approvals/charts.py`` and ``checklists/charts.py`` do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .selectors.overview import Group

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 230
BAR_AREA = 360
VALUE_WIDTH = 60
MARGIN = 10
LABEL_CHARS = 32
AXIS_SPACE = 24
# Nice steps for the grid, in students.
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
GRID_LINES = 4


@dataclass
class Bar:
    label: str
    full_label: str
    value: int
    y: int
    width: float
    text_x: float
    label_y: float


@dataclass
class GridLine:
    x: float
    label: str


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    grid: list[GridLine] = field(default_factory=list)
    width: int = MARGIN * 2 + LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    bar_x: int = MARGIN + LABEL_WIDTH
    label_x: int = MARGIN + LABEL_WIDTH - 8
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT
    axis_y: int = 0
    summary: list[str] = field(default_factory=list)


def _step(top: int) -> int:
    for step in STEPS:
        if top <= step * GRID_LINES:
            return step
    return -(-top // GRID_LINES)


def students_chart(groups: list[Group], *, title: str, description: str) -> BarChart:
    """Horizontal bars of the students in each group, on a scale of whole students."""
    chart = BarChart(title=title, description=description)
    step = _step(max([group.students for group in groups] or [1]))
    scale = step * GRID_LINES
    for index, group in enumerate(groups):
        y = MARGIN + index * (BAR_HEIGHT + BAR_GAP)
        width = round(BAR_AREA * group.students / scale, 1)
        chart.bars.append(
            Bar(
                label=Truncator(group.label).chars(LABEL_CHARS),
                full_label=group.label,
                value=group.students,
                y=y,
                width=max(width, 2.0),
                text_x=MARGIN + LABEL_WIDTH + width + 6,
                label_y=y + BAR_HEIGHT / 2 + 5,
            )
        )
        chart.summary.append(
            ngettext(
                "%(label)s: %(count)s student", "%(label)s: %(count)s students", group.students
            )
            % {"label": group.label, "count": group.students}
        )
    chart.axis_y = MARGIN + max(len(groups), 1) * (BAR_HEIGHT + BAR_GAP)
    chart.height = chart.axis_y + AXIS_SPACE
    chart.grid = [
        GridLine(x=MARGIN + LABEL_WIDTH + BAR_AREA * line / GRID_LINES, label=str(step * line))
        for line in range(GRID_LINES + 1)
    ]
    return chart


def country_chart(groups: list[Group]) -> BarChart:
    return students_chart(
        groups,
        title=_("Students abroad now, by country"),
        description=_("For each country, how many students have a stay there today."),
    )


def faculty_chart(groups: list[Group]) -> BarChart:
    return students_chart(
        groups,
        title=_("Students abroad now, by faculty"),
        description=_(
            "For each faculty, how many of its students (by their study programme) are abroad "
            "today."
        ),
    )
