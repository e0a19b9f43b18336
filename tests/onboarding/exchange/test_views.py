"""The finder, the destination page and the report form, in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.exchange.models import ExperienceReport, ReportStatus, StudentProgramme
from tests.onboarding.exchange.factories import agreement_create, programme_create, report_create


@pytest.fixture
def setup(tree):
    tum = agreement_create(
        institution=tree["tum"],
        owner_unit=tree["it"],
        subjects=["0613"],
        autumn=True,
        spring=False,
        housing_info_en="Student halls near campus.",
        housing_info_nb="Studentboliger nær campus.",
        housing_email="housing@tum.de",
        nomination_autumn="--04-15",
    )
    kth = agreement_create(
        institution=tree["kth"],
        owner_unit=tree["it"],
        subjects=["0613"],
        autumn=False,
        spring=True,
    )
    programme = programme_create(
        owner_unit=tree["cs"], isced="0613", window=[5], name="Informatikk"
    )
    return {**tree, "tum": tum, "kth": kth, "programme": programme}


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"exchange:{name}", kwargs=kwargs)


def test_urls_are_translated():
    assert url("finder", "nb") == "/nb/utveksling/reisemal/"
    assert url("finder", "en") == "/en/exchange/destinations/"
    assert url("destination", "en", schac="tum.de") == "/en/exchange/destinations/tum.de/"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_finder_lists_and_filters_without_javascript(client, setup, language):
    response = client.get(url("finder", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert setup["tum"].reference in html and setup["kth"].reference in html
    assert '<label for="id_country">' in html
    response = client.get(url("finder", language), {"country": "SE"})
    html = response.content.decode()
    assert setup["kth"].reference in html and setup["tum"].reference not in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_finder_presets_the_students_programme(client, setup, language):
    student = setup["student"]
    StudentProgramme.objects.create(user=student, programme=setup["programme"], semester=3)
    client.force_login(student)
    response = client.get(url("finder", language))
    html = response.content.decode()
    assert "data-preset" in html
    # Window in semester 5 (autumn): TUM fits, KTH (spring only) is filtered out.
    assert setup["tum"].reference in html and setup["kth"].reference not in html
    assert response.context["form"]["fits_window"].value()
    # Clearing the filters shows everything again.
    html = client.get(url("finder", language), {"programme": ""}).content.decode()
    assert setup["kth"].reference in html


def test_finder_bad_filter_is_a_400(client, setup):
    assert client.get(url("finder", "en"), {"level": "nonsense"}).status_code == 400


def test_save_my_programme(client, setup):
    client.force_login(setup["student"])
    response = client.post(url("programme_save", "en"), {"programme": setup["programme"].pk})
    assert response.status_code == 302
    assert StudentProgramme.objects.get(user=setup["student"]).programme == setup["programme"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_destination_page_shows_factsheet_and_only_published_reports(client, setup, language):
    report_create(agreement=setup["tum"], title="Published one", language="en")
    report_create(agreement=setup["tum"], title="Waiting one", status=ReportStatus.PENDING)
    report_create(agreement=setup["tum"], title="Declined one", status=ReportStatus.REJECTED)
    response = client.get(url("destination", language, schac="tum.de"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Published one" in html and "Waiting one" not in html and "Declined one" not in html
    housing = "Studentboliger nær campus." if language == "nb" else "Student halls near campus."
    assert housing in html and "housing@tum.de" in html
    assert ("15. april" if language == "nb" else "April 15") in html
    assert 'lang="en"' in html


def test_destination_reports_are_searchable(client, setup):
    report_create(
        agreement=setup["tum"], title="Munich in autumn", text="Beer gardens and lectures."
    )
    report_create(agreement=setup["tum"], title="Housing tips", text="Apply for halls early.")
    html = client.get(url("destination", "en", schac="tum.de"), {"q": "halls"}).content.decode()
    assert "Housing tips" in html and "Munich in autumn" not in html


def test_unknown_destination_is_404(client, setup):
    assert client.get(url("destination", "en", schac="nowhere.example")).status_code == 404


def test_stale_agreement_shows_a_notice(client, setup):
    from datetime import timedelta

    from django.utils import timezone

    from onboarding.exchange.models import Agreement

    Agreement.objects.filter(pk=setup["tum"].pk).update(
        last_confirmed=timezone.now() - timedelta(days=400)
    )
    assert "data-stale" in client.get(url("destination", "en", schac="tum.de")).content.decode()
    assert "data-stale" not in client.get(url("destination", "en", schac="kth.se")).content.decode()


def test_report_form_needs_login(client, setup):
    response = client.get(url("report_create", "en", schac="tum.de"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_report_form_creates_a_pending_report(client, setup, language):
    client.force_login(setup["student"])
    form_url = url("report_create", language, schac="tum.de")
    assert client.get(form_url).status_code == 200
    data = {
        "agreement": setup["tum"].pk,
        "language": "nb",
        "year": setup["tum"].valid_from.year,
        "season": "autumn",
        "title": "Et fint semester",
        "text": "Godt faglig opplegg.",
        "rating_academic": 5,
        "rating_housing": 3,
        "rating_support": 4,
        "rating_social": 5,
    }
    response = client.post(form_url, data)
    assert response.status_code == 302
    report = ExperienceReport.objects.get(title="Et fint semester")
    assert report.status == ReportStatus.PENDING and report.author == setup["student"]
    bad = client.post(form_url, {**data, "title": ""})
    assert bad.status_code == 400


def test_the_preset_filters_survive_paging(client, setup):
    StudentProgramme.objects.create(user=setup["student"], programme=setup["programme"])
    for _ in range(21):
        agreement_create(institution=setup["tum"].institution, owner_unit=setup["it"], autumn=True)
    client.force_login(setup["student"])
    response = client.get(url("finder", "en"), {"page": 2})
    assert "data-preset" in response.content.decode()
    assert response.context["page_obj"].number == 2
    assert response.context["page_obj"].paginator.count == 22


def _finder_queries(client, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("finder", "en"), query).status_code == 200
    return len(queries)


@pytest.mark.stack
def test_the_finder_page_makes_as_many_queries_for_5_as_for_60_agreements(client, setup):
    from tests.onboarding.exchange.factories import institution_create

    StudentProgramme.objects.create(user=setup["student"], programme=setup["programme"])
    client.force_login(setup["student"])
    query = {"programme": setup["programme"].pk, "fits_window": "on", "language": "en"}
    for _ in range(3):
        agreement_create(institution=setup["tum"].institution, owner_unit=setup["it"])
    _finder_queries(client, query)  # the first request fills the caches
    few = _finder_queries(client, query)
    for number in range(55):
        agreement_create(
            institution=institution_create(country="FR"),
            owner_unit=setup["cs"],
            subjects=["0613", "0612"],
            languages=[("en", "B2"), ("fr", "B1")],
            months_out=1 + number % 10,
        )
    assert _finder_queries(client, query) == few


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_subject_filter_takes_a_whole_broad_field(client, setup, language):
    nursing = agreement_create(
        institution=setup["kth"].institution, owner_unit=setup["health"], subjects=["0913"]
    )
    response = client.get(url("finder", language), {"subject": "09"})
    assert response.status_code == 200
    html = response.content.decode()
    assert nursing.reference in html and setup["tum"].reference not in html
    whole = (
        "Helse og velferd: alle fagfelt" if language == "nb" else "Health and welfare: all fields"
    )
    assert whole in html
