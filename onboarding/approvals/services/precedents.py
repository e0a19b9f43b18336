"""Writes of earlier decisions (precedents): made by staff, by an import, or by an approved line.

A decision is written whole, inside one transaction: the decision, its
foreign courses and its home courses, and its search text. A refusal raises
``ApprovalError`` with a code and a translated message and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.search.index import insert_or_update_object

from onboarding.dates import in_range, out_of_range_message
from onboarding.exchange.models import StudyLevel

from ..errors import ApprovalError
from ..models import (
    CourseApproval,
    ForeignCourse,
    HomeCourse,
    HomeKind,
    PrecedentSource,
    default_valid_until,
)
from ..permissions import may_edit_precedent_unit

if TYPE_CHECKING:
    from onboarding.accounts.models import User
    from onboarding.exchange.models import Institution, IscedField
    from onboarding.units.models import UnitPage

FOREIGN_FIELDS = ("code", "title", "ects", "level", "url", "taught")
HOME_FIELDS = ("kind", "code", "title_nb", "title_en", "elective_level", "elective_field", "ects")


def search_text(approval: CourseApproval) -> str:
    """The lower-case words a decision is found by: both sides, both languages, the partner."""
    institution = approval.institution
    parts: list[str] = [
        institution.schac_code,
        getattr(institution, "name_nb", "") or "",
        getattr(institution, "name_en", "") or "",
        institution.city,
        approval.note,
    ]
    if approval.isced_id:
        parts.append(str(approval.isced_id))
    for course in approval.foreign_courses.all():
        parts += [course.code, course.title]
    for home in approval.home_courses.all():
        parts += [home.code, home.title_nb or "", home.title_en or ""]
        if home.elective_field_id:
            parts.append(str(home.elective_field_id))
    return " ".join(part.strip().lower() for part in parts if part and part.strip())


def _ects(value: Any, *, side: str, index: int) -> Decimal:
    try:
        ects = Decimal(str(value))
    except (InvalidOperation, ValueError):
        ects = Decimal(0)
    if not Decimal("0.5") <= ects <= Decimal(120) or ects != ects.quantize(Decimal("0.1")):
        raise ApprovalError(
            code="invalid_ects",
            message=_("Give the ECTS credits of every course as a number from 0.5 to 120."),
            field=f"{side}-{index}-ects",
        )
    return ects


def _foreign(rows: Sequence[Mapping[str, Any]]) -> list[ForeignCourse]:
    if not rows:
        raise ApprovalError(
            code="no_foreign_course", message=_("Add at least one course abroad."), field="foreign"
        )
    courses = []
    for index, row in enumerate(rows):
        code, title = str(row.get("code", "")).strip(), str(row.get("title", "")).strip()
        if not code or not title:
            raise ApprovalError(
                code="foreign_incomplete",
                message=_("Give the code and the title of every course abroad."),
                field=f"foreign-{index}",
            )
        course = ForeignCourse(
            code=code,
            title=title,
            ects=_ects(row.get("ects"), side="foreign", index=index),
            level=row.get("level") or StudyLevel.BACHELOR,
            url=str(row.get("url") or "").strip(),
            taught=row.get("taught") or "",
            sort_order=index,
        )
        courses.append(course)
    return courses


def _home(rows: Sequence[Mapping[str, Any]]) -> list[HomeCourse]:
    if not rows:
        raise ApprovalError(
            code="no_home_course",
            message=_("Say what the courses abroad count as: a course of ours or an elective."),
            field="home",
        )
    courses = []
    for index, row in enumerate(rows):
        kind = row.get("kind") or HomeKind.COURSE
        home = HomeCourse(kind=kind, ects=_ects(row.get("ects"), side="home", index=index))
        home.sort_order = index
        if kind == HomeKind.COURSE:
            code = str(row.get("code", "")).strip()
            title_nb = str(row.get("title_nb", "") or "").strip()
            title_en = str(row.get("title_en", "") or "").strip()
            if not code or not (title_nb or title_en):
                raise ApprovalError(
                    code="home_incomplete",
                    message=_("Give the code and the title of every course of ours."),
                    field=f"home-{index}",
                )
            home.code = code
            home.title_nb = title_nb or title_en
            home.title_en = title_en or title_nb
        elif kind == HomeKind.ELECTIVE:
            level = row.get("elective_level") or ""
            field = row.get("elective_field")
            if not level or field is None:
                raise ApprovalError(
                    code="elective_incomplete",
                    message=_("Give the level and the subject area of an elective."),
                    field=f"home-{index}",
                )
            home.elective_level = level
            home.elective_field = field
            home.title_nb = home.title_en = ""
        else:
            raise ApprovalError(
                code="home_kind", message=_("Choose what the courses count as."), field="home"
            )
        courses.append(home)
    return courses


def _check_dates(decided_on: datetime.date, valid_until: datetime.date) -> None:
    if not in_range(decided_on) or not in_range(valid_until):
        raise ApprovalError(code="date_out_of_range", message=out_of_range_message())
    if valid_until < decided_on:
        raise ApprovalError(
            code="valid_before_decided",
            message=_("A decision cannot expire before it was made."),
            field="valid_until",
        )


def precedent_check(
    *,
    decided_on: datetime.date,
    foreign: Sequence[Mapping[str, Any]],
    home: Sequence[Mapping[str, Any]],
    valid_until: datetime.date | None = None,
    deciding_unit: UnitPage | None = None,
    user: User | None = None,
) -> tuple[list[ForeignCourse], list[HomeCourse], datetime.date]:
    """Check a decision as ``precedent_create`` does, writing nothing.

    Returns its foreign and home courses (unsaved, without their decision) and its
    ``valid_until`` (five years after ``decided_on`` unless given). Raises
    ``ApprovalError``: ``forbidden`` when ``user`` does not keep ``deciding_unit``'s
    decisions, ``date_out_of_range``, ``valid_before_decided``, ``no_foreign_course``,
    ``foreign_incomplete``, ``no_home_course``, ``home_incomplete``,
    ``elective_incomplete``, ``home_kind``, ``invalid_ects`` or ``invalid_course``.
    """
    if (
        user is not None
        and deciding_unit is not None
        and not may_edit_precedent_unit(user=user, unit=deciding_unit)
    ):
        raise ApprovalError(
            code="forbidden",
            message=_("You do not keep this unit's earlier decisions."),
            field="deciding_unit",
        )
    valid_until = valid_until or default_valid_until(decided_on)
    _check_dates(decided_on, valid_until)
    foreign_courses = _foreign(foreign)
    home_courses = _home(home)
    try:
        for course in foreign_courses:
            course.full_clean(exclude=["approval"])
        for home_course in home_courses:
            home_course.full_clean(exclude=["approval", "elective_field"])
    except ValidationError as error:
        raise ApprovalError(
            code="invalid_course", message=" ".join(error.messages), errors=error
        ) from error
    return foreign_courses, home_courses, valid_until


@transaction.atomic
def precedent_create(
    *,
    institution: Institution,
    deciding_unit: UnitPage,
    decided_on: datetime.date,
    foreign: Sequence[Mapping[str, Any]],
    home: Sequence[Mapping[str, Any]],
    valid_until: datetime.date | None = None,
    isced: IscedField | None = None,
    note: str = "",
    source: str = PrecedentSource.MANUAL,
    import_key: str | None = None,
    user: User | None = None,
) -> CourseApproval:
    """Record one decision: ``foreign`` courses (a combination when several) count as ``home``.

    ``foreign`` rows hold ``code``, ``title``, ``ects`` and optionally ``level``,
    ``url``, ``taught``; ``home`` rows hold ``kind`` (course or elective), then
    ``code``, ``title_nb``, ``title_en`` for a course or ``elective_level`` and
    ``elective_field`` (an ``IscedField``) for an elective, and ``ects``.
    ``valid_until`` defaults to five years after ``decided_on``. ``user`` None is
    the system (an import, an approved case line); otherwise the user must keep
    the deciding unit's decisions. Raises ``ApprovalError`` (see ``precedent_check``).
    """
    foreign_courses, home_courses, valid_until = precedent_check(
        decided_on=decided_on,
        foreign=foreign,
        home=home,
        valid_until=valid_until,
        deciding_unit=deciding_unit,
        user=user,
    )
    approval = CourseApproval(
        institution=institution,
        deciding_unit=deciding_unit,
        decided_on=decided_on,
        valid_until=valid_until,
        isced=isced,
        note=note.strip(),
        source=source,
        import_key=import_key,
    )
    approval.save()
    for course in foreign_courses:
        course.approval = approval
    for home_course in home_courses:
        home_course.approval = approval
    ForeignCourse.objects.bulk_create(foreign_courses)
    HomeCourse.objects.bulk_create(home_courses)
    approval.search_text = search_text(approval)
    CourseApproval.objects.filter(pk=approval.pk).update(search_text=approval.search_text)
    # The save above indexed the decision before its courses existed: index it whole.
    insert_or_update_object(approval)
    return approval


@transaction.atomic
def precedent_search_text_refresh(*, approval: CourseApproval) -> CourseApproval:
    """Rebuild a decision's search text and its site-search entry after its courses or partner
    changed (admin edits)."""
    approval.search_text = search_text(approval)
    CourseApproval.objects.filter(pk=approval.pk).update(search_text=approval.search_text)
    insert_or_update_object(approval)
    return approval
