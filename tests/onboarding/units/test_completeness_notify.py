"""The monthly reminder: each unit below the threshold tells its editors once a month, in
their own language, with a link to its report."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from onboarding.live.models import Notification
from onboarding.units.completeness_models import CompletenessNotice
from onboarding.units.completeness_services import COMPLETENESS_KIND, completeness_notify
from onboarding.units.models import UnitPage
from onboarding.units.services import unit_editor_add
from onboarding.units.tasks import completeness_notify_task
from tests.factories import StaffFactory

from .completeness_factories import page_add

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 8))


@pytest.fixture
def choir(tree):
    """The choir: its page and one page in Norwegian only (50 %), with two editors."""
    unit = UnitPage.objects.get(pk=tree["choir"].pk)
    page_add(unit, en=False)
    unit.editors = []
    for language in ("nb", "en"):
        editor = StaffFactory(language=language)
        unit_editor_add(unit=unit, user=editor)
        unit.editors.append(editor)
    return unit


def sent(kind=COMPLETENESS_KIND):
    return Notification.objects.filter(kind=kind)


def test_a_unit_below_the_threshold_tells_each_editor_in_their_language(choir):
    result = completeness_notify(now=at(2026, 11, 1))

    assert result.notified == 1
    notifications = {n.recipient_id: n for n in sent()}
    assert set(notifications) == {editor.pk for editor in choir.editors}
    nb, en = (notifications[editor.pk] for editor in choir.editors)
    assert "Studentkoret" in nb.subject and "50 %" in nb.subject
    assert "Student Choir" in en.subject and "50 %" in en.subject
    assert "norsk og engelsk" in nb.body
    assert "Norwegian and English" in en.body
    assert nb.url == en.url == reverse("units_admin:completeness_unit", args=[choir.pk])
    notice = CompletenessNotice.objects.get(unit=choir)
    assert notice.month == datetime.date(2026, 11, 1)
    assert notice.recipients == 2 and notice.share == pytest.approx(0.5)


def test_a_second_run_in_the_month_sends_nothing_and_the_next_month_again(choir):
    completeness_notify(now=at(2026, 11, 1))

    again = completeness_notify(now=at(2026, 11, 28))
    assert again.notified == 0 and sent().count() == 2

    next_month = completeness_notify(now=at(2026, 12, 1))
    assert next_month.notified == 1 and sent().count() == 4
    assert CompletenessNotice.objects.filter(unit=choir).count() == 2


def test_units_at_or_above_the_threshold_and_units_without_editors_are_not_told(tree, choir):
    with override_settings(COMPLETENESS_THRESHOLD=0.5):
        assert completeness_notify(now=at(2026, 11, 1)).notified == 0
    # Units without editors are below 100 % (none of the tree's other units has pages in
    # one language) only if they have such pages: give the buddies one, without editors.
    page_add(UnitPage.objects.get(pk=tree["buddies"].pk), nb=False)

    result = completeness_notify(now=at(2026, 11, 2), threshold=1.0)

    assert result.notified == 1 and result.below == 2
    assert set(sent().values_list("recipient_id", flat=True)) == {e.pk for e in choir.editors}
    assert not CompletenessNotice.objects.filter(unit=tree["buddies"].pk).exists()


def test_a_failure_while_notifying_keeps_no_claim(choir, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("onboarding.units.completeness_services.notify", broken)
    with pytest.raises(RuntimeError):
        completeness_notify(now=at(2026, 11, 1))
    assert not CompletenessNotice.objects.exists()
    monkeypatch.undo()

    assert completeness_notify(now=at(2026, 11, 1)).notified == 1


def test_the_command_runs_the_reminder(choir, capsys):
    call_command("completeness_notify")

    assert "1 reminded" in capsys.readouterr().out
    assert sent().count() == 2


def test_the_task_does_the_same_work(choir):
    result = completeness_notify_task.enqueue()

    assert result.return_value == {"below": 1, "notified": 1}
    assert sent().count() == 2
