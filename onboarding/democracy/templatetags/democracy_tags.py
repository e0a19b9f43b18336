"""Template tags of student democracy: a body's representatives where units' templates list
the body's meetings."""

from typing import Any

from django import template

from onboarding.democracy.models import Representative
from onboarding.democracy.selectors import body_representatives

register = template.Library()


@register.simple_tag
def representatives_of(unit: Any) -> list[Representative]:
    """Who sits in ``unit`` (a body), in its representatives page's order."""
    return body_representatives(unit=unit)
