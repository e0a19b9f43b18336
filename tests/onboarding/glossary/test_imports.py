"""The import: TBX in both shapes and CSV, bad entries reported with their reference, good ones
imported, and a second run that changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onboarding.glossary.errors import ImportFileError
from onboarding.glossary.imports import glossary_import, language_of
from onboarding.glossary.models import Term

pytestmark = pytest.mark.django_db

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="nb" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>Test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">0311 Economics</descrip>
      <langSec xml:lang="nb-NO">
        <descrip type="definition">Verdien av alt som produseres i et land.</descrip>
        <termSec><term>bruttonasjonalprodukt</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>BNP</term><termNote type="termType">acronym</termNote></termSec>
        <termSec><term>nasjonalprodukt</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>bruttoprodukt</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="en-GB">
        <descrip type="definition">The value of everything a country produces.</descrip>
        <termSec><term>gross domestic product</term></termSec>
        <termSec><term>GDP</term><termNote type="termType">abbreviation</termNote></termSec>
      </langSec>
      <langSec xml:lang="de"><termSec><term>Bruttoinlandsprodukt</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <descrip type="subjectField">Samfunnsøkonomi</descrip>
      <admin type="responsibility">fakultet-for-naturvitenskap</admin>
      <langSec xml:lang="nob"><termSec><term>styringsrente</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c3">
      <descrip type="subjectField">1234</descrip>
      <langSec xml:lang="en"><termSec><term>nowhere</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c4">
      <descrip type="subjectField">0311</descrip>
      <langSec xml:lang="sv"><termSec><term>ränta</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c5">
      <descrip type="subjectField">0311</descrip>
      <admin type="responsibility">no-such-unit</admin>
      <langSec xml:lang="en"><termSec><term>inflation</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""

TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <text><body>
    <termEntry id="old-1">
      <descrip type="subjectField">0531</descrip>
      <langSet xml:lang="no">
        <descripGrp><descrip type="definition">Et stoff som øker farten på en reaksjon.</descrip></descripGrp>
        <tig><term>katalysator</term></tig>
      </langSet>
      <langSet xml:lang="en-US">
        <descripGrp><descrip type="definition">A substance that speeds up a reaction.</descrip></descripGrp>
        <tig><term>catalyst</term><termNote type="termType">fullForm</termNote></tig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
"""

CSV = (
    "id,term_nb,term_en,synonyms_nb,synonyms_en,abbreviations_nb,abbreviations_en,"
    "definition_nb,definition_en,isced,owner\n"
    "r1,fadder,buddy,,mentor,,,Hjelper nye studenter.,Helps new students.,0111,\n"
    "r2,studiepoeng,ECTS credits,,credits,sp,ECTS,Måleenhet.,Unit of workload.,0111,"
    "internasjonal-seksjon\n"
    "r3,,,,,,,,,0111,\n"
    "r4,mentor,,,,,,,,0111,\n"
    "r5,dugnad,,,,,,Felles arbeid.,,0111,\n"
    "r6,emne,course,,,,,,,01,\n"
)


def _import(text, file_format, **options):
    return glossary_import(data=text.encode(), file_format=file_format, **options)


def test_language_tags_of_termbases():
    assert [
        language_of(tag) for tag in ("nb", "nob", "no", "nb-NO", "en", "en-GB", "nn", "de")
    ] == ["nb", "nb", "nb", "nb", "en", "en", None, None]


def test_tbx_imports_the_good_entries_and_reports_the_bad_ones(tree):
    result = _import(TBX, "tbx", owner_slug="internasjonal-seksjon")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    gdp = Term.objects.get(source_id="c1")
    assert (gdp.term_nb, gdp.term_en) == ("bruttonasjonalprodukt", "gross domestic product")
    assert gdp.synonyms_in("nb") == ["nasjonalprodukt"]
    assert gdp.abbreviations_in("nb") == ["BNP"] and gdp.abbreviations_in("en") == ["GDP"]
    assert gdp.definition_en == "The value of everything a country produces."
    assert gdp.field_id == "0311" and gdp.owner == tree["section"]
    rate = Term.objects.get(source_id="c2")
    # Named by the field's Norwegian name, owned by the unit the entry names, Norwegian only.
    assert rate.field_id == "0311" and rate.owner == tree["faculty_a"]
    assert rate.single_language == "nb"
    problems = {problem.ref: problem.message for problem in result.problems}
    assert set(problems) == {"Entry c3", "Entry c4", "Entry c5"}
    assert "1234" in problems["Entry c3"]
    assert "Norwegian or English" in problems["Entry c4"]
    assert "no-such-unit" in problems["Entry c5"]


