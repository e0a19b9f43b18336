"""The matrix rules, on plain rows: exactly one Accountable and at least one Responsible.

They hold for each area at each level in use (a level is in use when the
area has any assignment at it). The admin form and the services both check
a change with ``rule_violations`` before anything is saved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .levels import LEVEL_IN_SENTENCE, LEVEL_ORDER, Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Row:
    """One assignment as the rules see it: ``party`` is any hashable naming who holds the role."""

    level: str
    role: str
    party: Hashable
    party_label: str = ""


@dataclass(frozen=True)
class Violation:
    code: str
    level: str
    message: str


def _level_text(level: str) -> StrOrPromise:
    return LEVEL_IN_SENTENCE.get(level, level)


def rule_violations(*, area_name: str, rows: Sequence[Row]) -> list[Violation]:
    """The broken rules of one area's assignments ``rows``, in level order, each with a message.

    Codes: ``no_accountable``, ``several_accountable``, ``no_responsible``
    and ``duplicate`` (one party holding one role twice at one level).
    """
    violations: list[Violation] = []
    levels = sorted({row.level for row in rows}, key=_level_rank)
    for level in levels:
        at_level = [row for row in rows if row.level == level]
        params = {"area": area_name, "level": _level_text(level)}
        accountable = sum(1 for row in at_level if row.role == Role.ACCOUNTABLE)
        if accountable == 0:
            violations.append(
                Violation(
                    "no_accountable",
                    level,
                    _('No Accountable for "%(area)s" at %(level)s: give exactly one.') % params,
                )
            )
        elif accountable > 1:
            violations.append(
                Violation(
                    "several_accountable",
                    level,
                    _('%(count)s Accountable for "%(area)s" at %(level)s: give exactly one.')
                    % {**params, "count": accountable},
                )
            )
        if not any(row.role == Role.RESPONSIBLE for row in at_level):
            violations.append(
                Violation(
                    "no_responsible",
                    level,
                    _('No Responsible for "%(area)s" at %(level)s: give at least one.') % params,
                )
            )
        counts = Counter((row.party, row.role) for row in at_level)
        for (party, role), count in counts.items():
            if count > 1:
                label = next(r.party_label for r in at_level if r.party == party) or str(party)
                violations.append(
                    Violation(
                        "duplicate",
                        level,
                        _('%(party)s is %(role)s twice for "%(area)s" at %(level)s.')
                        % {**params, "party": label, "role": Role(role).label},
                    )
                )
    return violations


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
