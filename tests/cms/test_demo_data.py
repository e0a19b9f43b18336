"""The demo's data files agree with each other (no database: the data as the loaders read it)."""

import pytest

from cms import demo as site
from onboarding.accounts import demo as accounts
from onboarding.activities import demo as events
from onboarding.checklists import demo as checklists
from onboarding.courses import demo as courses
from onboarding.live import demo as notifications
from onboarding.responsibilities import demo as matrix
from onboarding.units import demo as units

UNIT_KEYS = {spec["key"] for spec in units.DATA["unit"]}
ALL = [site, accounts, events, checklists, courses, notifications, matrix, units]


def _texts(value, where="data"):
    """Every {"nb": ..., "en": ...} pair inside ``value``, with where it is."""
    if isinstance(value, dict):
        if value and set(value) <= {"nb", "en"}:
            yield where, value
        else:
            for key, item in value.items():
                yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _texts(item, f"{where}[{number}]")


@pytest.mark.parametrize("module", ALL, ids=lambda module: module.__name__)
def test_every_text_is_given_in_both_languages(module):
    for where, texts in _texts(module.DATA):
        assert set(texts) == {"nb", "en"}, where
        # Lists of outcomes are texts too; a value may be empty in both languages only.
        assert bool(texts["nb"]) == bool(texts["en"]), where


@pytest.mark.parametrize("module", [site, matrix], ids=lambda module: module.__name__)
def test_the_tokens_are_filled_in(module):
    assert "{emergency_phone" not in repr(module.DATA)


def test_every_unit_has_its_texts_once_its_kind_fills_them_in():
    for spec in units.unit_specs():
        for field in ("title", "intro", "join"):
            assert all(spec[field][language] for language in ("nb", "en")), (spec["key"], field)
        assert "{" not in spec["intro"]["nb"] + spec["intro"]["en"], spec["key"]


def test_units_sit_under_index_pages_or_units_listed_before_them():
    seen = {"directory", "volunteer-groups"}
    for spec in units.DATA["unit"]:
        assert spec["parent"] in seen, spec["key"]
        seen.add(spec["key"])
    assert len(seen) == len(units.DATA["unit"]) + 2  # keys are unique


def test_every_unit_key_the_other_parts_name_exists():
    people = units.DATA["people"]
    named = {key for keys in people["editors"].values() for key in keys}
    named |= {key for keys in people["follows"].values() for key in keys}
    named |= {
        party
        for area in matrix.DATA["area"]
        for _level, _role, party, *_notes in area["assignments"]
        if party not in matrix.EACH
    }
    for checklist in checklists.DATA["checklist"]:
        named.add(checklist["owner"])
        named |= {item["responsible"] for item in checklist["item"] if "responsible" in item}
    named |= {s[key] for s in checklists.DATA["student"] for key in ("faculty", "department")}
    named |= {student["faculty"] for student in courses.STUDENTS if "faculty" in student}
    named |= set(events.DATA["participants"]["faculties"]) | {events.DATA["welcome_week"]["unit"]}
    for event in events.DATA["event"]:
        named |= {event["unit"], *event.get("faculties", [])}

    assert named - UNIT_KEYS == set()


def test_checklist_items_point_at_areas_and_pages_of_the_demo():
    areas = {area["name"]["en"] for area in matrix.DATA["area"]}
    pages = {page["slug"]["en"] for page in site.DATA["page"]}
    for checklist in checklists.DATA["checklist"]:
        for item in checklist["item"]:
            assert item["area"] in areas, item["title"]["en"]
            link = item.get("link", "")
            assert not link.startswith("page:") or link.removeprefix("page:") in pages


def test_course_plans_name_courses_of_the_data():
    keys = {course["key"] for course in courses.DATA["courses"]}
    assert {full["course"] for full in courses.DATA["full"]} <= keys
    for student in courses.STUDENTS:
        if "plan" in student:
            kind, slot, key = student["plan"]
            assert kind in {"place", "wait"} and slot in {"this", "next"} and key in keys
