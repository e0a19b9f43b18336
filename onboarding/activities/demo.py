"""Demo events (``demo.toml``): welcome weeks across the units, some full, some past with check-ins,
and a weekly language café that repeats.

Also the welcome-week workflow: events in the buddy programme's welcome week
wait for the International Section's approval. Times are set relative to
the day of seeding. Safe to run again: events are found by their place and
Norwegian slug, and existing ones are left as they are.
"""

import contextlib
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from cms.demo_data import Data, child_find, load, set_translated, slug
from onboarding.accounts.models import StudentProfile, User
from onboarding.accounts.profile_selectors import profile_get
from onboarding.accounts.profile_services import profile_save
from onboarding.live.kinds import Channel
from onboarding.live.services import preference_set
from onboarding.units.demo import demo_units
from onboarding.units.models import UnitPage
from onboarding.units.services import international_staff_group_ensure

from .errors import CheckInError, SignupError
from .models import EventPage, EventQuestion, EventRecurrence, EventSeriesPage, QuestionKind, Signup
from .recurrence import RuleParts
from .selectors import audience_admits
from .services import (
    RecurrenceInput,
    checkin_perform,
    recurrence_create,
    signup_cancel,
    signup_create,
)

DATA = load(__file__)
WORKFLOW_NAME: str = DATA["workflow"]["name"]
TASK_NAME: str = DATA["workflow"]["task"]


def _local(day: int, hour: int, minute: int = 0) -> datetime:
    base = timezone.localdate() + timedelta(days=day)
    return timezone.make_aware(datetime.combine(base, time(hour, minute)))


@transaction.atomic
def welcome_week_workflow_ensure() -> Workflow:
    """The workflow in which the International Section approves welcome-week events; returns it."""
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([international_staff_group_ensure()])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


# What the demo participants hear of their signups: they cannot log in or read email, so
# the site keeps it (and seeding does not send some 700 confirmation emails).
PARTICIPANT_SITE_ONLY = ("event_signup", "waitlist_place_given")


def _participants(units: dict[str, UnitPage]) -> list[tuple[User, StudentProfile]]:
    """The demo participants (they cannot log in), each with a status and a faculty."""
    spec = DATA["participants"]
    statuses, faculties = spec["statuses"], spec["faculties"]
    user_model = get_user_model()
    people = []
    for number, (first, last) in enumerate(spec["names"], start=1):
        email = f"{slug(first)}.{slug(last)}.{number}@{DATA['participant_domain']}"
        person = user_model.objects.filter(email=email).first()
        if person is None:
            person = user_model(
                email=email, first_name=first, last_name=last, language="en" if number % 3 else "nb"
            )
            person.set_unusable_password()
            person.save()
            for kind in PARTICIPANT_SITE_ONLY:
                preference_set(user=person, kind=kind, channel=Channel.SITE)
        profile = profile_get(user=person)
        if profile is None:
            profile = profile_save(
                user=person,
                status=statuses[number % len(statuses)],
                faculty=units.get(faculties[number % len(faculties)]),
                arrival_date=timezone.localdate() - timedelta(days=number % 12),
            )
        people.append((person, profile))
    return people


def _series(units: dict[str, UnitPage]) -> EventSeriesPage | None:
    spec = DATA["welcome_week"]
    unit = units.get(spec["unit"])
    if unit is None:
        return None
    slugs = {language: slug(title) for language, title in spec["title"].items()}
    series = child_find(EventSeriesPage, unit, slugs["nb"])
    if series is None:
        series = EventSeriesPage(title=spec["title"]["nb"], slug=slugs["nb"])
        set_translated(series, "title", spec["title"])
        set_translated(series, "slug", slugs)
        set_translated(series, "intro", spec["intro"])
        unit.add_child(instance=series)
        series.save_revision().publish()
    WorkflowPage.objects.update_or_create(
        page=series, defaults={"workflow": welcome_week_workflow_ensure()}
    )
    return series


