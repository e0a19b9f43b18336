"""Earlier decisions: the search (words in both languages, combinations, expiry, filters),
the summaries the case builder shows, and constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import CourseApproval, ForeignCourse, HomeCourse
from onboarding.approvals.selectors.precedents import (
    precedent_get,
    precedent_institutions,
    precedent_rows,
    precedent_search,
    precedent_summaries,
    precedent_summary,
    precedents_of_same_courses,
    search_words,
)
from onboarding.approvals.services.precedents import precedent_check
from onboarding.exchange.models import IscedField
from tests.onboarding.approvals.factories import foreign, home, precedent_make

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def found(**filters):
    return [approval.pk for approval in precedent_search(**filters)]


@pytest.fixture
def decisions(tree):
    """A combination at TUM, a single course at TUM (expired), an elective at KTH."""
    combination = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=ago(300),
        foreign_rows=[
            foreign("IN2010", "Grundlagen der Algorithmen", ects="6"),
            foreign("IN2011", "Algorithmen Praktikum", ects="3"),
        ],
        home_rows=[
            home("DAT200", "Algoritmer og datastrukturer", "Algorithms and data structures"),
            home("DAT201", "Kjøretøy og Ærlighet", "Vehicles and honesty", ects="2.5"),
        ],
        isced=IscedField.objects.get(code="0613"),
    )
    expired = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=ago(7 * 365),
        valid_until=ago(2 * 365),
        foreign_rows=[foreign("IN0001", "Einführung in die Informatik")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    elective = precedent_make(
        institution=tree["kth"],
        unit=tree["it"],
        decided_on=ago(30),
        foreign_rows=[foreign("DD1337", "Programmering")],
        home_rows=[
            {
                "kind": "elective",
                "elective_level": "bachelor",
                "elective_field": IscedField.objects.get(code="0714"),
                "ects": Decimal("7.5"),
            }
        ],
    )
    return {"combination": combination, "expired": expired, "elective": elective}


def test_search_words_are_lower_case_distinct_and_without_punctuation():
    assert search_words(" DAT100, «Algoritmer» dat100 Ærlig\x00 ") == [
        "dat100",
        "algoritmer",
        "ærlig",
    ]
    assert len(search_words(" ".join(f"w{n}" for n in range(20)))) == 8


def test_a_combination_is_one_decision_found_from_either_side(tree, decisions):
    combination = decisions["combination"].pk
    for query in ("IN2010", "in2011", "praktikum", "DAT201", "algoritmer", "Algorithms"):
        assert found(query=query) == [combination], query
    assert found(home_code="dat201") == [combination]
    (row,) = precedent_rows(precedent_search(query="IN2011"))
    assert [c.code for c in row.foreign] == ["IN2010", "IN2011"]
    assert [c.code for c, _label in row.home] == ["DAT200", "DAT201"]
    assert (row.foreign_ects, row.home_ects, row.combination) == (Decimal(9), Decimal(10), True)


def test_every_word_must_match(tree, decisions):
    assert found(query="algorithmen datastrukturer") == [decisions["combination"].pk]
    assert found(query="algorithmen programmering") == []


def test_both_languages_and_norwegian_letters_are_found_in_any_case(tree, decisions):
    combination = decisions["combination"].pk
    assert found(query="KJØRETØY ærlighet") == [combination]
    assert found(query="vehicles HONESTY") == [combination]
    # The partner by its name, its city and its SCHAC code.
    assert set(found(query="münchen")) == {combination, decisions["expired"].pk}
    assert set(found(query="tum.de")) == {combination, decisions["expired"].pk}


def test_expired_decisions_are_shown_after_the_valid_ones_unless_left_out(tree, decisions):
    everything = list(precedent_search())
    assert [a.pk for a in everything] == [
        decisions["elective"].pk,
        decisions["combination"].pk,
        decisions["expired"].pk,
    ]
    assert [a.valid_now for a in everything] == [True, True, False]
    assert precedent_rows(everything)[-1].expired
    assert decisions["expired"].pk not in found(include_expired=False)


def test_filters_by_partner_home_course_and_subject_area(tree, decisions):
    assert set(found(institution=tree["tum"])) == {
        decisions["combination"].pk,
        decisions["expired"].pk,
    }
    assert found(institution="KTH.se ") == [decisions["elective"].pk]
    assert found(institution="nowhere.example") == []
    assert found(home_code=" DAT100 ") == [decisions["expired"].pk]
    # The decision's own field and an elective's field, by prefix.
    assert found(isced="06") == [decisions["combination"].pk]
    assert found(isced="0613") == [decisions["combination"].pk]
    assert found(isced="071") == [decisions["elective"].pk]
    assert found(isced="09") == []


def test_any_slice_reads_the_valid_then_the_expired_newest_first(tree):
    made = {
        days: precedent_make(
            institution=tree["tum"], unit=tree["cs"], decided_on=ago(days), note="slice"
        )
        for days in (10, 2000, 30, 3000, 20, 1900)  # over five years: expired
    }
    results = precedent_search(query="slice")
    assert results.counts() == (3, 3) and len(results) == 6
    everything = [made[days].pk for days in (10, 20, 30, 1900, 2000, 3000)]
    assert [a.pk for a in results] == everything
    for start in range(7):
        for stop in range(start, 8):
            assert [a.pk for a in results[start:stop]] == everything[start:stop]
    assert results[4].pk == everything[4] and results[4].valid_now is False
    with pytest.raises(IndexError):
        results[6]
    assert precedent_search(query="slice", include_expired=False).counts() == (3, 0)


def test_limit_and_offset_slice_the_result(tree, decisions):
    assert [a.pk for a in precedent_search(limit=1, offset=1)] == [decisions["combination"].pk]


def test_one_decision_and_the_others_on_the_same_courses(tree, decisions):
    again = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=ago(10),
        foreign_rows=[foreign("in2010 ", "Grundlagen der Algorithmen")],
        home_rows=[home("DAT200", "Algoritmer", "Algorithms")],
    )
    elsewhere = precedent_make(
        institution=tree["kth"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN2010", "Same code, another partner")],
    )
    approval = precedent_get(approval_id=decisions["combination"].pk)
    others = precedents_of_same_courses(approval=approval)
    assert [o.pk for o in others] == [again.pk]
    assert elsewhere.pk not in [o.pk for o in others]
    assert precedent_get(approval_id=10**12) is None


def test_the_partners_with_decisions_and_the_one_asked_for(tree, decisions):
    assert [i.schac_code for i in precedent_institutions()] == ["kth.se", "tum.de"]
    assert {i.schac_code for i in precedent_institutions(include="ku.dk")} == {
        "kth.se",
        "tum.de",
        "ku.dk",
    }


# --- Summaries ---------------------------------------------------------------------------


def _same_course(tree, decided_on, *, home_code="DAT100", valid_until=None):
    return precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=decided_on,
        valid_until=valid_until,
        foreign_rows=[foreign("IN0002", "Programmierung")],
        home_rows=[home(home_code, "Programmering", "Programming")],
    )


def test_the_summary_counts_the_same_courses_approved_as_the_same_home_side(tree):
    first = _same_course(tree, datetime.date(2021, 3, 1))
    _same_course(tree, datetime.date(2023, 3, 1))
    _same_course(tree, datetime.date(2024, 9, 1))
    last = _same_course(tree, datetime.date(2025, 2, 1))
    other_home = _same_course(tree, datetime.date(2022, 1, 1), home_code="DAT999")
    # In a combination the same course is another foreign side.
    precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN0002", "Programmierung"), foreign("IN0003", "Praktikum")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    summaries = precedent_summaries(approvals=[first, other_home], today=datetime.date(2026, 1, 1))
    summary = summaries[first.pk]
    assert (summary.times, summary.last_decided, summary.valid_until) == (
        4,
        datetime.date(2025, 2, 1),
        datetime.date(2030, 2, 1),
    )
    assert (summary.latest_id, summary.differently, summary.expired) == (last.pk, 1, False)
    assert summaries[other_home.pk].times == 1
    with translation.override("en"):
        assert summary.text == (
            "Approved 4 times as DAT100 Programming, last in 2025, valid to 2030."
        )
        assert summaries[other_home.pk].text == (
            "Approved once as DAT999 Programming, in 2022, valid to 2027."
        )
    with translation.override("nb"):
        assert "DAT100 Programmering" in summary.text and "2030" in summary.text
        assert (
            summary.text != "Approved 4 times as DAT100 Programmering, last in 2025, valid to 2030."
        )


def test_a_summary_says_when_the_decisions_expired(tree):
    old = _same_course(tree, datetime.date(2015, 5, 1))
    summary = precedent_summaries(approvals=[old], today=datetime.date(2026, 1, 1))[old.pk]
    assert summary.expired
    with translation.override("en"):
        assert summary.text == "Approved once as DAT100 Programming, in 2015, expired in 2020."


def test_an_elective_is_summarised_in_the_readers_language(tree, decisions):
    elective = decisions["elective"]
    summaries = precedent_summaries(approvals=[elective])
    with translation.override("en"):
        assert "elective at bachelor level in 0714" in summaries[elective.pk].text
    with translation.override("nb"):
        label = summaries[elective.pk].home_label
    with translation.override("en"):
        assert label != summaries[elective.pk].home_label


def test_summary_of_one_course_groups_by_combination_and_home_side(tree):
    for year in (2020, 2022, 2024):
        _same_course(tree, datetime.date(year, 1, 1))
    _same_course(tree, datetime.date(2021, 1, 1), home_code="DAT999")
    precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN0002", "Programmierung"), foreign("IN0003", "Praktikum")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    groups = precedent_summary(institution=tree["tum"], code="in0002")
    assert [(g.times, g.foreign_codes, g.home[0].code) for g in groups] == [
        (3, ("IN0002",), "DAT100"),
        (1, ("IN0002", "IN0003"), "DAT100"),
        (1, ("IN0002",), "DAT999"),
    ]
    assert precedent_summary(institution=tree["kth"], code="IN0002") == []
    assert precedent_summary(institution=tree["tum"], code="  ") == []


# --- The service's check, used by the admin ------------------------------------------------


def test_the_check_refuses_a_bad_decision_and_gives_the_default_expiry(tree):
    _f, _h, valid_until = precedent_check(
        decided_on=datetime.date(2024, 2, 29), foreign=[foreign()], home=[home()]
    )
    assert valid_until == datetime.date(2029, 2, 28)
    with pytest.raises(ApprovalError) as refused:
        precedent_check(decided_on=TODAY, foreign=[foreign()], home=[])
    assert refused.value.code == "no_home_course"
    with pytest.raises(ApprovalError) as refused:
        precedent_check(
            decided_on=TODAY,
            foreign=[foreign()],
            home=[home()],
            deciding_unit=tree["health"],
            user=tree["cs_adviser"],
        )
    assert refused.value.code == "forbidden"


# --- Query counts --------------------------------------------------------------------------


def bulk_precedents(tree, count):
    """``count`` decisions written straight to the tables (two foreign courses, one home)."""
    institutions = [tree["tum"], tree["kth"], tree["ku"]]
    approvals = CourseApproval.objects.bulk_create(
        [
            CourseApproval(
                institution=institutions[n % 3],
                deciding_unit=tree["cs"],
                decided_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 3000),
                valid_until=datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 3000),
                search_text=f"bulk bk{n:05d} informatik datateknologi",
                source="import",
            )
            for n in range(count)
        ]
    )
    ForeignCourse.objects.bulk_create(
        [
            ForeignCourse(
                approval=approval, code=f"BK{n % 50:03d}", title="Informatik", ects=5, sort_order=s
            )
            for n, approval in enumerate(approvals)
            for s in range(2)
        ]
    )
    HomeCourse.objects.bulk_create(
        [
            HomeCourse(
                approval=approval,
                kind="course",
                code=f"DAT{n % 7:03d}",
                title_nb="Datateknologi",
                title_en="Computer technology",
                ects=10,
            )
            for n, approval in enumerate(approvals)
        ]
    )


def _queries_for_a_page(**filters):
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(precedent_search(**filters), 20).get_page(1)
        rows = precedent_rows(page.object_list)
        summaries = precedent_summaries(approvals=page.object_list)
    return len(queries), len(rows), len(summaries)


@pytest.mark.stack
@pytest.mark.parametrize(
    "filters",
    [{}, {"query": "bulk informatik"}, {"institution": "kth.se", "home_code": "DAT001"}],
    ids=["all", "words", "partner-and-course"],
)
def test_the_same_number_of_queries_for_10_and_1000_decisions(tree, filters):
    bulk_precedents(tree, 10)
    few, shown, summed = _queries_for_a_page(**filters)
    assert shown and summed == shown
    bulk_precedents(tree, 990)
    many, shown, summed = _queries_for_a_page(**filters)
    assert shown == 20 or filters
    assert summed == shown
    assert many == few
