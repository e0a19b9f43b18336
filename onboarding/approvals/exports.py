"""A learning agreement as EWP-shaped JSON: an outgoing-mobility learning agreement.

The shape follows the Erasmus Without Paper "Outgoing Mobility Learning
Agreements" API (``omobility-las``, its ``la`` element), written as JSON with
the same element names (docs/approvals.md, "The EWP JSON", has the mapping):

- ``sending-hei`` is us (``settings.OWN_SCHAC_CODE``), with the unit that
  handled the case; ``receiving-hei`` the partner, by its SCHAC code;
- ``first-version`` is the decided pre-approval case: its approved lines'
  courses abroad in ``components-studied`` (table A) and the home courses
  they replace in ``components-recognized`` (table B);
- ``approved-changes`` is every decided change since, as components
  ``inserted`` or ``deleted`` with the change's reason;
- ``changes-proposal`` is the approved changes and those still open (draft or
  being handled), as EWP lists the whole set of changes a proposal would make
  the agreement; its ``id`` changes exactly when its content does.

Signatures are the steps that stand for them here: the student's when the
case was submitted, the sending institution's when it was decided (by the
adviser). The receiving institution signs outside this site, so its
signature is left empty.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onboarding.exchange.exports import EQF_LEVEL, TERMS
from onboarding.exchange.models import StudyLevel

from .models import CaseStatus, HomeKind, LineHomeCourse, PreApprovalCase
from .selectors.agreements import AgreementGroup, AgreementTables, ChangeView, agreement_tables

if TYPE_CHECKING:
    from onboarding.accounts.models import User

FORMAT_NAME = "velkommen-ewp-omobility-la"
FORMAT_VERSION = 1
SIGNER_APP = "Velkommen"
# The months a semester is taken to run, for EWP's start and end (year-month).
SEASON_MONTHS = {"autumn": (8, 12), "spring": (1, 6)}


def _moment(value: datetime.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() if value else None


def _credit(ects: Decimal) -> list[dict[str, Any]]:
    return [{"scheme": "ects", "value": float(ects)}]


def _term(case: PreApprovalCase) -> dict[str, int]:
    return dict(TERMS[case.season])


def _home_title(home: LineHomeCourse) -> str:
    """The title of a home course in English, as EWP prefers (the Norwegian one without it)."""
    if home.kind == HomeKind.ELECTIVE:
        with translation.override("en"):
            field = home.elective_field.name if home.elective_field else ""
            return _("Elective at %(level)s level in %(field)s") % {
                "level": home.get_elective_level_display(),
                "field": field,
            }
    return home.title_en or home.title_nb or home.code


def _studied(group: AgreementGroup, case: PreApprovalCase) -> list[dict[str, Any]]:
    return [
        {
            "los-code": course.code,
            "title": course.title,
            "term-id": _term(case),
            "credit": _credit(course.ects),
        }
        for course in group.foreign
    ]


def _recognized(group: AgreementGroup, case: PreApprovalCase) -> list[dict[str, Any]]:
    rows = []
    for home in group.home:
        row: dict[str, Any] = {
            "los-code": home.code or None,
            "title": _home_title(home),
            "term-id": _term(case),
            "credit": _credit(home.ects),
        }
        if group.conditions:
            row["recognition-conditions"] = group.conditions
        rows.append(row)
    return rows


def _changed(components: list[dict[str, Any]], status: str, reason: str) -> list[dict[str, Any]]:
    return [{"status": status, "reason-text": reason, **component} for component in components]


def _change_components(
    change: ChangeView, case: PreApprovalCase, *, approved_only: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(studied, recognized) components a change inserts and deletes."""
    studied: list[dict[str, Any]] = []
    recognized: list[dict[str, Any]] = []
    reason = change.case.reason
    for line, group in change.drops:
        if group is None or (approved_only and not line.approved):
            continue
        studied += _changed(_studied(group, case), "deleted", reason)
        recognized += _changed(_recognized(group, case), "deleted", reason)
    for group in change.adds:
        if approved_only and not group.line.approved:
            continue
        studied += _changed(_studied(group, case), "inserted", reason)
        recognized += _changed(_recognized(group, case), "inserted", reason)
    return studied, recognized


def _unit_name(case: PreApprovalCase) -> str | None:
    """The unit that handled the case, in English as EWP prefers (else in Norwegian)."""
    unit = case.unit
    if unit is None:
        return None
    return getattr(unit, "title_en", "") or getattr(unit, "title_nb", "") or unit.title


