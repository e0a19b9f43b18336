"""On PostgreSQL: two reminder runs at the same moment tell each unit's editors once."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from onboarding.live.models import Notification
from onboarding.units.completeness_models import CompletenessNotice
from onboarding.units.completeness_services import COMPLETENESS_KIND, completeness_notify
from onboarding.units.services import unit_editor_add
from tests.factories import StaffFactory

from .completeness_factories import page_add
from .factories import unit_tree

pytestmark = [pytest.mark.stack, pytest.mark.postgres]

UNITS = ("faculty_a", "faculty_b", "department_a", "council_a", "buddies", "choir")


def run_together(works):
    barrier = threading.Barrier(len(works))
    results, errors = [], []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_tell_each_unit_once(site_tree):
    tree = unit_tree(site_tree["home"])
    editors = []
    for key in UNITS:
        page_add(tree[key], en=False)
        editor = StaffFactory()
        unit_editor_add(unit=tree[key], user=editor)
        editors.append(editor)
    now = timezone.make_aware(datetime.datetime(2026, 11, 1, 8))

    results, errors = run_together(
        [lambda: completeness_notify(now=now, threshold=0.99).notified for _ in range(3)]
    )

    assert errors == []
    assert sum(results) == len(UNITS)
    assert CompletenessNotice.objects.count() == len(UNITS)
    notified = list(
        Notification.objects.filter(kind=COMPLETENESS_KIND).values_list("recipient_id", flat=True)
    )
    assert sorted(notified) == sorted(editor.pk for editor in editors)
