"""Cohorts on the progress table, and coordinators reminding the overdue in bulk."""

import datetime

import pytest
from django.urls import reverse

from onboarding.accounts.models import StudentStatus
from onboarding.checklists.errors import ChecklistError
from onboarding.checklists.models import AcademicSemester, OverdueReminder
from onboarding.checklists.selectors import Cohort, checklist_progress, coordinator_scope
from onboarding.checklists.services import overdue_reminders_send, progress_tick
from onboarding.live.models import Notification
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
# 10:00 in Oslo on 1 September 2026.
NOW = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def setup(tree):
    AcademicSemester.objects.create(year=2026, term="spring", starts_on=D(2026, 1, 12))
    AcademicSemester.objects.create(year=2026, term="autumn", starts_on=D(2026, 8, 17))
    checklist = checklist_create(
        tree["faculty_a"],
        title=("Velkommen", "Welcome"),
        items=[
            item_spec(("Møt koordinatoren", "Meet your coordinator"), 2),
            item_spec(("Ta HMS-kurset", "Take the lab safety course"), 5),
        ],
    )
    checklist.owner_unit = tree["faculty_a"]
    ana = student_create(faculty=tree["faculty_a"], arrival=D(2026, 8, 10), language="en")
    kari = student_create(
        faculty=tree["faculty_a"],
        arrival=D(2026, 8, 12),
        language="nb",
        status=StudentStatus.INTERNATIONAL_DEGREE,
    )
    old = student_create(faculty=tree["faculty_a"], arrival=D(2026, 1, 8), language="en")
    done = student_create(faculty=tree["faculty_a"], arrival=D(2026, 8, 10))
    for item in checklist.items.all():
        progress_tick(student=done, item=item)
    other = student_create(faculty=tree["faculty_b"], arrival=D(2026, 8, 10))
    coordinator = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=tree["faculty_a"], user=coordinator)
    outsider = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=tree["faculty_b"], user=outsider)
    return locals()


def progress(setup, cohort=None):
    return checklist_progress(
        checklist=setup["checklist"],
        scope=coordinator_scope(user=setup["coordinator"]),
        now=NOW,
        cohort=cohort,
    )


def emails(rows):
    return sorted(getattr(row, "user", row).email for row in rows)


def test_the_cohort_filters_by_semester_of_arrival_and_status(setup):
    everyone = progress(setup)
    assert len(everyone.students) == 4
    autumn = progress(setup, Cohort(semester="2026-autumn"))
    assert emails(autumn.students) == emails([setup["ana"], setup["kari"], setup["done"]])
    assert [row.student_count for row in autumn.items] == [3, 3]
    degree = progress(setup, Cohort(semester="2026-autumn", status="international_degree"))
    assert emails(degree.students) == [setup["kari"].email]
    spring = progress(setup, Cohort(semester="2026-spring"))
    assert emails(spring.students) == [setup["old"].email]