def _person(user: User) -> dict[str, str]:
    return {"given-names": user.first_name, "family-name": user.last_name, "email": user.email}


def _signatures(case: PreApprovalCase, *, decided: bool) -> dict[str, Any]:
    adviser = case.adviser
    sending = None
    if decided and case.decided_at:
        sending = {
            "signer-name": (adviser.legal_name or adviser.display_name) if adviser else None,
            "signer-position": _unit_name(case),
            "signer-email": adviser.email if adviser else None,
            "timestamp": _moment(case.decided_at),
            "signer-app": SIGNER_APP,
        }
    return {
        "student-signature": {
            "timestamp": _moment(case.submitted_at),
            "signer-app": SIGNER_APP,
        },
        "sending-hei-signature": sending,
        "receiving-hei-signature": None,
    }


def _academic_year(case: PreApprovalCase) -> str:
    """The academic year of the stay as EWP names it: autumn 2027 and spring 2028 are 2027/2028."""
    start = case.year if case.season == "autumn" else case.year - 1
    return f"{start}/{start + 1}"


def _year_month(case: PreApprovalCase, index: int) -> str:
    return f"{case.year:04d}-{SEASON_MONTHS[case.season][index]:02d}"


def _proposal_id(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:40].upper()


def learning_agreement_ewp(
    *,
    case: PreApprovalCase,
    tables: AgreementTables | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The learning agreement of the pre-approval ``case`` as an EWP ``la`` in JSON.

    ``case`` should come with its agreement's institution, programme, student,
    unit and adviser fetched; pass ``tables`` when they are read already.
    """
    tables = tables or agreement_tables(case=case)
    case = tables.case
    institution = case.agreement.institution
    programme = case.programme
    student, adviser = case.student, case.adviser
    agreement = tables.agreement
    decided = case.status == CaseStatus.DECIDED

    first_version = None
    if decided:
        studied: list[dict[str, Any]] = []
        recognized: list[dict[str, Any]] = []
        for group in tables.first_version:
            studied += _studied(group, case)
            recognized += _recognized(group, case)
        first_version = {
            "components-studied": studied,
            "components-recognized": recognized,
            **_signatures(case, decided=True),
        }

    approved_studied: list[dict[str, Any]] = []
    approved_recognized: list[dict[str, Any]] = []
    last_approved = None
    for change in tables.changes:
        if not change.applied:
            continue
        studied, recognized = _change_components(change, case, approved_only=True)
        approved_studied += studied
        approved_recognized += recognized
        last_approved = change.case
    approved_changes = None
    if last_approved is not None:
        approved_changes = {
            "components-studied": approved_studied,
            "components-recognized": approved_recognized,
            **_signatures(last_approved, decided=True),
        }

    changes_proposal = None
    open_changes = [change for change in tables.pending if change.case.submitted_at]
    if open_changes:
        studied, recognized = list(approved_studied), list(approved_recognized)
        for change in open_changes:
            more_studied, more_recognized = _change_components(change, case, approved_only=False)
            studied += more_studied
            recognized += more_recognized
        content: dict[str, Any] = {
            "components-studied": studied,
            "components-recognized": recognized,
        }
        changes_proposal = {
            "id": _proposal_id(content),
            **content,
            **_signatures(open_changes[-1].case, decided=False),
        }

    la = {
        "omobility-id": f"velkommen-case-{case.pk}",
        "sending-hei": {
            "hei-id": settings.OWN_SCHAC_CODE,
            "ounit-name": _unit_name(case),
            "contact-person": _person(adviser) if adviser else None,
        },
        # The partner's contact person is the partner's to give: not known here.
        "receiving-hei": {"hei-id": institution.schac_code, "contact-person": None},
        "receiving-academic-year-id": _academic_year(case),
        "student": _person(student),
        "start-year-month": _year_month(case, 0),
        "end-year-month": _year_month(case, 1),
        "eqf-level-studied-at-departure": EQF_LEVEL.get(StudyLevel(programme.level))
        if programme
        else None,
        "isced-f-code": programme.isced_id if programme else None,
        "isced-clarification": programme.name if programme else None,
        "student-language-skill": {
            "language": (agreement.language if agreement else "") or None,
            "cefr-level": (agreement.cefr if agreement else "") or None,
        },
        "first-version": first_version,
        "approved-changes": approved_changes,
        "changes-proposal": changes_proposal,
    }
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated": _moment(now or timezone.now()),
        "la": la,
    }
