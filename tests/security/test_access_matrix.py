"""The access matrix: every URL of the site's own views, requested as every role.

The URL patterns come from the URLconf (``urls_declarable``), the expected
outcomes from ``access.py``; a pattern without an entry fails
``test_every_url_has_an_entry`` with its name. See ``access.py`` for the
roles and the outcome classes.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.security.access import (
    ACCESS,
    FORBIDDEN,
    LOGIN,
    NO_ADMIN,
    NOT_FOUND,
    OK,
    ROLES,
    UNAUTHORISED,
)
from tests.security.conftest import PDF
from tests.security.snapshots import changed, snapshot

pytestmark = pytest.mark.django_db

OWN_PACKAGES = ("onboarding.", "cms.")
ADMIN_PERMISSION_DENIED = "Sorry, you do not have permission to access this area."

# The world's object behind each URL argument (``conftest.world_create``).
URL_ARGUMENTS = {
    "event_id": lambda world: world["event"].pk,
    "course_id": lambda world: world["course"].pk,
    "item_id": lambda world: world["item"].pk,
    "unit_id": lambda world: world["faculty_a"].pk,
    "pk": lambda world: world["notification"].pk,
    "token": lambda world: world["feed"].token,
    "code": lambda world: world["signup"].ticket_code,
    "checklist_id": lambda world: world["checklist"].pk,
    "page_id": lambda world: world["faculty_a"].pk,
    "parent_page_id": lambda world: world["faculty_a"].pk,
    "content_type_app_name": lambda world: "activities",
    "content_type_model_name": lambda world: "eventpage",
    "round_id": lambda world: world["buddy_round"].pk,
    "rule_id": lambda world: world["rule"].pk,
    "schac": lambda world: world["institution"].schac_code,
    "agreement_id": lambda world: world["agreement"].pk,
    "submission_id": lambda world: world["submission"].pk,
    "series_id": lambda world: world["series"].pk,
    "invitation_token": lambda world: world["invitation_token"],
    "case_id": lambda world: world["case"].pk,
    "line_id": lambda world: world["case_line"].pk,
    "approval_id": lambda world: world["precedent"].pk,
    "job": lambda world: "0123456789abcdef0123456789abcdef",
    "stay_id": lambda world: world["stay"].pk,
    # Crises: the student's safety check and its answer link.
    "crisis_id": lambda world: world["crisis"].pk,
    "check_id": lambda world: world["safety_check"].pk,
    "answer_token": lambda world: world["answer_token"],
    # The glossary: the student's term proposal, waiting for faculty A.
    "proposal_id": lambda world: world["term_proposal"].pk,
    # Student democracy: a meeting and an election of faculty A's student council.
    "meeting_id": lambda world: world["meeting"].pk,
    "election_id": lambda world: world["election"].pk,
}
# Arguments for single URLs, where the usual object does not fit.
URL_ARGUMENTS_FOR = {
    # The privacy dialog of a page people hold places at.
    "page_set_privacy": {"page_id": lambda world: world["event"].pk},
    "arrival_plan_upload": {"item_id": lambda world: world["document_item"].pk},
    "activities:occurrence_recurrence": {"event_id": lambda world: world["occurrence"].pk},
    "courses:swap": {"course_id": lambda world: world["parallel_course"].pk},
    "courses:round_apply": {"course_id": lambda world: world["round_course"].pk},
    "courses:round_allocate": {"course_id": lambda world: world["round_course"].pk},
    "wagtailsnippets_exchange_agreement:edit": {"pk": lambda world: world["agreement"].pk},
    "wagtailsnippets_exchange_agreement:delete": {"pk": lambda world: world["agreement"].pk},
    # The learning agreement and recognition of the student's decided case, its draft change
    # and a line of its transcript.
    **{
        f"approvals:{name}": {
            "case_id": lambda world: world["approval_case"].pk,
            "change_id": lambda world: world["approval_change"].pk,
            "line_id": lambda world: world["transcript_line"].pk,
        }
        for name in (
            "learning_agreement",
            "learning_agreement_json",
            "learning_agreement_update",
            "change_create",
            "change_drop",
            "change_drop_remove",
            "recognition",
            "transcript_line_edit",
            "transcript_line_remove",
            "recognition_decide",
        )
    },
    # The student's stay abroad and their request to come home from it.
    **{
        name: {
            "stay_id": lambda world: world["return_stay"].pk,
            "request_id": lambda world: world["return_request"].pk,
        }
        for name in (
            "stays:return_new",
            "stays:return_detail",
            "stays:return_answer",
            "stays:return_withdraw",
            "stays_returns:request",
            "stays_returns:message",
            "stays_returns:decide",
        )
    },
    # The glossary's term of faculty A.
    "wagtailsnippets_glossary_term:edit": {"pk": lambda world: world["term"].pk},
    "wagtailsnippets_glossary_term:delete": {"pk": lambda world: world["term"].pk},
    # A body's meetings: faculty A's student council (faculty A itself is no body).
    "democracy:body_meetings": {"unit_id": lambda world: world["council"].pk},
    "democracy:body_meetings_ics": {"unit_id": lambda world: world["council"].pk},
    "wagtailsnippets_approvals_courseapproval:edit": {"pk": lambda world: world["precedent"].pk},
    "wagtailsnippets_approvals_courseapproval:delete": {"pk": lambda world: world["precedent"].pk},
    "wagtailsnippets_stays_programmecourse:edit": {
        "pk": lambda world: world["programme_course"].pk
    },
    "wagtailsnippets_stays_programmecourse:delete": {
        "pk": lambda world: world["programme_course"].pk
    },
}
POST_DATA_FOR = {
    "copy_translation_content": lambda world: {
        # The two translations of the unit page's StreamField.
        "origin_field_name": "social_links_en",
        "target_field_name": "social_links_nb",
        "serializedOriginField": "[]",
    },
    # Verifying the student's document (a submission outside the checklist is refused).
    "checklists_admin:checklist_documents": lambda world: {
        "submission": world["submission"].pk,
        "decision": "verify",
    },
    "units_admin:invitation_revoke": lambda world: {"invitation": world["invitation"].pk},
    # Dropping a line of the learning agreement in the student's draft change.
    "approvals:change_drop": lambda world: {"line": world["approval_line"].pk},
    "units_admin:person_remove": lambda world: {
        "user": world["organiser"].pk,
        "role": "organiser",
    },
    # A document the service checks (a PDF), so that the upload reaches the plan's owner check.
    "arrival_plan_upload": lambda world: {
        "document": SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    },
    # The event form's StreamField of reserved places, empty, as the admin's form sends it
    # (without its count Wagtail's widget cannot read the form), so the form reaches its checks.
    "page_create": lambda world: {"pools-count": "0"},
}


def _inner_views(callback):
    """``callback`` and the views it wraps: through ``__wrapped__`` and, for decorators that do
    not set it (Wagtail's ``require_admin_access``), through the functions it closes over."""
    seen, queue = set(), [callback]
    while queue:
        view = queue.pop()
        if id(view) in seen or not callable(view):
            continue
        seen.add(id(view))
        yield view
        if getattr(view, "__wrapped__", None) is not None:
            queue.append(view.__wrapped__)
        for cell in getattr(view, "__closure__", None) or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if callable(contents) and not isinstance(contents, type):
                queue.append(contents)


def _callback_name(callback):
    """The dotted name of the project's view behind ``callback``, else of ``callback`` itself."""
    names = []
    for view in _inner_views(callback):
        target = getattr(view, "view_class", None) or view
        names.append(f"{target.__module__}.{target.__qualname__}")
    own = [name for name in names if name.startswith(OWN_PACKAGES)]
    return own[0] if own else names[0]


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def urls_declarable():
    """{key: dotted name of the view} for every pattern whose view is the project's own.

    Wagtail's, allauth's and Django's views are left out; the project's views
    inside Wagtail's admin (its hooks, its overrides) are in.
    """
    found = {}
    for namespace, pattern in _walk(get_resolver()):
        callback = _callback_name(pattern.callback)
        if not callback.startswith(OWN_PACKAGES):
            continue
        key = f"{namespace}{pattern.name}" if pattern.name else callback
        found[key] = callback
    return found


def test_every_url_has_an_entry():
    found = urls_declarable()
    missing = sorted(set(found) - set(ACCESS))
    stale = sorted(set(ACCESS) - set(found))
    assert not missing, "URLs without an entry in tests/security/access.py: " + ", ".join(
        f"{key} ({found[key]})" for key in missing
    )
    assert not stale, "Entries in tests/security/access.py without a URL: " + ", ".join(stale)


def test_the_walk_finds_the_site_and_the_admin_views_and_leaves_out_the_rest():
    found = urls_declarable()
    assert {"activities:ticket", "privacy_admin:export_log", "page_create"} <= set(found)
    assert not [name for name in found.values() if name.startswith(("wagtail", "allauth"))]
    assert "wagtail_serve" not in found and "account_login" not in found


def _cases():
    for key, entry in ACCESS.items():
        for method, outcomes in (("GET", entry.get), ("POST", entry.post)):
            if outcomes is None:
                continue
            for role in ROLES:
                yield pytest.param(key, method, role, id=f"{key}-{method}-{role}")


def _url(key, entry, world):
    if entry.path:
        with translation.override("nb"):
            return entry.path.format(accounts=translation.gettext("accounts/"))
    arguments = {**URL_ARGUMENTS, **URL_ARGUMENTS_FOR.get(key, {})}
    keys = _pattern_keys(get_resolver(), key)
    kwargs = {name: arguments[name](world) for name in keys}
    with translation.override("en"):
        return reverse(key, kwargs=kwargs or None)


def _pattern_keys(resolver, key):
    for namespace, pattern in _walk(resolver):
        if f"{namespace}{pattern.name}" == key:
            return list(pattern.pattern.converters)
    raise LookupError(key)


def _login_paths():
    paths = set()
    for language in ("nb", "en"):
        with translation.override(language):
            paths.add(reverse("account_login"))
    return paths


def outcome(response):
    """The outcome class of ``response`` (see ``access.py``)."""
    status = response.status_code
    if status in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target in _login_paths():
            return LOGIN
        if target == reverse("wagtailadmin_home") and any(
            ADMIN_PERMISSION_DENIED in str(m) for m in get_messages(response.wsgi_request)
        ):
            # The admin's answer to PermissionDenied outside scripts: back to its home page.
            return FORBIDDEN
        if response.wsgi_request.path.startswith("/admin/") and target in ("/nb/", "/en/"):
            return NO_ADMIN
        return OK
    return {200: OK, 401: UNAUTHORISED, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, str(status))


def _data(key, entry, world):
    if key in POST_DATA_FOR:
        return POST_DATA_FOR[key](world)
    return {
        name: value.format(ticket=world["signup"].ticket_code, programme=world["programme"].pk)
        for name, value in entry.data.items()
    }


@pytest.mark.parametrize(("key", "method", "role"), list(_cases()))
def test_access(client, world, key, method, role):
    entry = ACCESS[key]
    expected = (entry.get if method == "GET" else entry.post)[role]
    if world[role] is not None:
        client.force_login(world[role])
    url = _url(key, entry, world)
    headers = {"Accept": "application/json"} if entry.json else {}
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        before = snapshot(pages=True)
        response = client.post(url, _data(key, entry, world), headers=headers)
        after = snapshot(pages=True)
    got = outcome(response)
    if method == "POST" and expected == OK and response.status_code in (400, 409):
        got = OK  # the view answered the data: the person was let in
    assert got == expected, f"{method} {url} as {role}: {response.status_code} ({got})"
    if method == "POST" and expected != OK:
        assert not changed(before, after), f"POST {url} as {role} was refused but changed things"
