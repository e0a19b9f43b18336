"""The response-time chart: monthly medians as columns, the promises as lines, drawn as SVG.

The geometry is computed here; ``approvals/includes/response_chart.html``
draws it, on the public page and in the admin alike. The two series differ
in pattern as well as colour (solid and striped), the two promises in their
dashes, the legend is written inside the picture, the chart has a title and a
description that give every figure, and the pages show the same figures as a
table, so nothing is told by colour or by the picture alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .selectors.stats import Stats

AXIS_X = 52
TOP = 26
AREA_HEIGHT = 180
BAR_WIDTH = 14
BAR_INNER_GAP = 2
GROUP_GAP = 14
RIGHT_SPACE = 16
BOTTOM_SPACE = 86
# Nice steps for the grid, in working days.
STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
GRID_LINES = 5
MIN_HEIGHT = 2


@dataclass
class Column:
    value: Decimal
    text: str
    x: float
    y: float
    height: float


@dataclass
class MonthGroup:
    label: str
    year: str
    full_label: str
    label_x: float
    first_response: Column | None
    decision: Column | None
    first_response_count: int
    decision_count: int


@dataclass
class PromiseLine:
    y: float
    label: str
    kind: str


@dataclass
class ResponseChart:
    title: str
    description: str
    groups: list[MonthGroup] = field(default_factory=list)
    grid: list[tuple[float, str]] = field(default_factory=list)
    promises: list[PromiseLine] = field(default_factory=list)
    width: int = 0
    height: int = TOP + AREA_HEIGHT + BOTTOM_SPACE
    axis_x: int = AXIS_X
    baseline: int = TOP + AREA_HEIGHT
    bar_width: int = BAR_WIDTH
    legend_y: int = TOP + AREA_HEIGHT + 48
    legend_x2: int = AXIS_X + 250
    axis_label: str = ""
    summary: list[str] = field(default_factory=list)


def days_text(value: Decimal) -> str:
    """Working days to one decimal in the reader's language (``2,5`` in Norwegian)."""
    return formats.number_format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)


def _step(top: Decimal) -> int:
    for step in STEPS:
        if top <= step * (GRID_LINES - 1):
            return step
    return int((top / (GRID_LINES - 1)).to_integral_value(rounding=ROUND_CEILING))


def response_chart(stats: Stats) -> ResponseChart:
    """Columns of the median days to a first response and to a decision, month by month,
    with the unit's promised days as two lines."""
    chart = ResponseChart(
        title=_("Median working days to a first response and to a decision, by month"),
        description=_(
            "For each month, the median working days the cases answered or decided that month "
            "waited for the adviser. Promised: a first response within %(first)s and a decision "
            "within %(decision)s working days."
        )
        % {"first": stats.first_response_days, "decision": stats.decision_days},
        axis_label=_("Working days"),
    )
    values = [
        measure.median
        for month in stats.months
        for measure in (month.first_response, month.decision)
        if measure.median is not None
    ]
    top = max([*values, Decimal(stats.first_response_days), Decimal(stats.decision_days)])
    step = _step(top)
    scale_top = Decimal(step * (GRID_LINES - 1))

    def y_of(value: Decimal) -> float:
        return round(TOP + AREA_HEIGHT - float(value / scale_top) * AREA_HEIGHT, 1)

    chart.grid = [(y_of(Decimal(step * line)), str(step * line)) for line in range(GRID_LINES)]
    group_width = 2 * BAR_WIDTH + BAR_INNER_GAP + GROUP_GAP
    previous_year = None
    for index, month in enumerate(stats.months):
        x = AXIS_X + GROUP_GAP + index * group_width

        def column(value: Decimal | None, x: float) -> Column | None:
            if value is None:
                return None
            # A median of zero still shows as a sliver on the axis.
            y = min(y_of(value), TOP + AREA_HEIGHT - MIN_HEIGHT)
            return Column(
                value=value, text=days_text(value), x=x, y=y, height=round(TOP + AREA_HEIGHT - y, 1)
            )

        year = str(month.start.year) if month.start.year != previous_year else ""
        previous_year = month.start.year
        group = MonthGroup(
            label=date_format(month.start, "M"),
            year=year,
            full_label=date_format(month.start, "F Y"),
            label_x=x + BAR_WIDTH + BAR_INNER_GAP / 2,
            first_response=column(month.first_response.median, x),
            decision=column(month.decision.median, x + BAR_WIDTH + BAR_INNER_GAP),
            first_response_count=month.first_response.count,
            decision_count=month.decision.count,
        )
        chart.groups.append(group)
        chart.summary.append(_month_summary(group))
    chart.width = AXIS_X + GROUP_GAP + len(stats.months) * group_width + RIGHT_SPACE
    chart.promises = [
        PromiseLine(
            y=y_of(Decimal(stats.first_response_days)),
            label=_("First response promised: %(days)s") % {"days": stats.first_response_days},
            kind="first_response",
        ),
        PromiseLine(
            y=y_of(Decimal(stats.decision_days)),
            label=_("Decision promised: %(days)s") % {"days": stats.decision_days},
            kind="decision",
        ),
    ]
    return chart


def _month_summary(group: MonthGroup) -> str:
    """One month in words, for the chart's description."""
    first = (
        ngettext(
            "first response median %(days)s working days (%(count)s case)",
            "first response median %(days)s working days (%(count)s cases)",
            group.first_response_count,
        )
        % {"days": group.first_response.text, "count": group.first_response_count}
        if group.first_response is not None
        else _("no first responses")
    )
    decision = (
        ngettext(
            "decision median %(days)s working days (%(count)s case)",
            "decision median %(days)s working days (%(count)s cases)",
            group.decision_count,
        )
        % {"days": group.decision.text, "count": group.decision_count}
        if group.decision is not None
        else _("no decisions")
    )
    return f"{group.full_label}: {first}; {decision}."
