"""Importing lists of earlier decisions: all or nothing, reasons per bad row, idempotent."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.imports import COLUMNS, csv_rows, csv_template, rows_import
from onboarding.approvals.models import CourseApproval, HomeCourse
from onboarding.approvals.selectors.precedents import precedent_search
from tests.onboarding.units.factories import mfa_enable


def row(**values):
    return {**dict.fromkeys(COLUMNS, ""), **values}


def csv_text(rows, *, delimiter=","):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def good(tree):
    """Three decisions in five rows: a combination of two courses against one of ours, one
    course counting as two of ours, and an elective (with the unit given by number)."""
    unit = tree["cs"].slug_nb
    return [
        row(
            decision_id="A-1",
            institution="tum.de",
            foreign_code="IN0001",
            foreign_title="Einführung in die Informatik",
            foreign_ects="6",
            taught="autumn",
            home_code="DAT100",
            home_title_nb="Grunnleggende programmering",
            home_title_en="Introduction to programming",
            home_ects="10",
            deciding_unit=unit,
            decided_on="2024-03-04",
            isced="0613",
        ),
        # The second course of the combination: the decision's columns may stay empty, and
        # the home course repeated the same is one home course.
        row(
            decision_id="A-1",
            foreign_code="IN0002",
            foreign_title="Praktikum: Programmierung",
            foreign_ects="4",
            home_code="DAT100",
            home_title_nb="Grunnleggende programmering",
            home_title_en="Introduction to programming",
            home_ects="10",
        ),
        row(
            decision_id="A-2",
            institution="kth.se",
            foreign_code="DD2350",
            foreign_title="Algoritmer, datastrukturer och komplexitet",
            foreign_ects="9",
            foreign_level="master",
            home_code="DAT200",
            home_title_en="Algorithms",
            home_ects="5",
            deciding_unit=unit,
            decided_on="04.03.2024",
            valid_until="2026-12-31",
        ),
        # A row without a course abroad adds one more home course to the decision.
        row(
            decision_id="A-2",
            home_code="DAT201",
            home_title_nb="Kompleksitet",
            home_title_en="Complexity",
            home_ects="5",
        ),
        row(
            decision_id="A-3",
            institution="tum.de",
            foreign_code="IN2064",
            foreign_title="Machine Learning",
            foreign_ects="8,0",
            home_kind="elective",
            elective_level="master",
            elective_field="0613",
            home_ects="7,5",
            deciding_unit=str(tree["cs"].pk),
            decided_on="2023-01-10",
            note="Only with the lab.",
        ),
    ]


def test_a_good_file_is_imported_whole(tree, good):
    result = rows_import(csv_rows(csv_text(good)))
    assert (result.rows, result.decisions, result.created, result.unchanged) == (5, 3, 3, 0)
    assert result.written and not result.errors
    combination = CourseApproval.objects.get(foreign_courses__code="IN0002")
    assert sorted(combination.foreign_courses.values_list("code", flat=True)) == [
        "IN0001",
        "IN0002",
    ]
    assert list(combination.home_courses.values_list("code", flat=True)) == ["DAT100"]
    assert (combination.source, len(combination.import_key)) == ("import", 64)
    assert combination.valid_until == datetime.date(2029, 3, 4)
    two = CourseApproval.objects.get(foreign_courses__code="DD2350")
    assert list(two.home_courses.values_list("code", flat=True)) == ["DAT200", "DAT201"]
    assert two.decided_on == datetime.date(2024, 3, 4)
    assert two.home_courses.get(code="DAT200").title_nb == "Algorithms"
    elective = HomeCourse.objects.get(approval__foreign_courses__code="IN2064")
    assert (elective.kind, elective.elective_field_id, elective.ects) == (
        "elective",
        "0613",
        Decimal("7.5"),
    )
    # Found by the search like any other decision.
    assert [a.pk for a in precedent_search(query="praktikum grunnleggende")] == [combination.pk]


def test_importing_the_same_file_again_changes_nothing(tree, good):
    rows_import(csv_rows(csv_text(good)))
    before = sorted(CourseApproval.objects.values_list("pk", "import_key", "search_text"))
    again = rows_import(csv_rows(csv_text(good)))
    assert (again.created, again.unchanged, again.written) == (0, 3, True)
    assert sorted(CourseApproval.objects.values_list("pk", "import_key", "search_text")) == before
    # A decision changed in the list is another decision; the others stay unchanged.
    good[4]["note"] = "Only with the lab, from 2023."
    changed = rows_import(csv_rows(csv_text(good)))
    assert (changed.created, changed.unchanged) == (1, 2)


def test_a_semicolon_file_as_spreadsheets_save_it(tree, good):
    result = rows_import(csv_rows("\ufeff" + csv_text(good, delimiter=";")))
    assert result.created == 3


@pytest.mark.parametrize(
    ("index", "changes", "code", "column"),
    [
        (0, {"foreign_ects": "lots"}, "bad_ects", "foreign_ects"),
        (0, {"foreign_ects": "0.25"}, "bad_ects", "foreign_ects"),
        (0, {"home_ects": "NaN"}, "bad_ects", "home_ects"),
        (0, {"institution": "nowhere.example"}, "unknown_institution", "institution"),
        (0, {"deciding_unit": "no-such-unit"}, "unknown_unit", "deciding_unit"),
        (0, {"decided_on": "4 March 2024"}, "bad_date", "decided_on"),
        (0, {"isced": "0999"}, "unknown_isced", "isced"),
        (0, {"foreign_level": "postdoc"}, "bad_choice", "foreign_level"),
        (0, {"foreign_title": ""}, "foreign_incomplete", "foreign_title"),
        (0, {"foreign_url": "www.tum.de"}, "bad_url", "foreign_url"),
        (1, {"institution": "kth.se"}, "decision_differs", "institution"),
        (1, {"foreign_code": "IN0001"}, "foreign_twice", "foreign_code"),
        (1, {"home_ects": "7.5"}, "home_differs", "home_code"),
        (2, {"home_title_en": ""}, "home_incomplete", "home_title_nb"),
        (4, {"elective_field": ""}, "elective_incomplete", "elective_field"),
        (4, {"decision_id": ""}, "bad_decision_id", "decision_id"),
        (
            3,
            {"home_code": "", "home_title_nb": "", "home_title_en": "", "home_ects": ""},
            "empty_row",
            "foreign_code",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(
    tree, good, index, changes, code, column
):
    good[index].update(changes)
    result = rows_import(csv_rows(csv_text(good)))
    assert not result.written and result.created == 0
    assert [(e.line, e.code, e.column) for e in result.errors] == [(index + 2, code, column)]
    assert result.errors[0].message
    assert not CourseApproval.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code", "column"),
    [
        ({"valid_until": "2020-01-01"}, "valid_before_decided", "valid_until"),
        ({"decided_on": "1899-01-01"}, "date_out_of_range", None),
    ],
)
def test_a_bad_decision_is_reported_on_its_first_line(tree, good, changes, code, column):
    good[2].update(changes)
    result = rows_import(csv_rows(csv_text(good)))
    assert [(e.line, e.decision_id, e.code, e.column) for e in result.errors] == [
        (4, "A-2", code, column)
    ]
    assert not CourseApproval.objects.exists()


def test_a_decision_without_a_home_side_or_a_unit(tree, good):
    for line in good:
        line["deciding_unit"] = ""
    good[3].update(
        home_code="",
        home_title_nb="",
        home_title_en="",
        home_ects="",
        foreign_code="X1",
        foreign_title="X",
        foreign_ects="5",
    )
    result = rows_import(csv_rows(csv_text(good)))
    assert {e.code for e in result.errors} == {"decision_incomplete"}
    assert len(result.errors) == 3


def test_every_bad_row_is_reported_in_the_readers_language(tree, good):
    good[0]["foreign_ects"] = "x"
    good[4]["elective_field"] = "0999"
    with translation.override("nb"):
        result = rows_import(csv_rows(csv_text(good)))
    assert [(e.line, e.code) for e in result.errors] == [(2, "bad_ects"), (6, "unknown_isced")]
    with translation.override("en"):
        english = rows_import(csv_rows(csv_text(good)))
    assert result.errors[0].message != english.errors[0].message
    assert "studiepoeng" in result.errors[0].message


def test_the_header_is_checked(tree):
    with pytest.raises(ApprovalError) as refused:
        csv_rows("decision_id,institution\nA,tum.de\n")
    assert refused.value.code == "bad_header" and "foreign_code" in str(refused.value.message)
    with pytest.raises(ApprovalError) as refused:
        csv_rows(",".join([*COLUMNS, "colour"]) + "\n")
    assert refused.value.code == "bad_header" and "colour" in str(refused.value.message)


def test_a_line_number_counts_line_breaks_inside_cells(tree, good):
    good[0]["note"] = "First line\nsecond line"
    good[2]["foreign_ects"] = "x"
    result = rows_import(csv_rows(csv_text(good)))
    assert [e.line for e in result.errors] == [5]


def test_the_default_unit_and_a_unit_editors_rights(tree, good):
    for line in good:
        line["deciding_unit"] = ""
    refused = rows_import(
        csv_rows(csv_text(good)), user=tree["cs_adviser"], default_unit=tree["health"]
    )
    assert {e.code for e in refused.errors} == {"forbidden_unit"}
    assert not CourseApproval.objects.exists()
    result = rows_import(csv_rows(csv_text(good)), user=tree["cs_adviser"], default_unit=tree["cs"])
    assert result.created == 3
    assert set(CourseApproval.objects.values_list("deciding_unit", flat=True)) == {tree["cs"].pk}


def test_decisions_imported_by_someone_else_meanwhile_write_nothing(tree, good):
    def meanwhile(phase, done, total):
        if phase == "writing" and done == 0:
            rows_import(csv_rows(csv_text(good[4:])))

    result = rows_import(csv_rows(csv_text(good)), progress=meanwhile)
    assert not result.written and [e.code for e in result.errors] == ["imported_meanwhile"]
    assert not CourseApproval.objects.exists()


def test_progress_is_told_for_checking_and_writing(tree, good):
    seen = []
    rows_import(csv_rows(csv_text(good)), progress=lambda *state: seen.append(state))
    assert ("checking", 5, 5) in seen and seen[-1] == ("writing", 3, 3)


def test_the_template_imports_as_it_is(tree):
    tree["cs"].slug_nb = "institutt-for-datateknologi"
    tree["cs"].save()
    result = rows_import(csv_rows(csv_template()))
    assert (result.created, result.errors) == (2, [])


# --- The command -------------------------------------------------------------------------------


def test_the_command_imports_with_a_default_unit(tree, good, tmp_path, capsys):
    for line in good:
        line["deciding_unit"] = ""
    path = tmp_path / "decisions.csv"
    path.write_text(csv_text(good), encoding="utf-8")
    call_command("precedents_import", str(path), "--unit", tree["cs"].slug_nb)
    out = capsys.readouterr().out
    assert "3 new, 0 unchanged" in out and "writing" in out
    call_command("precedents_import", str(path), "--unit", str(tree["cs"].pk), "--no-progress")
    assert "0 new, 3 unchanged" in capsys.readouterr().out
    good[0]["foreign_ects"] = "x"
    path.write_text(csv_text(good), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("precedents_import", str(path), "--unit", tree["cs"].slug_nb)
    assert "line 2 A-1 [foreign_ects]" in capsys.readouterr().err
    assert CourseApproval.objects.count() == 3


# --- The admin's upload ------------------------------------------------------------------------


def upload(text, name="decisions.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


JOB = "0123456789abcdef0123456789abcdef"


def test_staff_upload_a_list_and_follow_its_progress(client, tree, good):
    client.force_login(mfa_enable(tree["staff"]))
    page = client.get(reverse("precedents_admin:import"))
    assert page.status_code == 200
    job = re.search(r'name="job" value="([0-9a-f]{32})"', page.content.decode())[1]
    progress = reverse("precedents_admin:import_progress", args=[job])
    assert client.get(progress).json()["phase"] == "waiting"
    response = client.post(
        reverse("precedents_admin:import"), {"file": upload(csv_text(good)), "job": job}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "5 rows, 3 decisions: 3 new, 0 unchanged." in shown
    assert CourseApproval.objects.count() == 3
    state = client.get(progress).json()
    assert (state["phase"], state["done"], state["total"]) == ("done", 3, 3)
    # Another person cannot read it.
    client.force_login(mfa_enable(tree["cs_adviser"]))
    assert client.get(progress).json()["phase"] == "waiting"


def test_an_upload_with_bad_rows_lists_them_and_imports_nothing(client, tree, good):
    client.force_login(mfa_enable(tree["staff"]))
    good[1]["foreign_ects"] = "many"
    good[4]["elective_level"] = "doctor"
    response = client.post(
        reverse("precedents_admin:import"), {"file": upload(csv_text(good)), "job": JOB}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'data-import-result="refused"' in page
    assert re.findall(r'data-line="(\d+)" data-code="(\w+)"', page) == [
        ("3", "bad_ects"),
        ("6", "bad_choice"),
    ]
    assert not CourseApproval.objects.exists()
    state = client.get(reverse("precedents_admin:import_progress", args=[JOB])).json()
    assert state["phase"] == "refused"


@pytest.mark.parametrize("unit", ["9" * 40, "x", "0"])
def test_an_upload_for_a_unit_that_is_no_id_is_a_refused_choice(client, tree, good, unit):
    client.force_login(mfa_enable(tree["staff"]))
    response = client.post(
        reverse("precedents_admin:import"),
        {"file": upload(csv_text(good)), "job": JOB, "unit": unit},
    )
    assert response.status_code == 400
    assert not CourseApproval.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Ærlig;emne\n".encode("latin-1"), "UTF-8"),
        (b"decision_id,institution\n", "lacks the columns"),
    ],
)
def test_an_unreadable_file_is_refused(client, tree, content, message):
    client.force_login(mfa_enable(tree["staff"]))
    response = client.post(
        reverse("precedents_admin:import"),
        {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv"), "job": JOB},
    )
    assert response.status_code == 400 and message in response.content.decode()


def test_a_unit_editor_imports_for_their_unit(client, tree, good):
    client.force_login(mfa_enable(tree["cs_adviser"]))
    for line in good:
        line["deciding_unit"] = ""
    form = client.get(reverse("precedents_admin:import")).context["form"]
    assert list(form.fields["unit"].queryset) == [tree["cs"]]
    refused = client.post(
        reverse("precedents_admin:import"),
        {"file": upload(csv_text(good)), "unit": tree["health"].pk, "job": JOB},
    )
    assert refused.status_code == 400 and not CourseApproval.objects.exists()
    response = client.post(
        reverse("precedents_admin:import"),
        {"file": upload(csv_text(good)), "unit": tree["cs"].pk, "job": JOB},
    )
    assert response.status_code == 302 and CourseApproval.objects.count() == 3


def test_the_template_download_and_who_may_import(client, tree):
    client.force_login(mfa_enable(tree["staff"]))
    response = client.get(reverse("precedents_admin:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == ",".join(COLUMNS)
    client.force_login(tree["student"])
    assert client.get(reverse("precedents_admin:import")).status_code == 302
    refused = client.post(reverse("precedents_admin:import"), {"file": upload("x"), "job": JOB})
    assert refused.status_code == 302 and refused["Location"] in ("/nb/", "/en/")
