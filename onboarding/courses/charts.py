"""The coverage chart: one stacked bar per faculty, drawn on the server as SVG.

The geometry is computed here; ``courses/includes/coverage_chart.html``
draws it. The three parts of a bar differ in pattern as well as colour, the
chart has a title and a description that give every figure, and the page
shows the same figures as a table, so nothing is told by colour alone.
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator
from django.utils.translation import gettext as _

BAR_HEIGHT = 24
BAR_GAP = 12
LABEL_WIDTH = 300
BAR_AREA = 360
VALUE_WIDTH = 60
MARGIN = 10
LABEL_CHARS = 34

# (part, fill) in drawing order; fills are patterns defined in the template.
PARTS = ("enrolled", "waitlisted", "nothing")


@dataclass
class Segment:
    part: str
    value: int
    x: float
    width: float


@dataclass
class Bar:
    label: str
    full_label: str
    total: int
    summary: str
    y: int
    label_y: float
    text_x: float
    segments: list = field(default_factory=list)


@dataclass
class CoverageChart:
    title: str
    description: str
    bars: list = field(default_factory=list)
    width: int = MARGIN * 2 + LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    bar_x: int = MARGIN + LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_summary(cell):
    return _("%(enrolled)s enrolled, %(waitlisted)s on a waitlist, %(nothing)s offered nothing") % {
        "enrolled": cell.enrolled,
        "waitlisted": cell.waitlisted,
        "nothing": cell.nothing,
    }


def coverage_chart(coverage):
    """Bars of enrolled, waitlisted and offered-nothing students per faculty, to one scale."""
    chart = CoverageChart(
        title=_("International students by faculty and what they have been offered"),
        description=_(
            "For each faculty, the international students with a place on a Norwegian course, "
            "on a waitlist, and offered nothing yet, this semester and the next."
        ),
    )
    largest = max((group.total.total for group in coverage.groups), default=0) or 1
    for index, group in enumerate(coverage.groups):
        label = group.faculty.title if group.faculty is not None else _("No faculty given")
        y = MARGIN + index * (BAR_HEIGHT + BAR_GAP)
        x = chart.bar_x
        segments = []
        for part in PARTS:
            value = getattr(group.total, part)
            width = round(BAR_AREA * value / largest, 1)
            segments.append(Segment(part=part, value=value, x=round(x, 1), width=width))
            x += width
        chart.bars.append(
            Bar(
                label=Truncator(label).chars(LABEL_CHARS),
                full_label=label,
                total=group.total.total,
                summary=bar_summary(group.total),
                y=y,
                label_y=y + BAR_HEIGHT / 2 + 5,
                text_x=x + 6,
                segments=segments,
            )
        )
    chart.height = MARGIN * 2 + max(len(coverage.groups), 1) * (BAR_HEIGHT + BAR_GAP)
    return chart