def _language_cafe(units: dict[str, UnitPage], organiser: User | None) -> EventSeriesPage | None:
    """The weekly language café: a series that repeats, with its coming weeks made."""
    spec = DATA["language_cafe"]
    unit = units.get(spec["unit"])
    if unit is None or organiser is None:
        return None
    slugs = {language: slug(title) for language, title in spec["title"].items()}
    series = child_find(EventSeriesPage, unit, slugs["nb"])
    if series is None:
        series = EventSeriesPage(title=spec["title"]["nb"], slug=slugs["nb"])
        set_translated(series, "title", spec["title"])
        set_translated(series, "slug", slugs)
        set_translated(series, "intro", spec["intro"])
        unit.add_child(instance=series)
        series.save_revision().publish()
    if EventRecurrence.objects.filter(series=series).exists():
        return series
    today = timezone.localdate()
    first = today + timedelta(days=(spec["weekday"] - today.weekday()) % 7)
    recurrence_create(
        series=series,
        by=organiser,
        given=RecurrenceInput(
            parts=RuleParts(frequency="weekly", weekday=spec["weekday"]),
            starts_on=first,
            start_time=time(spec["hour"]),
            duration=timedelta(minutes=spec["minutes"]),
            exceptions=tuple(first + timedelta(weeks=weeks) for weeks in spec["weeks_skipped"]),
            template={
                "title_nb": spec["title"]["nb"],
                "title_en": spec["title"]["en"],
                "summary_nb": spec["summary"]["nb"],
                "summary_en": spec["summary"]["en"],
                "building": spec["building"],
                "room": spec["room"],
                "event_language": spec["language"],
                "capacity": spec["capacity"],
                "waitlist_enabled": True,
            },
        ),
    )
    return series


def _event(parent: Page, spec: Data, units: dict[str, UnitPage]) -> tuple[EventPage, bool]:
    slugs = {language: slug(title) for language, title in spec["title"].items()}
    found = child_find(EventPage, parent, slugs["nb"])
    if found is not None:
        return found, False
    start = _local(spec["day"], spec["hour"], spec.get("minute", 0))
    if spec.get("from_now"):
        soon = timezone.localtime() + timedelta(hours=2)
        start = soon.replace(minute=0 if soon.minute < 30 else 30, second=0, microsecond=0)
    event = EventPage(
        title=spec["title"]["nb"],
        slug=slugs["nb"],
        start_at=start,
        end_at=start + timedelta(hours=spec.get("hours", 2)),
        building=spec.get("building", ""),
        room=spec.get("room", ""),
        online_url=spec.get("online", ""),
        event_language=spec.get("language", "both"),
        capacity=spec.get("capacity"),
        waitlist_enabled=spec.get("waitlist", True),
        audience_statuses=list(spec.get("statuses", [])),
        noshow_rule=spec.get("noshow_rule", False),
    )
    event.pools = _pools(spec.get("pools", []), units, start)
    event.waitlist_offers = spec.get("offers", False)
    event.offer_hours = spec.get("offer_hours", event.offer_hours)
    set_translated(event, "title", spec["title"])
    set_translated(event, "slug", slugs)
    set_translated(event, "summary", spec["summary"])
    event.questions.set(
        [_question(number, question) for number, question in enumerate(spec.get("question", []))]
    )
    if "opens_days_before" in spec:
        event.signup_opens_at = start - timedelta(days=spec["opens_days_before"])
    if "closes_hours_before" in spec:
        event.signup_closes_at = start - timedelta(hours=spec["closes_hours_before"])
    if "cancel_hours_before" in spec:
        event.cancellation_deadline = start - timedelta(hours=spec["cancel_hours_before"])
    parent.add_child(instance=event)
    faculties = [units[key] for key in spec.get("faculties", []) if key in units]
    if faculties:
        event.audience_faculties.set(faculties)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk), True


def _pools(specs: list[Data], units: dict[str, UnitPage], start: datetime) -> list[Any]:
    """The event's reserved places, as its StreamField takes them."""
    pools = []
    for spec in specs:
        release = spec.get("release_hours_before")
        pools.append(
            (
                "pool",
                {
                    "rule": spec["rule"],
                    "statuses": list(spec.get("statuses", [])),
                    "faculties": [units[key] for key in spec.get("faculties", []) if key in units],
                    "places": spec["places"],
                    "release_at": start - timedelta(hours=release) if release is not None else None,
                },
            )
        )
    return pools