def test_tbx_twice_changes_nothing(tree):
    _import(TBX, "tbx", owner_slug="internasjonal-seksjon")
    before = list(Term.objects.order_by("pk").values())
    again = _import(TBX, "tbx", owner_slug="internasjonal-seksjon")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Term.objects.order_by("pk").values()) == before


def test_older_tbx_basic_termentry_langset_tig(tree):
    result = _import(TBX_BASIC, "tbx", owner_slug="internasjonal-seksjon")
    assert result.created == 1 and not result.problems
    term = Term.objects.get()
    assert (term.term_nb, term.term_en, term.field_id) == ("katalysator", "catalyst", "0531")
    assert term.definition_nb == "Et stoff som øker farten på en reaksjon."


def test_a_changed_entry_updates_its_term(tree):
    _import(TBX_BASIC, "tbx", owner_slug="internasjonal-seksjon")
    changed = TBX_BASIC.replace("speeds up a reaction.", "speeds up a chemical reaction.")
    result = _import(changed, "tbx", owner_slug="internasjonal-seksjon")
    assert (result.created, result.updated) == (0, 1)
    assert Term.objects.get().definition_en == "A substance that speeds up a chemical reaction."


def test_csv_imports_good_rows_and_reports_bad_ones_by_row_number(tree):
    result = _import(CSV, "csv", owner_slug="institutt-for-fysikk")
    assert result.created == 3
    buddy = Term.objects.get(source_id="r1")
    assert buddy.synonyms_in("en") == ["mentor"] and buddy.owner == tree["department_a"]
    credits = Term.objects.get(source_id="r2")
    assert credits.abbreviations_in("nb") == ["sp"] and credits.owner == tree["section"]
    assert Term.objects.get(source_id="r5").single_language == "nb"
    problems = {problem.ref: problem.message for problem in result.problems}
    assert set(problems) == {"Row 4", "Row 5", "Row 7"}
    assert problems["Row 4"] == "No term in Norwegian or English."
    # "mentor" is already a synonym of "buddy".
    assert "fadder" in problems["Row 5"]
    assert "01" in problems["Row 7"]


def test_csv_twice_changes_nothing_and_matches_on_the_terms_without_ids(tree):
    without_ids = CSV.replace("\nr1,", "\n,").replace("\nr2,", "\n,")
    _import(without_ids, "csv", owner_slug="institutt-for-fysikk")
    again = _import(without_ids, "csv", owner_slug="institutt-for-fysikk")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Term.objects.count() == 3


def test_a_file_with_a_bad_header_or_no_tbx_is_refused_whole(tree):
    with pytest.raises(ImportFileError) as header:
        _import("term_nb,term_en\nfadder,buddy\n", "csv")
    assert header.value.code == "bad_header" and "isced" in str(header.value.message)
    with pytest.raises(ImportFileError) as broken:
        _import("<tbx><text>", "tbx")
    assert broken.value.code == "bad_format"
    with pytest.raises(ImportFileError) as owner:
        _import(CSV, "csv", owner_slug="nobody")
    assert owner.value.code == "unknown_owner"
    assert not Term.objects.exists()


def test_entity_expansion_is_refused(tree):
    bomb = '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaa">]><tbx>&a;</tbx>'
    with pytest.raises(ImportFileError):
        _import(bomb, "tbx")


def test_the_command_reads_a_file_and_reports(tree, tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("glossary_import", str(path), owner="institutt-for-fysikk", stdout=out, stderr=err)
    assert "3 created, 0 updated, 0 unchanged, 3 left out" in out.getvalue()
    assert "Row 4: No term in Norwegian or English." in err.getvalue()
    with pytest.raises(CommandError):
        call_command("glossary_import", str(path), owner="nobody", format="csv")
