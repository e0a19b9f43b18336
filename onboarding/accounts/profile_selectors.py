"""Reads of student profiles, and the unit tree a profile chooses its faculty and department from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onboarding.units.models import UnitPage

from .models import StudentProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def profile_get(*, user: User | AnonymousUser | None) -> StudentProfile | None:
    """The student profile of ``user`` with its faculty and department, or None."""
    if user is None or not user.is_authenticated:
        return None
    return StudentProfile.objects.select_related("faculty", "department").filter(user=user).first()


def profile_exists(*, user: User | AnonymousUser | None) -> bool:
    """Whether ``user`` has filled in their profile."""
    if user is None or not user.is_authenticated:
        return False
    return StudentProfile.objects.filter(user=user).exists()


def profile_faculty_choices() -> list[UnitPage]:
    """The live faculties, in tree order."""
    return list(UnitPage.objects.live().public().filter(kind="faculty").order_by("path"))


def profile_department_choices() -> list[UnitPage]:
    """The live departments, in tree order (a department sits under its faculty)."""
    return list(UnitPage.objects.live().public().filter(kind="department").order_by("path"))


def unit_tree_for_profile() -> tuple[list[UnitPage], dict[int, list[UnitPage]]]:
    """(faculties, departments by faculty id) for the profile form, in two queries."""
    faculties = profile_faculty_choices()
    by_path = {faculty.path: faculty for faculty in faculties}
    departments: dict[int, list[UnitPage]] = {faculty.pk: [] for faculty in faculties}
    for department in profile_department_choices():
        for path, faculty in by_path.items():
            if department.path.startswith(path):
                departments[faculty.pk].append(department)
                break
    return faculties, departments