def _question(number: int, spec: Data) -> EventQuestion:
    question = EventQuestion(
        sort_order=number,
        kind=spec.get("kind", QuestionKind.TEXT),
        required=spec.get("required", False),
        personal=spec.get("personal", False),
    )
    set_translated(question, "label", spec["label"])
    set_translated(question, "help_text", spec.get("help_text", {"nb": "", "en": ""}))
    set_translated(question, "choices", spec.get("choices", {"nb": "", "en": ""}))
    return question


def _demo_answers(event: EventPage, turn: int) -> dict[int, str]:
    """What the ``turn``-th demo participant signed up answers: the next choice in turn (every
    other one leaves an optional choice unanswered) and the demo text of a text question."""
    specs = {
        spec["label"]["nb"]: spec for each in DATA["event"] for spec in each.get("question", [])
    }
    answers = {}
    for question in event.questions.all():
        spec = specs.get(question.label_nb, {})
        if question.kind == QuestionKind.TEXT:
            if spec.get("demo"):
                answers[question.pk] = spec["demo"]
        elif question.required or turn % 2:
            answers[question.pk] = str(turn % len(question.options("nb")) + 1)
    return answers


def _sign_up(
    event: EventPage, people: list[tuple[User, StudentProfile]], count: int
) -> list[Signup]:
    """Sign ``count`` demo participants up, in order, when signup was open.

    People outside the event's audience are passed over (asked first, as the
    service would refuse them, which costs a locked transaction each).
    """
    moment = event.start_at - timedelta(days=2)
    if event.signup_opens_at:
        moment = max(moment, event.signup_opens_at)
    signups: list[Signup] = []
    for offset, (person, profile) in enumerate(people):
        if len(signups) >= count:
            break
        if not audience_admits(event=event, user=person, profile=profile):
            continue
        try:
            signups.append(
                signup_create(
                    event=event,
                    user=person,
                    answers=_demo_answers(event, len(signups)),
                    now=moment + timedelta(minutes=offset),
                )
            )
        except SignupError:
            continue
    return signups


def _check_in(event: EventPage, signups: list[Signup], share: float, organiser: User) -> None:
    confirmed = [s for s in signups if s.status == "confirmed"]
    for number, signup in enumerate(confirmed[: round(len(confirmed) * share)]):
        moment = event.start_at - timedelta(minutes=10) + timedelta(seconds=40 * number)
        try:
            checkin_perform(event=event, by=organiser, code=signup.ticket_code, now=moment)
        except CheckInError:
            continue


def _offer(event: EventPage, signups: list[Signup]) -> None:
    """One person with a place gives it up, so that the next in line is offered it."""
    confirmed = [s for s in signups if s.status == "confirmed"]
    if confirmed:
        with contextlib.suppress(SignupError):
            signup_cancel(signup=confirmed[-1], user=confirmed[-1].person)


def seed_events() -> int:
    """Create the demo events (those missing); returns how many events the demo has."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_events()


def _seed_events() -> int:
    units = demo_units()
    if not units:
        raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) before the events.")
    user_model = get_user_model()
    organiser = (
        user_model.objects.filter(email=DATA["organiser"]).first()
        or user_model.objects.filter(is_superuser=True).order_by("pk").first()
    )
    student = user_model.objects.filter(email=DATA["student"]).first()
    people = _participants(units)
    series = _series(units)
    count = 0
    for number, spec in enumerate(DATA["event"]):
        unit = units.get(spec["unit"])
        if unit is None:
            continue
        parent = series if spec.get("series") and series is not None else unit
        event, created = _event(parent, spec, units)
        count += 1
        if not created:
            continue
        # Each event draws its participants from a different point of the list.
        start = (number * 7) % len(people)
        signups = _sign_up(event, people[start:] + people[:start], spec.get("signups", 0))
        if student is not None and spec.get("student"):
            with contextlib.suppress(SignupError):
                signup_create(
                    event=event,
                    user=student,
                    answers=_demo_answers(event, 0),
                    now=event.start_at - timedelta(days=1),
                )
        if spec.get("checked_in") and organiser is not None:
            _check_in(event, signups, spec["checked_in"], organiser)
        if spec.get("offered"):
            _offer(event, signups)
    cafe = _language_cafe(units, organiser)
    if cafe is not None:
        count += EventPage.objects.child_of(cafe).count()
    return count
