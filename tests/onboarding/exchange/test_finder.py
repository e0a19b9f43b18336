"""The finder's query: each filter alone, filters combined, programme fit, order, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onboarding.exchange.models import MobilityFormat
from onboarding.exchange.selectors import (
    FinderFilters,
    agreement_search,
    agreements_with_details,
    programmes_without_window,
)
from tests.onboarding.exchange.factories import (
    agreement_create,
    institution_create,
    programme_create,
)


@pytest.fixture
def agreements(tree):
    """Five agreements that differ in one thing each from the first."""
    it, health = tree["it"], tree["health"]
    return {
        "tum_cs": agreement_create(
            institution=tree["tum"],
            owner_unit=it,
            subjects=["0613"],
            languages=[("de", "B2"), ("en", "B2")],
            autumn=True,
            spring=False,
            months_out=10,
            has_grant=True,
        ),
        "kth_cs": agreement_create(
            institution=tree["kth"],
            owner_unit=tree["cs"],
            subjects=["0613", "0612"],
            languages=[("en", "B1")],
            autumn=False,
            spring=True,
            months_out=5,
            level_master=True,
        ),
        "ku_nursing": agreement_create(
            institution=tree["ku"],
            owner_unit=health,
            subjects=["0913"],
            languages=[("da", "B1"), ("en", "B2")],
            takes_placements=True,
            autumn=True,
            spring=True,
            months_out=5,
        ),
        "ku_short": agreement_create(
            institution=tree["ku"],
            owner_unit=health,
            subjects=["0913"],
            languages=[("en", "B1")],
            mobility_format=MobilityFormat.SHORT,
            days=14,
            months_out=0,
            is_package=True,
            package_courses_en="Global health",
            package_courses_nb="Global helse",
        ),
        "tum_digital": agreement_create(
            institution=tree["tum"],
            owner_unit=it,
            subjects=["0613"],
            languages=[("en", "B2")],
            mobility_format=MobilityFormat.DIGITAL,
            days=5,
            months_out=0,
        ),
        "expired": agreement_create(
            institution=tree["kth"],
            owner_unit=it,
            subjects=["0613"],
            valid_from=timezone.localdate() - datetime.timedelta(days=900),
            valid_to=timezone.localdate() - datetime.timedelta(days=1),
        ),
    }


def refs(queryset):
    return [a.reference for a in queryset]


def names(agreements, *keys):
    return {agreements[k].reference for k in keys}


def test_no_filter_lists_current_agreements_long_stays_first(agreements):
    found = refs(agreement_search(filters=FinderFilters()))
    assert agreements["expired"].reference not in found
    # Semester stays (longest first), then short, then digital.
    assert found[0] == agreements["tum_cs"].reference
    assert found[-2:] == [agreements["ku_short"].reference, agreements["tum_digital"].reference]
    assert len(found) == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "DK"}, ("ku_nursing", "ku_short")),
        ({"language": "de"}, ("tum_cs",)),
        ({"cefr": "B1"}, ("kth_cs", "ku_nursing", "ku_short")),
        ({"language": "en", "cefr": "B1"}, ("kth_cs", "ku_short")),
        ({"subject": "0612"}, ("kth_cs",)),
        ({"subject": "09"}, ("ku_nursing", "ku_short")),
        ({"level": "master"}, ("kth_cs",)),
        ({"season": "spring"}, ("kth_cs", "ku_nursing", "ku_short", "tum_digital")),
        ({"mobility_format": "digital"}, ("tum_digital",)),
        ({"grant": True}, ("tum_cs",)),
        ({"package": True}, ("ku_short",)),
        ({"q": "copenhagen"}, ("ku_nursing", "ku_short")),
        ({"country": "DE", "mobility_format": "semester"}, ("tum_cs",)),
        ({"subject": "0613", "season": "spring", "language": "en"}, ("kth_cs", "tum_digital")),
        ({"country": "SE", "grant": True}, ()),
    ],
)
def test_filters_alone_and_combined(agreements, filters, expected):
    assert set(refs(agreement_search(filters=FinderFilters(**filters)))) == names(
        agreements, *expected
    )


def test_window_fit_follows_subject_level_and_semester(tree, agreements):
    # Computer science, window in semester 5 (autumn): TUM in autumn fits, KTH (spring) does not;
    # the digital exchange fits beside any semester.
    programme = programme_create(owner_unit=tree["cs"], isced="0613", window=[5])
    found = refs(agreement_search(filters=FinderFilters(programme=programme, fits_window=True)))
    assert set(found) == names(agreements, "tum_cs", "tum_digital")
    spring = programme_create(owner_unit=tree["cs"], isced="0613", window=[4])
    found = refs(agreement_search(filters=FinderFilters(programme=spring, fits_window=True)))
    assert set(found) == names(agreements, "kth_cs", "tum_digital")


def test_placement_filter_keeps_the_placement_whole(tree, agreements):
    # Nursing: window in semester 5, a mandatory placement in semester 5 too.
    nursing = programme_create(owner_unit=tree["health"], isced="0913", window=[5], placements=[5])
    fits = FinderFilters(programme=nursing, fits_window=True, placement_ok=True)
    # Copenhagen arranges the placement; the short stay fits beside it.
    assert set(refs(agreement_search(filters=fits))) == names(agreements, "ku_nursing", "ku_short")
    ku = agreements["ku_nursing"]
    ku.takes_placements = False
    ku.save()
    assert set(refs(agreement_search(filters=fits))) == names(agreements, "ku_short")


def test_programmes_without_window(tree, agreements):
    fits = programme_create(owner_unit=tree["cs"], isced="0613", window=[5], code="FITS")
    wrong_term = programme_create(
        owner_unit=tree["cs"], isced="0612", level="master", window=[5], code="TERM"
    )
    nothing = programme_create(owner_unit=tree["it"], isced="0541", window=[3], code="MATH")
    placement = programme_create(
        owner_unit=tree["health"], isced="0913", window=[5], placements=[5], code="NURS"
    )
    gaps = {gap.programme.code: gap.reason for gap in programmes_without_window()}
    assert fits.code not in gaps and placement.code not in gaps
    assert gaps[wrong_term.code] == "wrong_semester"
    assert gaps[nothing.code] == "no_agreement_in_field"
    ku = agreements["ku_nursing"]
    ku.takes_placements = False
    ku.save()
    gaps = {gap.programme.code: gap.reason for gap in programmes_without_window()}
    assert gaps[placement.code] == "placement_in_window"


def _queries_for_a_page(filters):
    with CaptureQueriesContext(connection) as queries:
        from django.core.paginator import Paginator

        page = Paginator(agreement_search(filters=filters), 20).get_page(1)
        agreements_with_details(page.object_list)
    return len(queries)


@pytest.mark.stack
def test_query_count_does_not_grow_with_agreements(tree):
    programme = programme_create(owner_unit=tree["cs"], isced="0613", window=[5])
    filters = FinderFilters(programme=programme, fits_window=True, placement_ok=True, language="en")
    for _ in range(5):
        agreement_create(institution=tree["tum"], owner_unit=tree["it"])
    few = _queries_for_a_page(filters)
    for number in range(60):
        partner = institution_create(country="FR")
        agreement_create(
            institution=partner,
            owner_unit=tree["cs"],
            subjects=["0613", "0612"],
            languages=[("en", "B2"), ("fr", "B1")],
            months_out=1 + number % 10,
        )
    assert _queries_for_a_page(filters) == few
