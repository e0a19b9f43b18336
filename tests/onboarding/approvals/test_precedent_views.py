"""The public pages of earlier decisions, the picker's JSON, and the admin of decisions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.approvals.models import CourseApproval, HomeCourse
from onboarding.exchange.models import IscedField
from tests.onboarding.approvals.factories import foreign, home, precedent_make
from tests.onboarding.approvals.test_precedents import bulk_precedents
from tests.onboarding.units.factories import mfa_enable

TODAY = timezone.localdate()
SNIPPETS = "wagtailsnippets_approvals_courseapproval"


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def items(response):
    """The decisions listed on a page, by id."""
    return [int(pk) for pk in re.findall(r'data-precedent="(\d+)"', response.content.decode())]


@pytest.fixture
def decisions(tree):
    combination = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=TODAY - datetime.timedelta(days=200),
        foreign_rows=[
            foreign("IN2010", "Grundlagen der Algorithmen", ects="6"),
            foreign("IN2011", "Algorithmen Praktikum", ects="4"),
        ],
        home_rows=[
            home("DAT200", "Algoritmer og datastrukturer", "Algorithms and data structures")
        ],
    )
    expired = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=TODAY - datetime.timedelta(days=7 * 365),
        valid_until=TODAY - datetime.timedelta(days=400),
        foreign_rows=[foreign("IN2010", "Grundlagen der Algorithmen", ects="6")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    kth = precedent_make(
        institution=tree["kth"],
        unit=tree["health"],
        foreign_rows=[foreign("HE1001", "Omvårdnad")],
        home_rows=[home("SYK100", "Sykepleie", "Nursing")],
    )
    return {"combination": combination, "expired": expired, "kth": kth}


# --- The search page -----------------------------------------------------------------------


def test_the_addresses_are_translated():
    assert (
        url("approvals:precedent_search", "nb")
        == "/nb/utveksling/emnegodkjenning/tidligere-vedtak/"
    )
    assert url("approvals:precedent_search", "en") == "/en/exchange/approvals/earlier-decisions/"
    assert url("approvals:precedent_detail", "nb", approval_id=4) == (
        "/nb/utveksling/emnegodkjenning/tidligere-vedtak/4/"
    )


@pytest.mark.parametrize(
    ("language", "title", "expired", "home_title"),
    [
        ("nb", "Tidligere vedtak om emner", "Utløpt", "Algoritmer og datastrukturer"),
        ("en", "Earlier course decisions", "Expired", "Algorithms and data structures"),
    ],
)
def test_anyone_searches_in_both_languages(client, decisions, language, title, expired, home_title):
    response = client.get(url("approvals:precedent_search", language), {"q": "in2010"})
    page = response.content.decode()
    assert response.status_code == 200
    assert title in page and home_title in page
    assert items(response) == [decisions["combination"].pk, decisions["expired"].pk]
    # The expired decision says so in words, not only in colour.
    expired_item = page.split(f'data-precedent="{decisions["expired"].pk}"')[1]
    assert f">{expired}</span>" in expired_item


def test_a_combination_is_shown_as_one_item_with_both_sides(client, decisions):
    response = client.get(url("approvals:precedent_search"), {"q": "praktikum"})
    page = response.content.decode()
    assert items(response) == [decisions["combination"].pk]
    assert "1 earlier decision<" in page
    item = page.split('data-precedent="')[1]
    assert "IN2010 + IN2011" in item and "DAT200" in item
    assert "10.0 ECTS in all" in item and "Approved together" in item


def test_expired_decisions_are_shown_unless_the_form_leaves_them_out(client, decisions):
    address = url("approvals:precedent_search")
    # A link (from a destination page) keeps them; the form with the box unticked leaves them out.
    assert decisions["expired"].pk in items(client.get(address, {"institution": "tum.de"}))
    unticked = client.get(address, {"institution": "tum.de", "searched": "1"})
    assert items(unticked) == [decisions["combination"].pk]
    ticked = client.get(address, {"searched": "1", "include_expired": "on", "q": "IN2010"})
    assert len(items(ticked)) == 2
    assert re.search(r'name="include_expired"[^>]* checked', client.get(address).content.decode())


def test_filters_and_the_partner_heading(client, decisions):
    response = client.get(url("approvals:precedent_search"), {"institution": "kth.se"})
    assert items(response) == [decisions["kth"].pk]
    assert "Earlier course decisions at KTH Royal Institute of Technology" in (
        response.content.decode()
    )
    assert items(client.get(url("approvals:precedent_search"), {"home_code": "dat100"})) == [
        decisions["expired"].pk
    ]


def test_a_partner_without_decisions_opens_an_empty_search(client, tree, decisions):
    response = client.get(url("approvals:precedent_search"), {"institution": "ku.dk"})
    assert response.status_code == 200 and items(response) == []
    assert "University of Copenhagen" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"institution": "nowhere.example"}, {"isced": "6"}, {"q": "x" * 300}]
)
def test_a_bad_search_is_a_form_error(client, decisions, query):
    response = client.get(url("approvals:precedent_search"), query)
    assert response.status_code == 400 and items(response) == []


def test_the_destination_page_links_to_its_decisions(client, tree):
    page = client.get(url("exchange:destination", schac="tum.de")).content.decode()
    link = url("approvals:precedent_search") + "?institution=tum.de"
    assert f'href="{link}"' in page
    assert "Earlier course decisions at Technische Universität München" in page


def test_pages_of_twenty(client, tree):
    bulk_precedents(tree, 45)
    first = client.get(url("approvals:precedent_search"), {"q": "bulk"})
    assert len(items(first)) == 20 and "45 earlier decisions" in first.content.decode()
    last = client.get(url("approvals:precedent_search"), {"q": "bulk", "page": "3"})
    assert len(items(last)) == 5


def _queries(client, address, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, data or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.stack
def test_the_pages_make_the_same_number_of_queries_for_10_and_1000_decisions(client, tree):
    bulk_precedents(tree, 10)
    search = url("approvals:precedent_search")
    pick = url("approvals:precedent_pick_json")
    _queries(client, search)  # the site's own first reads (its root, its contact), kept after
    few = (_queries(client, search, {"q": "informatik"}), _queries(client, pick, {"q": "bulk"}))
    bulk_precedents(tree, 990)
    many = (_queries(client, search, {"q": "informatik"}), _queries(client, pick, {"q": "bulk"}))
    assert many == few


# --- One decision --------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "title"), [("nb", "Algoritmer"), ("en", "Algorithms")])
def test_a_decision_shows_its_combination_and_the_other_decisions(
    client, decisions, language, title
):
    combination = decisions["combination"]
    response = client.get(url("approvals:precedent_detail", language, approval_id=combination.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "IN2010 + IN2011" in page and f"DAT200 {title}" in page
    assert "Grundlagen der Algorithmen" in page
    # The other decision on IN2010 (expired) is listed; the KTH one is not.
    assert items(response) == [decisions["expired"].pk]
    assert "data-summary" in page


def test_an_expired_decision_says_so(client, decisions):
    response = client.get(url("approvals:precedent_detail", approval_id=decisions["expired"].pk))
    page = response.content.decode()
    assert "data-expired" in page and ">Expired</span>" in page


def test_an_unknown_decision_is_not_found(client, decisions):
    assert client.get(url("approvals:precedent_detail", approval_id=10**12)).status_code == 404


# --- The picker's JSON ------------------------------------------------------------------------


def test_the_picker_gives_the_rows_to_prefill_and_the_summary(client, tree, decisions):
    precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        decided_on=TODAY - datetime.timedelta(days=30),
        foreign_rows=[foreign("IN2010", "Grundlagen der Algorithmen", ects="6")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    response = client.get(
        url("approvals:precedent_pick_json"), {"institution": "tum.de", "q": "in2010"}
    )
    data = response.json()
    assert response.status_code == 200 and data["count"] == 3
    first = data["results"][0]
    assert first["foreign"] == [
        {
            "code": "IN2010",
            "title": "Grundlagen der Algorithmen",
            "ects": "6.0",
            "level": "bachelor",
            "url": "",
            "taught": "",
        }
    ]
    assert first["home"][0]["code"] == "DAT100" and first["home"][0]["title"] == "Programming"
    assert first["times"] == 2 and first["expired"] is False
    assert first["summary"].startswith("Approved 2 times as DAT100 Programming, last in ")
    assert first["url"] == url("approvals:precedent_detail", approval_id=first["id"])
    assert data["results"][-1]["expired"] is True
    left_out = client.get(
        url("approvals:precedent_pick_json"), {"q": "in2010", "include_expired": "0", "limit": "1"}
    ).json()
    assert left_out["count"] == 2 and len(left_out["results"]) == 1
    norwegian = client.get(url("approvals:precedent_pick_json", "nb"), {"q": "in2010"}).json()
    assert norwegian["results"][0]["home"][0]["title"] == "Programmering"


def test_the_picker_refuses_bad_parameters(client, decisions):
    response = client.get(url("approvals:precedent_pick_json"), {"isced": "zz"})
    assert response.status_code == 400 and "isced" in response.json()["errors"]
    assert client.post(url("approvals:precedent_pick_json")).status_code == 405


# --- The admin -------------------------------------------------------------------------------


def _denied(response):
    return response.status_code == 403 or (
        response.status_code == 302
        and any("permission" in str(m) for m in get_messages(response.wsgi_request))
    )


def _form(tree, *, unit, code="IN4000", home_code="DAT400", initial=None, **changes):
    data = {
        "institution": str(tree["tum"].pk),
        "deciding_unit": str(unit.pk),
        "decided_on": "2025-03-04",
        "valid_until": "",
        "isced": "0613",
        "note": "",
        "foreign_courses-TOTAL_FORMS": "2",
        "foreign_courses-INITIAL_FORMS": "0",
        "foreign_courses-MIN_NUM_FORMS": "1",
        "foreign_courses-MAX_NUM_FORMS": "1000",
        "foreign_courses-0-code": code,
        "foreign_courses-0-title": "Verteilte Systeme",
        "foreign_courses-0-ects": "5",
        "foreign_courses-0-level": "master",
        "foreign_courses-0-taught": "autumn",
        "foreign_courses-0-url": "",
        "foreign_courses-0-ORDER": "1",
        "foreign_courses-1-code": "IN4001",
        "foreign_courses-1-title": "Verteilte Systeme Praktikum",
        "foreign_courses-1-ects": "5",
        "foreign_courses-1-level": "master",
        "foreign_courses-1-taught": "",
        "foreign_courses-1-url": "",
        "foreign_courses-1-ORDER": "2",
        "home_courses-TOTAL_FORMS": "1",
        "home_courses-INITIAL_FORMS": "0",
        "home_courses-MIN_NUM_FORMS": "1",
        "home_courses-MAX_NUM_FORMS": "1000",
        "home_courses-0-kind": "course",
        "home_courses-0-code": home_code,
        "home_courses-0-title_nb": "Distribuerte systemer",
        "home_courses-0-title_en": "",
        "home_courses-0-elective_level": "",
        "home_courses-0-elective_field": "",
        "home_courses-0-ects": "10",
        "home_courses-0-ORDER": "1",
    }
    data.update(changes)
    return data


def _keep_old_rows(data, prefix, rows, *, delete=False):
    """Put the rows already saved first in the formset ``prefix`` of ``data``."""
    rows = list(rows)
    added = int(data[f"{prefix}-TOTAL_FORMS"])
    moved = {}
    for key, value in list(data.items()):
        match = re.fullmatch(rf"{prefix}-(\d+)-(.+)", key)
        if match:
            moved[f"{prefix}-{int(match[1]) + len(rows)}-{match[2]}"] = value
            del data[key]
    data.update(moved)
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-id"] = str(row.pk)
        for name in ("code", "title", "ects", "level", "taught", "url", "kind", "title_nb"):
            if hasattr(row, name):
                data[f"{prefix}-{index}-{name}"] = str(getattr(row, name) or "")
        data[f"{prefix}-{index}-title_en"] = getattr(row, "title_en", "") or ""
        data[f"{prefix}-{index}-elective_level"] = getattr(row, "elective_level", "") or ""
        data[f"{prefix}-{index}-elective_field"] = getattr(row, "elective_field_id", "") or ""
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        if delete:
            data[f"{prefix}-{index}-DELETE"] = "1"
    data[f"{prefix}-TOTAL_FORMS"] = str(added + len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))


def test_staff_list_create_and_edit_any_decision(client, tree, decisions):
    client.force_login(mfa_enable(tree["staff"]))
    listing = client.get(reverse(f"{SNIPPETS}:list")).content.decode()
    assert "IN2010 + IN2011" in listing and "HE1001" in listing
    found = client.get(reverse(f"{SNIPPETS}:list"), {"q": "praktikum IN2010"}).content.decode()
    assert "IN2010 + IN2011" in found and "HE1001" not in found
    response = client.post(reverse(f"{SNIPPETS}:add"), _form(tree, unit=tree["health"]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = CourseApproval.objects.get(foreign_courses__code="IN4000")
    assert created.valid_until == datetime.date(2030, 3, 4)
    assert [c.code for c in created.foreign_courses.all()] == ["IN4000", "IN4001"]
    (made,) = HomeCourse.objects.filter(approval=created)
    assert (made.title_nb, made.title_en, made.ects) == (
        "Distribuerte systemer",
        "Distribuerte systemer",
        Decimal("10.0"),
    )
    # Saving went through the service: the decision is found by its words.
    assert "in4001" in created.search_text and "distribuerte" in created.search_text
    edit = reverse(f"{SNIPPETS}:edit", args=[decisions["kth"].pk])
    assert client.get(edit).status_code == 200


def test_a_unit_editor_keeps_their_units_decisions_only(client, tree, decisions):
    editor = mfa_enable(tree["cs_adviser"])
    client.force_login(editor)
    listing = client.get(reverse(f"{SNIPPETS}:list")).content.decode()
    assert "IN2010 + IN2011" in listing and "HE1001" not in listing
    # Another unit's decision: neither opened nor changed.
    other = reverse(f"{SNIPPETS}:edit", args=[decisions["kth"].pk])
    assert _denied(client.get(other))
    assert _denied(client.post(other, _form(tree, unit=tree["cs"])))
    assert not CourseApproval.objects.filter(foreign_courses__code="IN4000").exists()
    # Their own: edited, and its search text follows.
    mine = decisions["combination"]
    edit = reverse(f"{SNIPPETS}:edit", args=[mine.pk])
    assert client.get(edit).status_code == 200
    data = _form(tree, unit=tree["cs"], code="IN9999", home_code="DAT999")
    # The rows already there, removed: the form sends them first, as the admin does.
    _keep_old_rows(data, "foreign_courses", mine.foreign_courses.all(), delete=True)
    _keep_old_rows(data, "home_courses", mine.home_courses.all(), delete=True)
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    mine.refresh_from_db()
    assert "in9999" in mine.search_text and "in2010" not in mine.search_text
    assert sorted(mine.foreign_courses.values_list("code", flat=True)) == ["IN4001", "IN9999"]


def test_a_unit_editor_cannot_record_a_decision_for_another_unit(client, tree, decisions):
    client.force_login(mfa_enable(tree["cs_adviser"]))
    response = client.post(reverse(f"{SNIPPETS}:add"), _form(tree, unit=tree["health"]))
    assert response.status_code == 200 and "deciding_unit" in response.context["form"].errors
    assert not CourseApproval.objects.filter(foreign_courses__code="IN4000").exists()
    response = client.post(reverse(f"{SNIPPETS}:add"), _form(tree, unit=tree["cs"]))
    assert response.status_code == 302
    assert CourseApproval.objects.get(foreign_courses__code="IN4000").deciding_unit == tree["cs"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_until": "2020-01-01"}, "cannot expire before"),
        ({"home_courses-0-title_nb": ""}, "code and the title"),
        ({"home_courses-0-kind": "elective"}, "level and the subject area"),
    ],
)
def test_the_admin_refuses_a_bad_decision_with_the_services_reason(
    client, tree, decisions, changes, message
):
    client.force_login(mfa_enable(tree["staff"]))
    response = client.post(reverse(f"{SNIPPETS}:add"), _form(tree, unit=tree["cs"], **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CourseApproval.objects.filter(foreign_courses__code="IN4000").exists()


def test_an_elective_is_recorded_from_the_admin(client, tree):
    client.force_login(mfa_enable(tree["staff"]))
    data = _form(
        tree,
        unit=tree["cs"],
        **{
            "home_courses-0-kind": "elective",
            "home_courses-0-code": "DAT1",
            "home_courses-0-elective_level": "master",
            "home_courses-0-elective_field": "0613",
        },
    )
    assert client.post(reverse(f"{SNIPPETS}:add"), data).status_code == 302
    elective = HomeCourse.objects.get(approval__foreign_courses__code="IN4000")
    assert (elective.code, elective.elective_field, elective.title_nb) == (
        "",
        IscedField.objects.get(code="0613"),
        "",
    )


def test_the_lists_of_the_search_keep_the_choice(client, decisions):
    page = client.get(
        url("approvals:precedent_search", "nb"), {"institution": "kth.se", "isced": "0613"}
    ).content.decode()
    assert '<select name="institution" id="id_institution">' in page
    assert '<option value="kth.se" selected>KTH Royal Institute of Technology</option>' in page
    assert '<option value="tum.de">' in page
    assert re.search(r'<optgroup label="[^"]+">[^/]*<option value="06">', page)
    assert re.search(r'<option value="0613" selected>0613 [^<]+</option>', page)


@pytest.mark.parametrize(
    "changes",
    [
        {"deciding_unit": "-1208925819614629174706176"},
        {"institution": "9" * 30},
        {"foreign_courses-INITIAL_FORMS": "1", "foreign_courses-0-id": "9" * 30},
        {"home_courses-0-id": "1.5"},
    ],
)
def test_ids_that_are_not_ids_are_refused_choices(client, tree, decisions, changes):
    """Found by the fuzz test: an id beyond 64 bits reached the database as it came."""
    client.force_login(mfa_enable(tree["staff"]))
    response = client.post(reverse(f"{SNIPPETS}:add"), _form(tree, unit=tree["cs"], **changes))
    assert response.status_code == 200
    assert not CourseApproval.objects.filter(foreign_courses__code="IN4000").exists()
