"""Going abroad in Chromium: a nursing student finds a destination that fits their programme,
reads it and writes a report, in both languages; axe on the finder, the destination page and the
report form at 1280 and 320 px."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onboarding.exchange.models import ExperienceReport, MobilityFormat, ReportStatus
from onboarding.exchange.services import student_programme_set
from onboarding.units.kinds import UnitKind
from tests.factories import UserFactory
from tests.onboarding.exchange.factories import (
    agreement_create,
    institution_create,
    programme_create,
    report_create,
)
from tests.onboarding.units.factories import directory_create, unit_create

from .helpers import assert_no_axe_violations, db_access, sign_in

pytestmark = pytest.mark.browser

FINDER = {"nb": "/nb/utveksling/reisemal/", "en": "/en/exchange/destinations/"}


@pytest.fixture
def exchange(site_tree, asgi_server):
    """A health faculty, three partners (one fits nursing's window), a nursing student."""
    directory = directory_create(site_tree["home"], publish=False)
    health = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for helsevitenskap",
        name_en="Faculty of Health Sciences",
        publish=False,
    )
    ku = institution_create(
        country="DK", name="University of Copenhagen", schac="ku.dk", city="København"
    )
    lund = institution_create(country="SE", name="Lund University", schac="lu.se", city="Lund")
    porto = institution_create(
        country="PT", name="University of Porto", schac="up.pt", city="Porto"
    )
    fits = agreement_create(
        institution=ku,
        owner_unit=health,
        subjects=["0913"],
        languages=[("da", "B1"), ("en", "B2")],
        autumn=True,
        spring=False,
        takes_placements=True,
        reference="KU-NURSING",
        housing_info_nb="Kollektiv nær campus.",
        housing_info_en="Shared flats near campus.",
    )
    # Spring only, and no placement: outside the window.
    agreement_create(
        institution=lund,
        owner_unit=health,
        subjects=["0913"],
        autumn=False,
        spring=True,
        reference="LU-NURSING",
    )
    agreement_create(
        institution=porto,
        owner_unit=health,
        subjects=["0913"],
        reference="UP-SHORT",
        mobility_format=MobilityFormat.SHORT,
        days=14,
        months_out=0,
    )
    report_create(
        agreement=fits, language="nb", title="Praksis i København", text="Veldig lærerikt."
    )
    programme = programme_create(
        owner_unit=health,
        isced="0913",
        window=[5],
        placements=[5],
        code="BSYK",
        name="Bachelor i sykepleie",
    )
    student = UserFactory(email="sofie@example.test")
    student_programme_set(user=student, programme=programme, semester=3)
    return {"student": student, "fits": fits}


def _clean_at_both_widths(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_finds_a_destination_that_fits_and_writes_a_report(
    exchange, page, asgi_server, language
):
    sign_in(page, asgi_server, exchange["student"])
    page.goto(FINDER[language])
    # Pre-set from the programme: Copenhagen (placement in the window) and the short stay fit;
    # Lund (spring only) does not.
    cards = page.locator("li.card[data-reference]")
    expect(cards).to_have_count(2)
    expect(page.locator('[data-reference="KU-NURSING"]')).to_be_visible()
    expect(page.locator('[data-reference="LU-NURSING"]')).to_have_count(0)
    # The long stay comes first.
    expect(cards.first).to_have_attribute("data-reference", "KU-NURSING")
    _clean_at_both_widths(page)

    with translation.override(language):
        country = page.get_by_label("Country" if language == "en" else "Land", exact=True)
    country.select_option("DK")
    page.locator("form.course-filters button[type=submit]").click()
    expect(cards).to_have_count(1)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator('[data-reference="KU-NURSING"] h3 a').click()
    expect(page.locator("h1")).to_have_text("University of Copenhagen")
    fit_badge = "Passer programmet ditt" if language == "nb" else "Fits your programme"
    expect(page.locator(".exchange-agreement .badge--fit")).to_have_text(fit_badge)
    housing = "Kollektiv nær campus." if language == "nb" else "Shared flats near campus."
    expect(page.get_by_text(housing)).to_be_visible()
    expect(page.locator("article.exchange-report h3[lang=nb]")).to_have_text("Praksis i København")
    _clean_at_both_widths(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator(f'a[href$="/{"erfaringsrapport" if language == "nb" else "report"}/"]').click()
    expect(page.locator("form.form-card")).to_be_visible()
    _clean_at_both_widths(page)

    page.fill("#id_title", "Et godt semester" if language == "nb" else "A good semester")
    page.fill("#id_text", "Godt faglig." if language == "nb" else "Good teaching.")
    page.select_option("#id_season", "autumn")
    for name in ("academic", "housing", "support", "social"):
        page.locator(f'input[name="rating_{name}"][value="4"]').check()
    page.locator("form.form-card button[type=submit]").click()
    expect(page.locator(".message--success")).to_be_visible()
    with db_access():
        report = ExperienceReport.objects.get(author=exchange["student"])
        assert report.status == ReportStatus.PENDING and report.language == language
    # Waiting for moderation: not on the page yet.
    expect(page.locator("article.exchange-report")).to_have_count(1)
