"""The demo's exchange data: partners, agreements over the faculties, programmes, the window report."""

import pytest

from onboarding.exchange.demo import DATA
from onboarding.exchange.models import (
    Agreement,
    ExperienceReport,
    Institution,
    MobilityFormat,
    Programme,
    ReportStatus,
    StudentProgramme,
)
from onboarding.exchange.selectors import (
    FinderFilters,
    agreement_search,
    agreement_stale_list,
    programmes_without_window,
)
from onboarding.units.models import UnitPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def test_partners_agreements_and_programmes(demo):
    assert Institution.objects.count() >= 40
    assert Institution.objects.values("country").distinct().count() >= 15
    assert Agreement.objects.count() == len(DATA["catalogue"]["agreements"])
    formats = set(Agreement.objects.values_list("mobility_format", flat=True))
    assert formats == set(MobilityFormat.values)
    # Every faculty owns agreements, itself or through its departments.
    owners = UnitPage.objects.filter(exchange_agreements__isnull=False).distinct()
    faculties = {unit.get_parent().pk if unit.kind == "department" else unit.pk for unit in owners}
    assert faculties == set(UnitPage.objects.filter(kind="faculty").values_list("pk", flat=True))
    assert Programme.objects.exclude(placement_semesters=[]).count() >= 2


def test_the_outgoing_student_finds_destinations_that_fit(demo):
    link = StudentProgramme.objects.select_related("programme").get(
        user__email="sofie.haugen@velkommen.test"
    )
    filters = FinderFilters(programme=link.programme, fits_window=True, placement_ok=True)
    found = list(agreement_search(filters=filters))
    assert found and found[0].takes_placements
    assert {a.mobility_format for a in found} >= {MobilityFormat.SEMESTER, MobilityFormat.DIGITAL}


def test_the_window_report_on_the_demo(demo):
    gaps = {gap.programme.code: gap.reason for gap in programmes_without_window()}
    assert gaps == {"MGLU1-7": "placement_in_window", "MSOS": "no_agreement_in_field"}


def test_stale_agreements_and_reports(demo):
    stale = {a.reference for a in agreement_stale_list()}
    expected = {
        a["ref"] for a in DATA["catalogue"]["agreements"] if a.get("confirmed_months_ago", 1) > 12
    }
    assert stale == expected
    published = ExperienceReport.objects.filter(status=ReportStatus.PUBLISHED)
    assert set(published.values_list("language", flat=True)) == {"nb", "en"}
    assert ExperienceReport.objects.filter(status=ReportStatus.PENDING).exists()
