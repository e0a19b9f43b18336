"""Demo crises (``demo_crisis.toml``): a past one in Japan with answers, an open one in Valencia.

Both are declared through the services for whoever has a stay there on the
day of declaring (the registry's demo stays, or none): the past crisis on
10 October 2025, telling no one now, with its answers and closing; the open
one three hours before the seed, on the site only (no email), with a mix of
answers: two calls for help (one acknowledged), some safe, the rest waiting.
A crisis is found again by its English title, so running the demo again adds
nothing.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import CheckAnswer, Crisis, SafetyCheck
from .services.crisis import (
    AreaInput,
    check_acknowledge,
    check_answer,
    crisis_close,
    crisis_declare,
)

DATA_FILE = Path(__file__).with_name("demo_crisis.toml")


@functools.cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def _local(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _declare(spec: dict[str, Any], staff: Any, *, now: datetime.datetime, past: bool) -> Crisis:
    return crisis_declare(
        user=staff,
        title_nb=spec["title"]["nb"],
        title_en=spec["title"]["en"],
        message_nb=spec["message"]["nb"],
        message_en=spec["message"]["en"],
        severity=spec["severity"],
        areas=[AreaInput(country=area["country"], city=area["city"]) for area in spec["areas"]],
        duty_officer=staff,
        reminder_hours=spec["reminder_hours"],
        acknowledge_minutes=spec["acknowledge_minutes"],
        now=now,
        notify_students=not past,
        email=False,
    ).crisis


def _checks(crisis: Crisis) -> list[SafetyCheck]:
    return list(
        SafetyCheck.objects.filter(crisis=crisis)
        .select_related("student", "crisis")
        .order_by("student__email")
    )


def _past(spec: dict[str, Any], staff: Any) -> Crisis:
    declared = _local(spec["declared"])
    crisis = _declare(spec, staff, now=declared, past=True)
    plan = spec["answers"]
    acknowledged = False
    for index, check in enumerate(_checks(crisis)):
        answer = plan[index % len(plan)]
        if answer == CheckAnswer.PENDING:
            continue
        when = declared + datetime.timedelta(minutes=spec["answer_minutes"] * (index + 1))
        check_answer(
            check=check, student=check.student, answer=answer, now=when, notify_duty_officer=False
        )
        if answer == CheckAnswer.HELP and not acknowledged:
            check_acknowledge(check=check, user=staff, now=when + datetime.timedelta(minutes=20))
            acknowledged = True
    return crisis_close(crisis=crisis, user=staff, now=_local(spec["closed"]))


def _open(spec: dict[str, Any], staff: Any) -> Crisis:
    now = timezone.now()
    declared = now - datetime.timedelta(hours=spec["declared_hours_ago"])
    crisis = _declare(spec, staff, now=declared, past=False)
    checks = _checks(crisis)
    helpers, others = checks[:2], checks[2:]
    safe = others[: (len(others) + 1) // 2]
    for index, check in enumerate(safe):
        messages = spec["safe_messages"]
        check_answer(
            check=check,
            student=check.student,
            answer=CheckAnswer.SAFE,
            message=messages[index % len(messages)],
            now=declared + datetime.timedelta(minutes=4 + 7 * index),
            email=False,
        )
    for index, check in enumerate(helpers):
        # The first called for help early and was acknowledged; the second called 25 minutes ago.
        asked = (
            declared + datetime.timedelta(minutes=18)
            if index == 0
            else now - datetime.timedelta(minutes=25)
        )
        check_answer(
            check=check,
            student=check.student,
            answer=CheckAnswer.HELP,
            message=spec["help_messages"][index % len(spec["help_messages"])],
            now=asked,
            email=False,
        )
        if index == 0:
            check_acknowledge(check=check, user=staff, now=asked + datetime.timedelta(minutes=9))
    return crisis


def seed_crises() -> list[Crisis]:
    """The demo's crises, declared and answered once; returns them."""
    data = _data()
    staff = get_user_model().objects.get(email=data["duty_officer"])
    crises = []
    for spec in data["crisis"]:
        found = Crisis.objects.filter(title_en=spec["title"]["en"]).first()
        if found is None:
            found = _past(spec, staff) if "closed" in spec else _open(spec, staff)
        crises.append(found)
    return crises
