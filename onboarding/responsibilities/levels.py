"""Levels and roles of the responsibility matrix (RACI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Level(models.TextChoices):
    UNIVERSITY = "university", _("University level")
    FACULTY = "faculty", _("Faculty level")
    DEPARTMENT = "department", _("Department level")


LEVEL_ORDER = (Level.UNIVERSITY, Level.FACULTY, Level.DEPARTMENT)

# The level inside a sentence ("… at faculty level").
LEVEL_IN_SENTENCE: dict[str, StrOrPromise] = {
    Level.UNIVERSITY: _("university level"),
    Level.FACULTY: _("faculty level"),
    Level.DEPARTMENT: _("department level"),
}


class Role(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


# The order roles are shown in within one cell.
ROLE_ORDER = (Role.ACCOUNTABLE, Role.RESPONSIBLE, Role.CONSULTED, Role.INFORMED)

ROLE_DESCRIPTIONS: dict[str, StrOrPromise] = {
    Role.RESPONSIBLE: _("does the work"),
    Role.ACCOUNTABLE: _("owns the outcome and answers for it: exactly one at each level"),
    Role.CONSULTED: _("is asked before decisions are made"),
    Role.INFORMED: _("is kept up to date"),
}
