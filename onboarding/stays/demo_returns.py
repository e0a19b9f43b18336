"""Demo requests to come home early (``demo_returns.toml``): one waiting for a decision, one
decided for the history.

The requests are made through the services, at the moments the data file gives (the waiting
one a couple of days ago, within the stay). Each stay is found by its student, city and first
day, as the stays' own demo registers it, or registered here with just those facts when it
is missing, so that the two demos meet on one stay. A stay that already has a request is
left as it is: running the demo again adds nothing.
"""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import EarlyReturnRequest, PlanBCourse, ReturnReason, ReturnStatus, StayAbroad
from .selectors.returns import may_handle_request, open_crises
from .services.returns import PlanBInput, request_create, request_decide

DATA: dict[str, Any] = tomllib.loads(
    Path(__file__).with_name("demo_returns.toml").read_text(encoding="utf-8")
)


def _stay(student: Any, spec: dict[str, Any]) -> StayAbroad:
    """The student's stay in the spec's city today (the stays' demo registers it), else the
    one from the spec's first day, registered when missing."""
    today = timezone.localdate()
    current = (
        StayAbroad.objects.filter(
            student=student, city=spec["city"], starts_on__lte=today, ends_on__gte=today
        )
        .order_by("starts_on", "pk")
        .first()
    )
    if current is not None:
        return current
    stay, _created = StayAbroad.objects.get_or_create(
        student=student,
        city=spec["city"],
        starts_on=spec["starts_on"],
        defaults={
            "country": spec["country"],
            "ends_on": spec["ends_on"],
            "host_name": spec.get("host", ""),
            "consented_at": timezone.now(),
        },
    )
    return stay


def _in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("nb") or ""


def _plan_b(stay: StayAbroad, specs: list[dict[str, Any]], language: str) -> list[PlanBInput]:
    """The stay's own plan-B courses, or the data file's when it has none."""
    own = list(PlanBCourse.objects.filter(stay=stay).order_by("sort_order", "pk"))
    if own:
        return [
            PlanBInput(code=c.code, title=c.title, ects=c.ects, course_id=c.course_id) for c in own
        ]
    return [
        PlanBInput(
            code=spec["code"],
            title=_in_language(spec["title"], language),
            ects=Decimal(spec["ects"]),
        )
        for spec in specs
    ]


def _waiting(users: Any) -> EarlyReturnRequest | None:
    spec = DATA["waiting"]
    student = users.filter(email=spec["student"]).first()
    if student is None:
        return None
    stay = _stay(student, spec)
    if EarlyReturnRequest.objects.filter(stay=stay).exists():
        return None
    now = timezone.now()
    # Sent a couple of days ago, or on the nearest day within the stay.
    first = datetime.datetime.combine(stay.starts_on, datetime.time(10), tzinfo=datetime.UTC)
    last = datetime.datetime.combine(stay.ends_on, datetime.time(10), tzinfo=datetime.UTC)
    sent = min(max(now - datetime.timedelta(days=spec["sent_days_ago"]), first), last)
    day = timezone.localdate(sent)
    home = day + datetime.timedelta(days=spec["home_in_days"])
    home = min(max(home, stay.starts_on), stay.ends_on - datetime.timedelta(days=1))
    crises = open_crises(user=student)
    language = student.language or "nb"
    return request_create(
        student=student,
        stay=stay,
        reason=ReturnReason.CRISIS if crises else ReturnReason.HEALTH,
        crisis=crises[0] if crises else None,
        return_on=home,
        explanation=_in_language(
            spec["crisis_explanation"] if crises else spec["explanation"], language
        ),
        courses=_plan_b(stay, spec["plan_b"], language),
        now=sent,
    )


def _decided(users: Any) -> EarlyReturnRequest | None:
    spec = DATA["decided"]
    student = users.filter(email=spec["student"]).first()
    if student is None:
        return None
    stay = _stay(student, spec)
    if EarlyReturnRequest.objects.filter(stay=stay).exists():
        return None
    language = student.language or "nb"
    request = request_create(
        student=student,
        stay=stay,
        reason=spec["reason"],
        return_on=spec["return_on"],
        explanation=_in_language(spec["explanation"], language),
        courses=_plan_b(stay, spec["plan_b"], language),
        now=spec["sent_at"],
    )
    decider = next(
        (
            person
            for person in users.filter(email__in=spec["decided_by"])
            if may_handle_request(user=person, request=request)
        ),
        None,
    )
    if decider is None:
        return request
    return request_decide(
        request=request,
        user=decider,
        decision=ReturnStatus.APPROVED,
        note=_in_language(spec["note"], language),
        outcome=spec["outcome"],
        now=spec["decided_at"],
    )


def seed_returns() -> int:
    """One request to come home waiting for a decision and one decided; returns how many
    requests the demo's students have."""
    users = get_user_model().objects.all()
    with transaction.atomic():
        _waiting(users)
        _decided(users)
    emails = [DATA["waiting"]["student"], DATA["decided"]["student"]]
    return EarlyReturnRequest.objects.filter(student__email__in=emails).count()