def remind(setup, students, **kwargs):
    return overdue_reminders_send(
        coordinator=setup["coordinator"],
        checklist_id=setup["checklist"].pk,
        student_ids={s.pk for s in students},
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def overdue_notes(user):
    return list(Notification.objects.filter(recipient=user, kind="checklist_items_overdue"))


def test_each_student_is_reminded_in_their_language(setup):
    result = remind(setup, [setup["ana"], setup["kari"], setup["done"]])
    assert (result.students, result.items, result.skipped) == (2, 4, 0)
    (english,) = overdue_notes(setup["ana"])
    assert "Meet your coordinator (overdue since" in english.body
    assert "overdue" in english.subject
    (norwegian,) = overdue_notes(setup["kari"])
    assert "Møt koordinatoren" in norwegian.body
    assert "forfalt" in norwegian.subject
    assert overdue_notes(setup["done"]) == []


def test_once_a_day_per_student_and_item_even_when_run_twice(setup):
    remind(setup, [setup["ana"]])
    again = remind(setup, [setup["ana"]], now=NOW + datetime.timedelta(hours=6))
    assert (again.students, again.skipped) == (0, 1)
    assert len(overdue_notes(setup["ana"])) == 1
    assert OverdueReminder.objects.filter(student=setup["ana"]).count() == 2
    # The next day in Oslo reminds again.
    remind(setup, [setup["ana"]], now=NOW + datetime.timedelta(days=1))
    assert len(overdue_notes(setup["ana"])) == 2


def test_a_new_overdue_item_is_reminded_the_same_day(setup):
    item = setup["checklist"].items.get(due_offset_days=5)
    progress_tick(student=setup["ana"], item=item)
    remind(setup, [setup["ana"]])
    from onboarding.checklists.services import progress_untick

    progress_untick(student=setup["ana"], item=item)
    again = remind(setup, [setup["ana"]], now=NOW + datetime.timedelta(hours=1))
    assert (again.students, again.items) == (1, 1)


def test_students_out_of_scope_or_cohort_are_left_out(setup):
    with pytest.raises(ChecklistError) as error:
        remind(setup, [setup["other"]])
    assert error.value.code == "nobody_to_remind"
    with pytest.raises(ChecklistError):
        remind(setup, [setup["old"]], cohort=Cohort(semester="2026-autumn"))
    assert not OverdueReminder.objects.exists()


def test_the_coordinator_of_another_faculty_is_refused(setup):
    with pytest.raises(ChecklistError) as error:
        overdue_reminders_send(
            coordinator=setup["outsider"],
            checklist_id=setup["checklist"].pk,
            student_ids={setup["ana"].pk},
            now=NOW,
        )
    assert error.value.code == "not_coordinator"
    assert not OverdueReminder.objects.exists()


def test_a_failure_sends_and_records_nothing(setup, monkeypatch):
    from onboarding.checklists import services

    calls = []

    def failing_notify(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("mail server down")
        return []

    monkeypatch.setattr(services, "notify", failing_notify)
    with pytest.raises(RuntimeError):
        remind(setup, [setup["ana"], setup["kari"]])
    assert not OverdueReminder.objects.exists()


def test_the_admin_confirms_before_sending(client, setup):
    client.force_login(setup["coordinator"])
    url = reverse("checklists_admin:checklist_remind", args=[setup["checklist"].pk])
    page = client.post(url, {"everyone": "1", "semester": "2026-autumn"})
    assert page.status_code == 200
    content = page.content.decode()
    assert setup["ana"].email in content or setup["ana"].get_full_name() in content
    assert not OverdueReminder.objects.exists()  # nothing sent yet
    sent = client.post(
        url,
        {
            "confirm": "1",
            "semester": "2026-autumn",
            "student": [setup["ana"].pk, setup["kari"].pk],
        },
    )
    assert sent.status_code == 302
    assert "semester=2026-autumn" in sent.url
    assert OverdueReminder.objects.filter(student=setup["ana"]).exists()
    assert OverdueReminder.objects.filter(student=setup["kari"]).exists()


def test_the_progress_page_filters_and_offers_the_reminder(client, setup):
    client.force_login(setup["coordinator"])
    url = reverse("checklists_admin:checklist", args=[setup["checklist"].pk])
    content = client.get(url, {"semester": "2026-spring"}).content.decode()
    assert 'value="2026-spring" selected' in content
    assert f'id="remind-{setup["old"].pk}"' in content
    assert f'id="remind-{setup["ana"].pk}"' not in content


def test_the_csv_is_of_the_filtered_cohort(client, setup):
    client.force_login(setup["coordinator"])
    url = reverse("checklists_admin:checklist_csv", args=[setup["checklist"].pk])
    text = client.get(url, {"semester": "2026-spring"}).content.decode("utf-8-sig")
    assert setup["old"].email in text
    assert setup["ana"].email not in text
