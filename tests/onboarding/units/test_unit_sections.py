"""Sections other apps add to a unit's page (``UNIT_PAGE_SECTIONS``): every registered one
that has something for the unit, in hook order."""

from types import SimpleNamespace

from wagtail import hooks

from onboarding.hooks import UNIT_PAGE_SECTIONS
from onboarding.units.selectors import UnitSection, unit_sections

UNIT = SimpleNamespace(pk=1, kind="faculty")


def test_sections_come_in_hook_order_and_none_adds_nothing(monkeypatch):
    first = UnitSection(template_name="a.html", context={"n": 1})
    second = UnitSection(template_name="b.html", context={"n": 2})
    providers = [
        lambda *, unit: first,
        lambda *, unit: None,
        lambda *, unit: second if unit.kind == "faculty" else None,
    ]
    monkeypatch.setattr(
        hooks, "get_hooks", lambda name: providers if name == UNIT_PAGE_SECTIONS else []
    )

    assert unit_sections(unit=UNIT) == [first, second]
    assert unit_sections(unit=SimpleNamespace(pk=2, kind="department")) == [first]
