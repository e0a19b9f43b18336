"""CEFR levels as the courses use them: their order, the levels courses teach, the next level.

The levels are the student profile's (``accounts.NorwegianLevel``): "none"
and A1 to C2. Courses are taught from A1 to C1.
"""

from onboarding.accounts.models import NorwegianLevel

LEVEL_ORDER = (
    NorwegianLevel.NONE,
    NorwegianLevel.A1,
    NorwegianLevel.A2,
    NorwegianLevel.B1,
    NorwegianLevel.B2,
    NorwegianLevel.C1,
    NorwegianLevel.C2,
)
COURSE_LEVELS = LEVEL_ORDER[1:6]
COURSE_LEVEL_CHOICES = [(level.value, level.label) for level in COURSE_LEVELS]


def level_rank(level):
    """0 for no Norwegian, 1 for A1 ... 6 for C2; unknown values count as none."""
    try:
        return LEVEL_ORDER.index(level)
    except ValueError:
        return 0


def level_label(level):
    return NorwegianLevel(level).label if level in NorwegianLevel.values else ""


def next_level(level):
    """The level to learn after ``level`` (A1 after none), or None after C2."""
    rank = level_rank(level)
    return LEVEL_ORDER[rank + 1] if rank + 1 < len(LEVEL_ORDER) else None


def highest(*levels):
    """The highest of the given levels (None and "" ignored), or None when none is given."""
    given = [level for level in levels if level]
    return max(given, key=level_rank) if given else None
