"""An earlier decision is in the site search under its courses as soon as it is recorded or
changed: its index entry is written after its courses, not only when its row is first saved."""

import pytest
from django.urls import reverse
from django.utils import translation

from cms.search.selectors import site_search
from onboarding.approvals.models import HomeCourse
from onboarding.approvals.services.precedents import precedent_search_text_refresh

from .factories import foreign, home, precedent_make

pytestmark = [pytest.mark.django_db, pytest.mark.stack]


@pytest.fixture
def indexing(settings):
    # The test settings leave the index alone on save; production updates it.
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}


def precedents_found(query, language="en"):
    outcome = site_search(query=query, language=language, types=["precedent"])
    return [result.hit.url for result in outcome.results]


def test_a_recorded_decision_is_found_by_its_courses_titles(tree, indexing):
    decision = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign(title="Verteilte Systeme Grundlagen")],
        home_rows=[home(title_nb="Distribuerte systemer", title_en="Distributed systems")],
    )

    with translation.override("en"):
        address = reverse("approvals:precedent_detail", args=[decision.pk])
    assert precedents_found("Verteilte") == [address]
    assert precedents_found("Distributed") == [address]


def test_a_changed_course_is_found_after_the_refresh(tree, indexing):
    decision = precedent_make(institution=tree["tum"], unit=tree["cs"])
    HomeCourse.objects.filter(approval=decision).update(
        title_nb="Kvanteberegning", title_en="Quantum computing"
    )
    assert precedents_found("Quantum") == []

    precedent_search_text_refresh(approval=decision)

    assert len(precedents_found("Quantum")) == 1
