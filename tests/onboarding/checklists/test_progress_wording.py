"""The plan's progress line in the reader's language (its Norwegian placeholders once differed)."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

PLAN = SimpleNamespace(done_count=2, total=5, percent=40, overdue=[])


@pytest.mark.parametrize(
    ("language", "text"), [("nb", "2 av 5 punkter gjort"), ("en", "2 of 5 items done")]
)
def test_the_progress_line_is_in_the_language_of_the_page(language, text):
    with translation.override(language):
        html = render_to_string("checklists/includes/plan_progress.html", {"plan": PLAN})
    assert f'<label for="plan-progress-bar">{text}</label>' in html
