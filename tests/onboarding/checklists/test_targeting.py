"""Items targeted by profile fields: status, EU/EEA or not, home country, programme."""

import datetime

import pytest

from onboarding.accounts.models import StudentProfile, StudentStatus
from onboarding.checklists.errors import ChecklistError
from onboarding.checklists.models import ChecklistItem, Region
from onboarding.checklists.selectors import (
    checklist_progress,
    coordinator_scope,
    item_applies,
    item_missing_fields,
    plan_get,
    plan_item_ids,
)
from onboarding.checklists.services import progress_tick
from tests.factories import UserFactory

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db


def profile(**fields):
    values = {"status": StudentStatus.INCOMING_EXCHANGE, "home_country": "DE", "programme": ""}
    values.update(fields)
    return StudentProfile(**values)


def item(**fields):
    return ChecklistItem(**fields)


@pytest.mark.parametrize(
    ("conditions", "student", "applies"),
    [
        ({}, {}, True),
        ({"target_region": Region.EU_EEA}, {"home_country": "DE"}, True),
        ({"target_region": Region.EU_EEA}, {"home_country": "NO"}, True),
        ({"target_region": Region.EU_EEA}, {"home_country": "CH"}, True),
        ({"target_region": Region.EU_EEA}, {"home_country": "BR"}, False),
        ({"target_region": Region.OUTSIDE}, {"home_country": "BR"}, True),
        ({"target_region": Region.OUTSIDE}, {"home_country": "IS"}, False),
        ({"target_region": Region.OUTSIDE}, {"home_country": "GB"}, True),
        ({"target_countries": ["IN", "CN"]}, {"home_country": "IN"}, True),
        ({"target_countries": ["IN", "CN"]}, {"home_country": "DE"}, False),
        ({"target_statuses": ["phd"]}, {"status": "phd"}, True),
        ({"target_statuses": ["phd"]}, {}, False),
        ({"target_programme": "PhD"}, {"programme": "PhD in Physics"}, True),
        ({"target_programme": "phd"}, {"programme": "Master in Physics"}, False),
        # Combined: every condition must hold.
        (
            {"target_region": Region.OUTSIDE, "target_statuses": ["international_degree"]},
            {"home_country": "BR", "status": "international_degree"},
            True,
        ),
        (
            {"target_region": Region.OUTSIDE, "target_statuses": ["international_degree"]},
            {"home_country": "BR", "status": "incoming_exchange"},
            False,
        ),
        (
            {"target_region": Region.OUTSIDE, "target_countries": ["IN"]},
            {"home_country": "CN"},
            False,
        ),
        # A condition on an empty field does not hold.
        ({"target_region": Region.OUTSIDE}, {"home_country": ""}, False),
        ({"target_programme": "PhD"}, {"programme": ""}, False),
    ],
)
def test_conditions_alone_and_combined(conditions, student, applies):
    assert item_applies(item=item(**conditions), profile=profile(**student)) is applies


def test_missing_fields_name_what_to_fill_in():
    targeted = item(target_region=Region.EU_EEA, target_programme="PhD")
    assert item_missing_fields(item=targeted, profile=profile(home_country="")) == (
        "home_country",
        "programme",
    )
    assert item_missing_fields(item=item(), profile=profile(home_country="")) == ()


@pytest.fixture
def permit_checklist(tree):
    return checklist_create(
        tree["section"],
        items=[
            item_spec("Apply for a residence permit", -45, target_region=Region.OUTSIDE),
            item_spec("Register with the immigration authority", -20, target_region=Region.EU_EEA),
            item_spec("Collect your student card", 2),
        ],
    )


def test_the_plan_shows_only_what_applies(permit_checklist):
    outside = student_create(home_country="BR")
    inside = student_create(home_country="IT")
    unknown = student_create()
    assert [e.item.title_en for e in plan_get(user=outside).items] == [
        "Apply for a residence permit",
        "Collect your student card",
    ]
    assert [e.item.title_en for e in plan_get(user=inside).items] == [
        "Register with the immigration authority",
        "Collect your student card",
    ]
    plan = plan_get(user=unknown)
    assert [e.item.title_en for e in plan.items] == ["Collect your student card"]
    assert plan.missing_fields == {"home_country": 2}


def test_a_student_cannot_tick_an_item_not_meant_for_them(permit_checklist):
    inside = student_create(home_country="IT")
    permit = permit_checklist.items.get(title_en="Apply for a residence permit")
    assert permit.pk not in plan_item_ids(user=inside)
    with pytest.raises(ChecklistError):
        progress_tick(student=inside, item=permit)


def test_the_dashboard_counts_only_those_an_item_applies_to(permit_checklist):
    outside = student_create(home_country="BR", arrival=datetime.date(2026, 8, 10))
    student_create(home_country="IT", arrival=datetime.date(2026, 8, 10))
    permit = permit_checklist.items.get(title_en="Apply for a residence permit")
    progress_tick(student=outside, item=permit)
    staff = UserFactory(is_superuser=True)
    permit_checklist.owner_unit = permit_checklist.get_parent().specific
    progress = checklist_progress(
        checklist=permit_checklist,
        scope=coordinator_scope(user=staff),
        now=datetime.datetime(2026, 8, 20, 12, tzinfo=datetime.UTC),
    )
    rows = {row.item.title_en: row for row in progress.items}
    assert rows["Apply for a residence permit"].student_count == 1
    assert rows["Apply for a residence permit"].percent == 100
    assert rows["Register with the immigration authority"].student_count == 1
    assert rows["Register with the immigration authority"].overdue_count == 1
    assert rows["Collect your student card"].student_count == 2
    assert sorted(row.total for row in progress.students) == [2, 2]
    assert progress.percent == 25  # 1 of 4 items that apply
