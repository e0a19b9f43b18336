"""The kinds of unit in the organisation chart, and where each kind may sit.

The page tree is the organisation chart: a unit's place in the tree says what
it belongs to. These rules mirror a real university and are checked when a
unit is created, edited (its kind) or moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UnitKind(models.TextChoices):
    INTERNATIONAL_SECTION = "international_section", _("International Section")
    FACULTY = "faculty", _("Faculty")
    DEPARTMENT = "department", _("Department")
    STUDENT_COUNCIL = "student_council", _("Student council")
    STUDENT_PARLIAMENT = "student_parliament", _("Student parliament")
    LINE_ASSOCIATION = "line_association", _("Line association")
    VOLUNTEER_GROUP = "volunteer_group", _("Volunteer group")
    LANGUAGE_CENTRE = "language_centre", _("Language centre")


# The order in which the directory and the matrix list the kinds.
KIND_ORDER = (
    UnitKind.INTERNATIONAL_SECTION,
    UnitKind.LANGUAGE_CENTRE,
    UnitKind.FACULTY,
    UnitKind.DEPARTMENT,
    UnitKind.STUDENT_PARLIAMENT,
    UnitKind.STUDENT_COUNCIL,
    UnitKind.LINE_ASSOCIATION,
    UnitKind.VOLUNTEER_GROUP,
)

# Directory headings, one per kind.
KIND_PLURALS: dict[str, StrOrPromise] = {
    UnitKind.INTERNATIONAL_SECTION: _("International Section"),
    UnitKind.LANGUAGE_CENTRE: _("Language centre"),
    UnitKind.FACULTY: _("Faculties"),
    UnitKind.DEPARTMENT: _("Departments"),
    UnitKind.STUDENT_PARLIAMENT: _("Student parliament"),
    UnitKind.STUDENT_COUNCIL: _("Student councils"),
    UnitKind.LINE_ASSOCIATION: _("Line associations"),
    UnitKind.VOLUNTEER_GROUP: _("Volunteer groups"),
}

# Kinds that can stand for "every unit of this kind" (a party in the
# responsibility matrix such as "each faculty").
KIND_EACH: dict[str, StrOrPromise] = {
    UnitKind.FACULTY: _("Each faculty"),
    UnitKind.DEPARTMENT: _("Each department"),
    UnitKind.STUDENT_COUNCIL: _("Each student council"),
    UnitKind.LINE_ASSOCIATION: _("Each line association"),
    UnitKind.VOLUNTEER_GROUP: _("Each volunteer group"),
}

# Where a unit can sit: the slot of its parent. A slot is the kind of the
# parent unit, or one of the two index pages.
DIRECTORY = "directory"
VOLUNTEER_INDEX = "volunteer_index"

ALLOWED_PARENTS: dict[str, set[str]] = {
    UnitKind.INTERNATIONAL_SECTION: {DIRECTORY},
    UnitKind.FACULTY: {DIRECTORY},
    UnitKind.STUDENT_PARLIAMENT: {DIRECTORY},
    UnitKind.DEPARTMENT: {UnitKind.FACULTY},
    UnitKind.STUDENT_COUNCIL: {UnitKind.FACULTY},
    UnitKind.LINE_ASSOCIATION: {UnitKind.FACULTY, UnitKind.DEPARTMENT},
    UnitKind.VOLUNTEER_GROUP: {VOLUNTEER_INDEX},
    UnitKind.LANGUAGE_CENTRE: {UnitKind.INTERNATIONAL_SECTION},
}

PLACEMENT_MESSAGES: dict[str, StrOrPromise] = {
    UnitKind.INTERNATIONAL_SECTION: _(
        "The International Section belongs directly under the unit directory."
    ),
    UnitKind.FACULTY: _("A faculty belongs directly under the unit directory."),
    UnitKind.STUDENT_PARLIAMENT: _(
        "The student parliament belongs directly under the unit directory."
    ),
    UnitKind.DEPARTMENT: _("A department belongs under a faculty."),
    UnitKind.STUDENT_COUNCIL: _("A student council belongs under a faculty."),
    UnitKind.LINE_ASSOCIATION: _("A line association belongs under a department or a faculty."),
    UnitKind.VOLUNTEER_GROUP: _("A volunteer group belongs under the volunteer groups index."),
    UnitKind.LANGUAGE_CENTRE: _("The language centre belongs under the International Section."),
}

# Kinds of which the whole site has one.
SITE_SINGLETONS: dict[str, StrOrPromise] = {
    UnitKind.INTERNATIONAL_SECTION: _("There is already an International Section: %(title)s."),
    UnitKind.STUDENT_PARLIAMENT: _("There is already a student parliament: %(title)s."),
    UnitKind.LANGUAGE_CENTRE: _("There is already a language centre: %(title)s."),
}
# Kinds of which a parent has at most one.
PARENT_SINGLETONS: dict[str, StrOrPromise] = {
    UnitKind.STUDENT_COUNCIL: _("This faculty already has a student council: %(title)s."),
}


def child_kinds(slot: str) -> list[UnitKind]:
    """The kinds of unit that may sit directly under a parent in ``slot``, in display order."""
    return [kind for kind in KIND_ORDER if slot in ALLOWED_PARENTS[kind]]


def may_sit_under(kind: str, slot: str) -> bool:
    return slot in ALLOWED_PARENTS.get(kind, set())
