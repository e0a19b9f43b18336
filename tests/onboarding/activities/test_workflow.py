"""Welcome week: events in a branch with a workflow wait for the International Section's approval."""

import pytest
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

from onboarding.activities.demo import welcome_week_workflow_ensure
from onboarding.activities.models import EventPage
from onboarding.units.services import international_staff_group_ensure
from tests.onboarding.activities.factories import event_create, series_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def welcome_week(unit):
    series = series_create(unit)
    workflow = welcome_week_workflow_ensure()
    WorkflowPage.objects.update_or_create(page=series, defaults={"workflow": workflow})
    return series


def test_the_workflow_has_one_approval_task_for_the_international_section(db):
    workflow = welcome_week_workflow_ensure()
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert list(task.groups.all()) == [international_staff_group_ensure()]
    assert welcome_week_workflow_ensure() == workflow
    assert Workflow.objects.filter(name=workflow.name).count() == 1


def test_a_units_editor_cannot_publish_in_the_branch_directly(welcome_week, editor):
    event = event_create(welcome_week, publish=False)
    permissions = event.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert permissions.can_submit_for_moderation()
    assert not welcome_week.permissions_for_user(editor).can_publish_subpage()


def test_outside_the_branch_the_units_editor_publishes(unit, editor):
    event = event_create(unit, publish=False)
    assert event.permissions_for_user(editor).can_publish()


def test_a_submitted_event_goes_live_when_the_section_approves(welcome_week, editor, section_staff):
    event = event_create(welcome_week, publish=False)
    EventPage.objects.filter(pk=event.pk).update(live=False)
    event.refresh_from_db()
    revision = event.save_revision(user=editor)
    state = welcome_week.get_workflow().start(event, editor)
    assert state.status == state.STATUS_IN_PROGRESS
    assert not EventPage.objects.get(pk=event.pk).live

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(event, section_staff)
    task_state.task.specific.on_action(task_state, section_staff, "approve")

    event = EventPage.objects.get(pk=event.pk)
    assert event.live
    assert event.live_revision_id == revision.pk


def test_the_section_staff_may_publish_directly(welcome_week, section_staff):
    event = event_create(welcome_week, publish=False)
    assert event.permissions_for_user(section_staff).can_publish()
