"""Retention of stays abroad: the personal fields of a stay go ``STAY_RETENTION_DAYS`` after its
end, with the personal answers of its safety checks, and nothing else; the command, the task,
the log line; the personal-data register and deleting an account."""

import datetime
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.privacy.register import personal_data_register
from onboarding.privacy.services import account_erase, retention_apply
from onboarding.stays.models import Crisis, PlanBCourse, SafetyCheck, StayAbroad
from onboarding.stays.services.registry import stays_erase_expired
from onboarding.stays.tasks import stays_retention_task

from .factories import stay_make

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 3, 20))
TODAY = timezone.localdate(NOW)


def ended(student, days_ago, **fields):
    """A stay that ended ``days_ago`` days before TODAY, with a second contact and a course."""
    ends = TODAY - datetime.timedelta(days=days_ago)
    stay = stay_make(
        student,
        starts_on=ends - datetime.timedelta(days=120),
        ends_on=ends,
        second_name="Ola Nordmann",
        second_phone="+47 911 11 111",
        second_email="ola@example.test",
        **fields,
    )
    PlanBCourse.objects.create(stay=stay, code="DAT100", title="Databases", ects="7.5")
    return stay


def check_for(stay, duty_officer, message="Vi er i sikkerhet."):
    crisis = Crisis.objects.create(
        title_en="Flood",
        title_nb="Flom",
        message_en="Are you safe?",
        message_nb="Er du trygg?",
        duty_officer=duty_officer,
    )
    return SafetyCheck.objects.create(
        crisis=crisis,
        student=stay.student,
        stay=stay,
        answer="safe",
        message=message,
        answer_count=1,
        answered_at=NOW,
    )


def values(stay):
    return StayAbroad.objects.values().get(pk=stay.pk)


def test_a_stay_past_its_days_loses_exactly_its_personal_fields(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    stay = ended(tree["cs_student"], 61, agreement=tree["tum_agreement"])
    before = values(stay)
    assert stays_erase_expired(now=NOW) == 1
    after = values(stay)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == set(StayAbroad.PERSONAL_FIELDS) | {"erased_at"}
    assert all(after[name] == "" for name in StayAbroad.PERSONAL_FIELDS)
    assert after["erased_at"] == NOW
    # The plan-B courses are course facts, not personal: they stay.
    assert stay.plan_b_courses.count() == 1


def test_on_the_day_itself_the_stay_is_kept(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    kept = ended(tree["cs_student"], 60)
    running = stay_make(tree["nurse"], city="Lund", country="SE")
    before = {stay.pk: values(stay) for stay in (kept, running)}
    assert stays_erase_expired(now=NOW) == 0
    assert {stay.pk: values(stay) for stay in (kept, running)} == before


def test_the_number_of_days_is_a_setting(tree, settings):
    settings.STAY_RETENTION_DAYS = 10
    stay = ended(tree["cs_student"], 11)
    assert stays_erase_expired(now=NOW) == 1
    assert values(stay)["local_phone"] == ""


def test_erasing_again_changes_nothing(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    ended(tree["cs_student"], 100)
    stays_erase_expired(now=NOW)
    first = list(StayAbroad.objects.values())
    assert stays_erase_expired(now=NOW + datetime.timedelta(days=1)) == 0
    assert list(StayAbroad.objects.values()) == first


def test_the_personal_answers_of_the_stay_s_safety_checks_go_with_it(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    old = ended(tree["cs_student"], 70)
    current = stay_make(tree["nurse"], city="Lund", country="SE")
    old_check = check_for(old, tree["staff"])
    current_check = check_for(current, tree["staff"], message="Alt vel.")
    before = SafetyCheck.objects.values().get(pk=old_check.pk)
    stays_erase_expired(now=NOW)
    after = SafetyCheck.objects.values().get(pk=old_check.pk)
    assert {name for name in after if after[name] != before[name]} == {"message", "erased_at"}
    assert (after["message"], after["answer"], after["erased_at"]) == ("", "safe", NOW)
    current_check.refresh_from_db()
    assert (current_check.message, current_check.erased_at) == ("Alt vel.", None)


def test_the_erasure_is_logged_with_its_count(tree, settings, caplog):
    settings.STAY_RETENTION_DAYS = 60
    ended(tree["cs_student"], 61)
    ended(tree["nurse"], 90, city="Lund")
    with caplog.at_level(logging.INFO, logger="onboarding.stays.services.registry"):
        stays_erase_expired(now=NOW)
    assert "personal details of 2 stay(s) erased" in caplog.text
    assert "Kari" not in caplog.text


def test_the_command_and_the_task_do_the_same(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    stay = ended(tree["cs_student"], 400)
    out = StringIO()
    call_command("stays_retention", stdout=out)
    assert "Erased the personal details of 1 stay(s) abroad." in out.getvalue()
    assert values(stay)["erased_at"] is not None
    ended(tree["nurse"], 400, city="Lund")
    result = stays_retention_task.enqueue()
    assert result.return_value == {"erased": 1}
    out = StringIO()
    call_command("stays_retention", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()


def test_the_register_clears_what_retention_clears(tree):
    (entry,) = [e for e in personal_data_register() if e.model is StayAbroad]
    assert set(entry.cleared) == set(StayAbroad.PERSONAL_FIELDS)
    assert entry.retention.after == "ends_on"
    assert {e.model for e in personal_data_register()} >= {StayAbroad, PlanBCourse}


def test_the_site_s_retention_run_empties_the_same_stays(tree, settings):
    settings.STAY_RETENTION_DAYS = 60
    gone = ended(tree["cs_student"], 61)
    kept = ended(tree["nurse"], 60, city="Lund")
    retention_apply(now=NOW)
    assert values(gone)["local_phone"] == "" and values(gone)["emergency_name"] == ""
    assert values(kept)["local_phone"] != ""
    # ``stays_retention`` then notes when.
    assert stays_erase_expired(now=NOW) == 1
    assert values(gone)["erased_at"] == NOW


def test_deleting_the_account_empties_the_stay_and_keeps_its_place_and_dates(tree):
    stay = stay_make(tree["cs_student"], agreement=tree["tum_agreement"])
    PlanBCourse.objects.create(stay=stay, code="DAT100", title="Databases", ects="7.5")
    before = values(stay)
    account_erase(user=tree["cs_student"], by=tree["cs_student"])
    after = values(stay)
    assert all(after[name] == "" for name in StayAbroad.PERSONAL_FIELDS)
    assert (after["city"], after["starts_on"], after["agreement_id"]) == (
        before["city"],
        before["starts_on"],
        before["agreement_id"],
    )
