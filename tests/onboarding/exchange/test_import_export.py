"""CSV import (all or nothing, row-by-row errors, idempotent) and the EWP-shaped JSON export."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from onboarding.exchange.exports import agreements_export, export_shape_problems
from onboarding.exchange.imports import COLUMNS, csv_rows, file_rows, rows_import
from onboarding.exchange.models import Agreement, Institution
from tests.onboarding.units.factories import mfa_enable


def row(tree, **changes):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "reference": "IMP-TUM-1",
            "hei_id": "tum.de",
            "institution_name_nb": "Technische Universität München",
            "institution_name_en": "Technical University of Munich",
            "country": "DE",
            "city": "München",
            "website": "https://www.tum.de/en/",
            "erasmus_code": "D MUNCHEN02",
            "type": "erasmus",
            "format": "semester",
            "owner_unit": tree["it"].slug_nb,
            "isced": "0613;0714",
            "levels": "bachelor;master",
            "languages": "en:B2;de:B1",
            "semesters": "autumn;spring",
            "places_out": "4",
            "months_out": "5",
            "places_in": "4",
            "months_in": "5",
            "takes_placements": "no",
            "valid_from": "2024-01-01",
            "valid_to": "2030-12-31",
            "nomination_autumn": "--04-15",
            "application_autumn": "--05-15",
            "decision_weeks": "5",
            "transcript_weeks": "5",
            "requirements": "transcript-of-records;motivation-letter",
            "housing_info_nb": "Studentboliger finnes.",
            "housing_info_en": "Student halls exist.",
            "housing_email": "housing@tum.de",
            "package": "yes",
            "package_courses_nb": "Maskinlæring|Robotikk",
            "package_courses_en": "Machine learning|Robotics",
            "grant": "no",
        }
    )
    values.update(changes)
    return values


def csv_text(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def good(tree):
    return [
        row(tree),
        row(
            tree,
            reference="IMP-UIO-1",
            hei_id="uio.no",
            institution_name_nb="Universitetet i Oslo",
            institution_name_en="University of Oslo",
            country="NO",
            city="Oslo",
            website="",
            erasmus_code="",
            format="short",
            days="10",
            months_out="0",
            months_in="0",
            isced="0913",
            levels="bachelor",
            languages="no:B2",
            semesters="spring",
            owner_unit=tree["health"].slug_nb,
            package="no",
            package_courses_nb="",
            package_courses_en="",
            grant="yes",
        ),
    ]


def test_a_valid_file_is_imported(tree, good):
    result = rows_import(csv_rows(csv_text(good)))
    assert (result.created, result.failed, result.written) == (2, 0, True)
    agreement = Agreement.objects.get(reference="IMP-TUM-1")
    assert sorted(agreement.subject_areas.values_list("code", flat=True)) == ["0613", "0714"]
    assert sorted(agreement.languages.values_list("language", "cefr")) == [
        ("de", "B1"),
        ("en", "B2"),
    ]
    assert agreement.package_courses_nb == "Maskinlæring\nRobotikk"
    with translation.override("en"):
        assert agreement.package_course_list == ["Machine learning", "Robotics"]
    assert (
        agreement.requires_motivation_letter and agreement.institution.erasmus_code == "D MUNCHEN02"
    )


def test_importing_the_same_file_again_changes_nothing(tree, good):
    rows_import(csv_rows(csv_text(good)))
    before = {a.reference: a.last_confirmed for a in Agreement.objects.all()}
    again = rows_import(csv_rows(csv_text(good)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert {a.reference: a.last_confirmed for a in Agreement.objects.all()} == before
    changed = rows_import(csv_rows(csv_text([row(tree, places_out="6")])))
    assert changed.updated == 1 and Agreement.objects.get(reference="IMP-TUM-1").places_out == 6


@pytest.mark.parametrize(
    ("changes", "code", "column"),
    [
        ({"isced": "0613;0999"}, "unknown_isced", "subject_areas"),
        ({"country": "XX"}, "unknown_country", "country"),
        ({"languages": "en:B7"}, "unknown_cefr", "languages"),
        ({"valid_to": "2020-01-01"}, "dates", "valid_to"),
        ({"valid_from": "1 January"}, "bad_date", "valid_from"),
        ({"owner_unit": "no-such-unit"}, "unknown_unit", "owner_unit"),
        ({"hei_id": "Not A Code"}, "invalid", "schac_code"),
        ({"levels": "postdoc"}, "bad_level", "levels"),
        ({"format": "short", "days": ""}, "no_days", "days"),
        ({"city": ""}, "missing", "city"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(tree, good, changes, code, column):
    bad = row(tree, reference="IMP-BAD-1", **changes)
    result = rows_import(csv_rows(csv_text([*good, bad])))
    assert not result.written
    assert [(e.line, e.reference, e.code, e.column) for e in result.errors] == [
        (4, "IMP-BAD-1", code, column)
    ]
    assert result.errors[0].message
    assert not Agreement.objects.exists()
    assert (
        not Institution.objects.filter(schac_code__in=["uio.no", "tum.de"])
        .exclude(pk=tree["tum"].pk)
        .exists()
    )


def test_import_the_valid_rows_on_request(tree, good):
    bad = row(tree, reference="IMP-BAD-1", isced="1234")
    result = rows_import(csv_rows(csv_text([good[0], bad, good[1]])), import_valid=True)
    assert result.written and result.created == 2 and result.errors[0].line == 3
    assert set(Agreement.objects.values_list("reference", flat=True)) == {"IMP-TUM-1", "IMP-UIO-1"}


def test_a_reference_twice_in_one_file_is_refused(tree, good):
    result = rows_import(csv_rows(csv_text([good[0], good[0]])))
    assert [e.code for e in result.errors] == ["reference_twice"] and not result.written


def test_a_file_without_the_required_columns_is_refused():
    from onboarding.exchange.errors import ExchangeError

    with pytest.raises(ExchangeError) as refused:
        csv_rows("reference,hei_id\nA,b.no\n")
    assert refused.value.code == "bad_header"


def test_export_has_the_documented_shape(tree, good):
    rows_import(csv_rows(csv_text(good)))
    document = agreements_export()
    assert export_shape_problems(document) == []
    tum = next(a for a in document["agreements"] if a["iia-id"] == "IMP-TUM-1")
    assert tum["partner-hei-id"] == "tum.de"
    assert tum["isced-f-codes"] == ["0613", "0714"]
    assert tum["eqf-levels"] == [6, 7]
    assert {"language": "de", "cefr-level": "B1"} in tum["recommended-language-skills"]
    assert tum["academic-terms"][0] == {"season": "autumn", "term-number": 1, "total-terms": 2}
    assert tum["factsheet"]["nomination-deadlines"] == {"autumn": "--04-15", "spring": None}
    assert {"lang": "nb", "text": "Studentboliger finnes."} in tum["factsheet"]["housing"]["info"]
    broken = json.loads(json.dumps(document))
    broken["agreements"][0]["isced-f-codes"] = ["61"]
    broken["agreements"][0]["partner-hei-id"] = "nowhere.example"
    assert len(export_shape_problems(broken)) == 2


def _comparable(document):
    document = json.loads(json.dumps(document))
    document.pop("generated")
    for agreement in document["agreements"]:
        agreement.pop("last-confirmed")
    return document


def test_round_trip_import_export_import_is_stable(tree, good):
    rows_import(csv_rows(csv_text(good)))
    first = agreements_export()
    text = json.dumps(first)
    # The export read back on the same data changes nothing...
    again = rows_import(file_rows("agreements.json", text))
    assert (again.unchanged, again.failed) == (2, 0)
    # ...and into an empty database gives the same export.
    Agreement.objects.all().delete()
    Institution.objects.filter(schac_code__in=["tum.de", "uio.no"]).delete()
    rebuilt = rows_import(file_rows("agreements.json", text))
    assert (rebuilt.created, rebuilt.failed) == (2, 0)
    assert _comparable(agreements_export()) == _comparable(first)


def test_the_commands(tree, good, tmp_path):
    source = tmp_path / "agreements.csv"
    source.write_text(csv_text(good), encoding="utf-8")
    out = io.StringIO()
    call_command("exchange_import", str(source), stdout=out)
    assert "[##############################] 2/2" in out.getvalue()
    assert "2 created" in out.getvalue()
    exported = tmp_path / "agreements.json"
    call_command("exchange_export", "--output", str(exported), stderr=io.StringIO())
    assert export_shape_problems(json.loads(exported.read_text(encoding="utf-8"))) == []
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([row(tree, reference="X-1", country="ZZ")]), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("exchange_import", str(bad), "--no-progress", stdout=io.StringIO(), stderr=err)
    assert "line 2 X-1 [country]" in err.getvalue()
    assert not Agreement.objects.filter(reference="X-1").exists()


def test_the_admin_upload(client, tree, good):
    staff = mfa_enable(tree["staff"])
    client.force_login(staff)
    upload = SimpleUploadedFile("a.csv", csv_text(good).encode(), content_type="text/csv")
    response = client.post(reverse("exchange_admin:import"), {"file": upload})
    assert response.status_code == 200 and Agreement.objects.count() == 2
    bad = SimpleUploadedFile(
        "b.csv",
        csv_text([row(tree, reference="Y-1", isced="0000")]).encode(),
        content_type="text/csv",
    )
    response = client.post(reverse("exchange_admin:import"), {"file": bad})
    assert response.status_code == 400 and 'data-code="unknown_isced"' in response.content.decode()
    assert client.get(reverse("exchange_admin:export")).status_code == 200
    client.force_login(mfa_enable(tree["it_editor"]))
    response = client.get(reverse("exchange_admin:import"))
    assert response.status_code in (302, 403)
