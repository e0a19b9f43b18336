"""Each unit's figures: its own pages and registered content, complete in both languages,
in one language only, or missing fields; in as many queries for 50 pages as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks

from onboarding.hooks import COMPLETENESS_SOURCES
from onboarding.responsibilities.models import Assignment, ResponsibilityArea
from onboarding.units.completeness import (
    BOTH,
    MISSING,
    SINGLE,
    TranslatedContent,
    completeness_report,
    unit_completeness,
)
from onboarding.units.models import UnitPage

from .completeness_factories import draft_save, page_add

pytestmark = pytest.mark.django_db


def items_by_title(figures):
    return {item.title: item for item in figures.items}


def unit(tree, key):
    return UnitPage.objects.get(pk=tree[key].pk)


def test_a_unit_counts_its_page_and_its_pages_in_each_state(tree):
    faculty = unit(tree, "faculty_b")
    complete = page_add(faculty)
    english_only = page_add(faculty, nb=False, single="en")
    no_nb_intro = page_add(faculty, empty=["intro_nb"], publish=False)
    no_en_body = page_add(faculty, empty=["body_en", "intro_en"], publish=False)

    figures = unit_completeness(unit=faculty)
    items = items_by_title(figures)

    # The faculty's own page (complete) and its four pages; not its department's.
    assert figures.total == 5
    assert (figures.both, figures.single, figures.missing) == (2, 1, 2)
    assert figures.share == pytest.approx(2 / 5)
    assert figures.percent == 40
    assert items[complete.title].status == BOTH
    assert items[english_only.title].status == SINGLE
    assert items[english_only.title].single_language == "en"
    assert items[no_nb_intro.title].status == MISSING
    assert {k: [str(f) for f in v] for k, v in items[no_nb_intro.title].missing.items()} == {
        "nb": ["introduction"]
    }
    assert {k: [str(f) for f in v] for k, v in items[no_en_body.title].missing.items()} == {
        "en": ["introduction", "body"]
    }
    assert items[no_en_body.title].edit_url == reverse(
        "wagtailadmin_pages:edit", args=[no_en_body.pk]
    )
    assert [item.title for item in figures.to_fix] == [
        no_nb_intro.title,
        no_en_body.title,
        english_only.title,
    ]


def test_a_page_marked_one_language_but_empty_in_it_is_missing_that_language(tree):
    faculty = unit(tree, "faculty_b")
    page = page_add(faculty, en=False, single="nb", empty=["intro_nb"], publish=False)

    item = items_by_title(unit_completeness(unit=faculty))[page.title]

    assert item.status == MISSING
    assert list(item.missing) == ["nb"]


def test_a_councils_pages_count_for_the_council_not_its_faculty(tree):
    council = unit(tree, "council_a")
    page = page_add(council, en=False)

    faculty_titles = {item.title for item in unit_completeness(unit=unit(tree, "faculty_a")).items}
    council_figures = unit_completeness(unit=council)

    assert page.title not in faculty_titles
    assert council.title not in faculty_titles
    assert items_by_title(council_figures)[page.title].status == MISSING
    assert council_figures.total == 2


def test_pages_deeper_in_a_unit_branch_count_for_it(tree):
    faculty = unit(tree, "faculty_b")
    parent = page_add(faculty)
    child = page_add(parent, nb=False)

    items = items_by_title(unit_completeness(unit=faculty))

    assert items[child.title].status == MISSING


def test_unpublished_changes_are_judged_by_the_latest_revision(tree):
    faculty = unit(tree, "faculty_b")
    emptied = page_add(faculty)
    mended = page_add(faculty, empty=["intro_en"], single="nb")
    draft_save(emptied, intro_en="")
    draft_save(mended, intro_en="Now in English too.", single_language="")

    items = items_by_title(unit_completeness(unit=faculty))

    assert items[emptied.title].status == MISSING and items[emptied.title].draft
    assert items[mended.title].status == BOTH and items[mended.title].draft


def test_registered_content_of_a_unit_is_counted(tree):
    faculty = unit(tree, "faculty_b")
    area = ResponsibilityArea.objects.create(name_nb="Mottak", name_en="Arrival")
    level = Assignment._meta.get_field("level").choices[0][0]
    both = Assignment.objects.create(
        area=area, level=level, role="R", unit=faculty, note_nb="Ja", note_en="Yes"
    )
    english_gone = Assignment.objects.create(
        area=area, level=level, role="A", unit=faculty, note_nb="Ja", note_en=""
    )
    Assignment.objects.create(
        area=area, level=level, role="C", unit=unit(tree, "faculty_a"), note_nb="", note_en=""
    )

    def source():
        return [
            TranslatedContent(
                model=Assignment,
                label="assignment",
                unit_field="unit",
                fields=("note",),
                edit_url=lambda obj: f"/admin/assignments/{obj.pk}/",
            )
        ]

    with hooks.register_temporarily(COMPLETENESS_SOURCES, source):
        figures = unit_completeness(unit=faculty)

    content = [item for item in figures.items if item.kind == "assignment"]
    assert sorted((item.edit_url, item.status) for item in content) == sorted(
        [
            (f"/admin/assignments/{both.pk}/", BOTH),
            (f"/admin/assignments/{english_gone.pk}/", MISSING),
        ]
    )
    assert figures.total == 3  # the faculty's page and its two assignments


def test_registered_content_marked_one_language_counts_as_single(tree):
    faculty = unit(tree, "faculty_b")

    def source():
        # Units as content owned by themselves: the intro, with the page's own marker.
        return [
            TranslatedContent(
                model=UnitPage,
                label="unit intro",
                unit_field="id",
                fields=("intro",),
                edit_url=lambda obj: f"/admin/pages/{obj.pk}/",
                single_language_field="single_language",
            )
        ]

    UnitPage.objects.filter(pk=faculty.pk).update(single_language="nb", intro_en="")
    with hooks.register_temporarily(COMPLETENESS_SOURCES, source):
        figures = unit_completeness(unit=faculty)

    [content] = [item for item in figures.items if item.kind == "unit intro"]
    assert content.status == SINGLE and content.single_language == "nb"


def test_the_report_lists_every_unit_lowest_share_first(tree):
    choir = unit(tree, "choir")
    page_add(choir, nb=False)
    page_add(choir, en=False)

    report = completeness_report()

    assert report[0].unit.pk == choir.pk
    assert report[0].percent == 33
    assert {row.unit.pk for row in report} == set(UnitPage.objects.values_list("pk", flat=True))
    shares = [row.share for row in report if row.share is not None]
    assert shares == sorted(shares)


def _queries(work):
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


@pytest.mark.stack
def test_figures_take_as_many_queries_for_50_pages_as_for_5(tree):
    faculty = unit(tree, "faculty_b")
    for number in range(5):
        page = page_add(faculty, en=number % 2 == 0)
        if number % 3 == 0:
            draft_save(page, intro_nb="")
    # Once before counting: what is cached after a first call (content types) is not counted.
    unit_completeness(unit=faculty)
    completeness_report()
    with_five = _queries(lambda: unit_completeness(unit=faculty))
    report_with_five = _queries(completeness_report)
    for number in range(45):
        page = page_add(faculty, en=number % 2 == 0, publish=number % 5 != 0)
        if number % 3 == 0:
            draft_save(page, intro_nb="")

    assert unit_completeness(unit=faculty).total == 51
    assert _queries(lambda: unit_completeness(unit=faculty)) == with_five
    assert _queries(completeness_report) == report_with_five
