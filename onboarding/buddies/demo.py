"""Demo buddy rounds (``demo.toml``): one published this semester, one proposed for the next.

Dates count from today, so a fresh seed is always current. Safe to run again:
rounds are found by their unit and name, people by their email address, and a
round that already has profiles keeps them (and its pairs).
"""

import datetime
import random
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from cms.demo_data import Data, load
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import User
from onboarding.units.demo import demo_units
from onboarding.units.models import UnitPage

from .models import BuddyProfile, BuddyRound, Role
from .services import matching_publish, matching_run, profiles_bulk_create

DATA = load(__file__)
POOLS: Data = DATA["pools"]


def _users(specs: list[dict[str, Any]]) -> dict[str, User]:
    """The demo people by email, made (verified, with the demo password) where missing."""
    model = get_user_model()
    emails = [spec["email"] for spec in specs]
    existing = {user.email: user for user in model.objects.filter(email__in=emails)}
    missing = [
        model(
            email=spec["email"],
            first_name=spec.get("first_name", ""),
            last_name=spec.get("last_name", ""),
            language=spec.get("language", "en"),
            password=demo_password_hash(),
        )
        for spec in specs
        if spec["email"] not in existing
    ]
    for user in model.objects.bulk_create(missing):
        existing[user.email] = user
    made = {user.email for user in missing}
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=existing[email], email=email, verified=True, primary=True)
            for email in made
        ],
        ignore_conflicts=True,
    )
    return existing


def _generated(round_spec: Data, rng: random.Random) -> list[dict[str, Any]]:
    """The round's generated students and buddies, drawn from the pools."""
    people = []
    domain = DATA["email_domain"]
    for role, count in (("student", round_spec["students"]), ("buddy", round_spec["buddies"])):
        for n in range(1, count + 1):
            first = rng.choice(POOLS["first_names"])
            last = rng.choice(POOLS["last_names"])
            student = role == "student"
            if student:
                other = rng.sample(POOLS["student_languages"], rng.choice([1, 1, 2]))
                languages = other[:1] if rng.random() < POOLS["no_english"] else ["en", *other]
                low, high = POOLS["arrivals"]
            else:
                languages = [
                    "nb",
                    "en",
                    *rng.sample(POOLS["buddy_languages"], rng.choice([0, 1, 1, 2])),
                ]
                low, high = POOLS["availability"]
            weights = POOLS["student_faculty_weights" if student else "buddy_faculty_weights"]
            people.append(
                {
                    "email": f"{round_spec['key']}.{role}{n:03d}@{domain}",
                    "first_name": first,
                    "last_name": last,
                    "language": rng.choice(["en", "en", "nb"]) if not student else "en",
                    "role": role,
                    "status": rng.choice(POOLS["statuses"]) if student else "",
                    "faculty": rng.choices(POOLS["faculties"], weights=weights)[0],
                    "programme": rng.choice(POOLS["programmes"]),
                    "languages": languages,
                    "interests": rng.sample(POOLS["interests"], rng.randint(1, 4)),
                    "capacity": 1
                    if student
                    else rng.choices(POOLS["capacities"], weights=POOLS["capacity_weights"])[0],
                    "arrives": rng.randint(low, high),
                    "wants_same_faculty": student and rng.random() < 0.3,
                    "wants_language": rng.choice(["", "", "", "de", "es"]) if student else "",
                }
            )
    return people


def _round(unit: UnitPage, spec: Data, today: datetime.date) -> BuddyRound:
    starts = today + datetime.timedelta(days=spec["semester_starts_in"])
    round, _created = BuddyRound.objects.update_or_create(
        unit=unit,
        name_nb=spec["name"]["nb"],
        defaults={
            "name_en": spec["name"]["en"],
            "semester_starts_on": starts,
            "closes_on": today + datetime.timedelta(days=spec["closes_in"]),
        },
    )
    return round


def _profile(
    round: BuddyRound, user: User, spec: dict[str, Any], units: dict[str, UnitPage]
) -> BuddyProfile:
    starts = round.semester_starts_on
    about = spec.get("about", {})
    return BuddyProfile(
        round=round,
        user=user,
        role=Role.STUDENT if spec["role"] == "student" else Role.BUDDY,
        student_status=spec.get("status", ""),
        faculty=units.get(spec.get("faculty", "")),
        programme=spec.get("programme", ""),
        languages=sorted(set(spec["languages"])),
        interests=sorted(set(spec.get("interests", []))),
        capacity=spec.get("capacity", 1),
        available_on=starts + datetime.timedelta(days=spec["arrives"] - round_offset(spec)),
        wants_same_faculty=bool(spec.get("wants_same_faculty")),
        wants_language=spec.get("wants_language", ""),
        phone=spec.get("phone", ""),
        about=str(about.get(user.language) or about.get("en") or ""),
    )


def round_offset(spec: dict[str, Any]) -> int:
    """Named people give ``arrives`` in days from today; generated ones from the semester's
    start. Returns what to take away to count from the semester's start."""
    return spec.get("_from_today", 0)


def seed_buddies() -> list[BuddyRound]:
    """Create the demo rounds, their people and their matchings; returns the rounds."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_buddies()


def _seed_buddies() -> list[BuddyRound]:
    units = demo_units()
    unit = units.get(DATA["unit"])
    if unit is None:
        raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) before the buddies.")
    editor = (
        get_user_model().objects.filter(groups__unit_link__unit=unit, is_active=True).first()
        or get_user_model().objects.filter(is_superuser=True).first()
    )
    today = timezone.localdate()
    rng = random.Random(DATA["seed"])
    rounds = []
    for spec in DATA["round"]:
        round = _round(unit, spec, today)
        rounds.append(round)
        generated = _generated(spec, rng)
        if round.profiles.exists():
            continue
        starts = round.semester_starts_on
        named = [{**person, "_from_today": (starts - today).days} for person in spec["people"]]
        everyone = named + generated
        users = _users(everyone)
        profiles_bulk_create(
            _profile(round, users[person["email"]], person, units) for person in everyone
        )
        matching_run(round=round, by=editor)
        if spec["publish"]:
            matching_publish(round=round, by=editor, email=False)
    return rounds
