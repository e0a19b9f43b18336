"""Who may open each of the site's own URLs: the one place that says it.

Every URL pattern of the site's own views (``onboarding`` and ``cms``, under
the language prefix) and of the project's own admin views (the
``register_admin_urls`` hooks, and the overrides routed ahead of Wagtail's in
``onboarding/urls.py``) has an entry here, keyed by its URL name
(``namespace:name``), or by its view's dotted path when it has no name.
``test_access_matrix.py`` walks the URLconf and fails on a pattern without an
entry (and on an entry without a pattern), then requests every entry as
every role and checks the outcome.

The roles, and the world they act in (``conftest.py``):

- ``anonymous``: not signed in.
- ``student``: a student of faculty A who owns the objects in the URLs: the
  signup and its ticket, the calendar address, the notification, the
  enrolment, the plan's progress and uploaded document, the request for a
  buddy, the experience report waiting for moderation.
- ``other_student``: another student of faculty A, asking for the first
  one's objects.
- ``editor``: an editor of the units that own the objects: faculty A (the
  event, the checklist, the exchange agreement and programme) and the Language
  Centre (the courses), and an organiser of the Buddy Programme (the volunteer
  group that runs the buddy round). The buddy round's organisers are the
  editors of its volunteer group: an organiser edits the group's page too, as
  the Language Centre's editors edit its courses; there is no organiser's role
  apart from editing the group.
- ``other_editor``: an editor of another unit, the Student Choir (a volunteer
  group too: it may open buddy rounds of its own, not organise the Buddy
  Programme's).
- ``other_coordinator``: the coordinator of another faculty (an editor of
  faculty B, who sees faculty B's arrival progress in the admin).
- ``staff``: the International Section's staff.

Editors and staff have two-factor authentication, as the admin requires.

Outcome classes (``outcome`` in ``test_access_matrix.py``):

- ``OK``: let in: 200, or a redirect that is not to the login page (into the
  thing, or back to where the action was started). For a POST the view's own
  answer to the data counts too: 400 (a form error) or 409 (a conflict).
- ``LOGIN``: a redirect to the login page.
- ``UNAUTHORISED``: 401, for the JSON endpoints a script reads.
- ``FORBIDDEN``: 403, for a thing whose existence is no secret (an event's
  organiser tools, a course's participants, an admin report). Inside the
  admin Wagtail answers a refusal outside scripts by sending the person to
  the admin's home page with "Sorry, you do not have permission to access
  this area."; that counts as this outcome.
- ``NOT_FOUND``: 404, for someone else's personal object (a ticket, a
  notification): it is as invisible as one that does not exist.
- ``NO_ADMIN``: the admin's refusal for people without admin access: a
  redirect to the site's home page with a message.

To add a URL: add its entry below, with the methods its view takes and an
outcome for each role (``roles(...)`` fills in the usual cases); if its URL
takes an argument the world does not have yet, add the object to the world
in ``conftest.py`` and the argument to ``URL_ARGUMENTS`` in
``test_access_matrix.py``.
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "editor",
    "other_editor",
    "other_coordinator",
    "staff",
)

OK = "ok"
LOGIN = "login"
UNAUTHORISED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"
NO_ADMIN = "no admin"


def roles(
    *,
    anonymous=LOGIN,
    student=OK,
    other_student=None,
    editor=OK,
    other_editor=None,
    other_coordinator=None,
    staff=None,
):
    """An outcome per role; ``other_student`` defaults to ``student``'s, the other editors' and
    staff's to ``editor``'s."""
    return {
        "anonymous": anonymous,
        "student": student,
        "other_student": student if other_student is None else other_student,
        "editor": editor,
        "other_editor": editor if other_editor is None else other_editor,
        "other_coordinator": editor if other_coordinator is None else other_coordinator,
        "staff": editor if staff is None else staff,
    }


EVERYONE = roles(anonymous=OK)
SIGNED_IN = roles()
# An event's organiser tools and a course's participants: its unit's editors and section staff.
ORGANISERS = roles(
    student=FORBIDDEN, editor=OK, other_editor=FORBIDDEN, other_coordinator=FORBIDDEN
)
# The first student's own personal objects (ticket, notification): invisible to others.
OWNER_ONLY = roles(student=OK, other_student=NOT_FOUND, editor=NOT_FOUND)
# A pre-approval case: its student and the advisers of its unit (and units above it) and the
# section's staff; invisible to everyone else.
CASE = roles(
    student=OK,
    other_student=NOT_FOUND,
    editor=OK,
    other_editor=NOT_FOUND,
    other_coordinator=NOT_FOUND,
    staff=OK,
)
# An admin page or action on the object's branch: its unit's editors and section staff.
EDITORS_ADMIN = roles(
    student=NO_ADMIN, editor=OK, other_editor=FORBIDDEN, other_coordinator=FORBIDDEN
)
# A pre-approval case's pages (its learning agreement, its recognition): the student and the
# advisers of the unit that handles it (faculty A's editor) and section staff; invisible to others.
CASE_PEOPLE = roles(
    student=OK,
    other_student=NOT_FOUND,
    editor=OK,
    other_editor=NOT_FOUND,
    other_coordinator=NOT_FOUND,
)
# What only the case's student does (changes to the agreement): its advisers know the case.
CASE_STUDENT = roles(
    student=OK,
    other_student=NOT_FOUND,
    editor=FORBIDDEN,
    other_editor=NOT_FOUND,
    other_coordinator=NOT_FOUND,
)
# What only the case's advisers do (deciding recognition): its student knows the case.
CASE_ADVISERS = roles(
    student=FORBIDDEN,
    other_student=NOT_FOUND,
    editor=OK,
    other_editor=NOT_FOUND,
    other_coordinator=NOT_FOUND,
)
# An admin page for the International Section only.
SECTION_ADMIN = roles(student=NO_ADMIN, editor=FORBIDDEN, staff=OK)
# The admin of earlier decisions: the editors of deciding units (faculties, departments, the
# section) and staff; the editors of a volunteer group keep no decisions.
DECIDING_ADMIN = roles(student=NO_ADMIN, editor=OK, other_editor=FORBIDDEN, other_coordinator=OK)
# A report outside the admin for the International Section only.
SECTION_SITE = roles(student=FORBIDDEN, editor=FORBIDDEN, staff=OK)


@dataclass(frozen=True)
class Entry:
    """The outcome per role of each method the view takes; ``data`` is sent with a POST.

    ``json`` asks for JSON (``Accept: application/json``), as the page's script does.
    ``path`` gives the address of a pattern that cannot be reversed (it has no name).
    """

    get: dict[str, str] | None = None
    post: dict[str, str] | None = None
    data: dict[str, str] = field(default_factory=dict)
    json: bool = False
    path: str = ""


ACCESS: dict[str, Entry] = {
    # --- The liveness check ---------------------------------------------------------------
    "health": Entry(get=EVERYONE),
    # --- Search and accounts ---------------------------------------------------------------
    "search": Entry(get=EVERYONE),
    "account_preferences": Entry(
        get=SIGNED_IN,
        post=SIGNED_IN,
        data={"language": "en", "first_name": "Ana", "last_name": "Silva", "preferred_name": ""},
    ),
    # Old English account paths under /nb/ lead on to the Norwegian ones, for everyone.
    "onboarding.accounts.views.english_account_path": Entry(
        get=EVERYONE, path="/nb/{accounts}signup/"
    ),
    "profile_edit": Entry(get=SIGNED_IN, post=SIGNED_IN),
    # --- Privacy: each person's own data, never anyone else's -------------------------------
    "privacy:notice": Entry(get=EVERYONE),
    "privacy:my_data": Entry(get=SIGNED_IN),
    "privacy:my_data_json": Entry(get=SIGNED_IN),
    "privacy:my_data_zip": Entry(get=SIGNED_IN),
    # No password is sent, so the POST is a form error and deletes nothing.
    "privacy:account_delete": Entry(get=SIGNED_IN, post=SIGNED_IN),
    # --- Notifications ---------------------------------------------------------------------
    "live:notification_list": Entry(get=SIGNED_IN),
    "live:unread_count": Entry(get=roles(anonymous=UNAUTHORISED)),
    "live:preferences": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "live:notification_read_all": Entry(post=SIGNED_IN),
    "live:notification_open": Entry(get=OWNER_ONLY),
    "live:notification_read": Entry(post=OWNER_ONLY),
    # --- Units -----------------------------------------------------------------------------
    "unit_connections": Entry(get=SIGNED_IN),
    "unit_follow": Entry(post=SIGNED_IN),
    "unit_unfollow": Entry(post=SIGNED_IN),
    # An invitation's secret address is its key: whoever has the link and an account may see and
    # accept it (boards forward the links), once; anonymous people log in first.
    "unit_invitation": Entry(get=SIGNED_IN, post=SIGNED_IN),
    # --- The arrival plan: each person ticks their own plan; without one there is nothing to tick.
    "arrival_plan": Entry(get=SIGNED_IN),
    "arrival_plan_tick": Entry(post=roles(student=OK, editor=FORBIDDEN), json=True),
    "arrival_plan_untick": Entry(post=roles(student=OK, editor=FORBIDDEN), json=True),
    # --- Events ----------------------------------------------------------------------------
    "activities:event_list": Entry(get=EVERYONE),
    "activities:my_events": Entry(get=SIGNED_IN),
    "activities:calendar_feed_create": Entry(post=SIGNED_IN),
    "activities:calendar_feed_revoke": Entry(post=SIGNED_IN),
    # A secret address read by calendar apps without logging in: whoever has it may read it.
    "activities:calendar_feed": Entry(get=EVERYONE),
    # A ticket is its owner's, and its event's organisers' (who check it at the door).
    "activities:ticket": Entry(
        get=roles(
            student=OK,
            other_student=NOT_FOUND,
            editor=OK,
            other_editor=NOT_FOUND,
            other_coordinator=NOT_FOUND,
        )
    ),
    "activities:organiser_events": Entry(get=SIGNED_IN),
    "activities:event_places": Entry(get=EVERYONE),
    "activities:signup": Entry(post=SIGNED_IN),
    "activities:cancel": Entry(post=SIGNED_IN),
    # Claiming a place offered from the waitlist: one's own offer; without one, a refusal (409).
    "activities:claim": Entry(post=SIGNED_IN),
    # One's own answers to an event's signup questions: nothing to change without a signup.
    "activities:answers": Entry(post=SIGNED_IN),
    "activities:event_ics": Entry(get=EVERYONE),
    "activities:attendees": Entry(get=ORGANISERS, post=ORGANISERS),
    "activities:attendees_csv": Entry(get=ORGANISERS),
    "activities:checkin": Entry(get=ORGANISERS, post=ORGANISERS, data={"code": "{ticket}"}),
    "activities:message": Entry(
        get=ORGANISERS,
        post=ORGANISERS,
        data={"message_nb": "Husk paraply.", "message_en": "Bring an umbrella."},
    ),
    "activities:cancel_event": Entry(get=ORGANISERS, post=ORGANISERS),
    "activities:series_recurrence": Entry(get=ORGANISERS, post=ORGANISERS),
    "activities:occurrence_recurrence": Entry(get=ORGANISERS, post=ORGANISERS),
    # --- Norwegian courses -----------------------------------------------------------------
    "courses:placement": Entry(get=EVERYONE, post=EVERYONE, data={"listening": "A1-1"}),
    "courses:placement_result": Entry(get=SIGNED_IN),
    "courses:coverage": Entry(get=SECTION_SITE),
    "courses:coverage_csv": Entry(get=SECTION_SITE),
    "courses:places": Entry(get=EVERYONE),
    "courses:enrol": Entry(post=SIGNED_IN),
    "courses:cancel": Entry(post=SIGNED_IN),
    "courses:participants": Entry(get=ORGANISERS, post=ORGANISERS),
    "courses:cancel_course": Entry(get=ORGANISERS, post=ORGANISERS),
    # --- The project's admin views ---------------------------------------------------------
    # Wagtail's page creation and privacy dialog, as the site changes them: editors of the branch.
    "page_create": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "page_set_privacy": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "copy_translation_content": Entry(post=EDITORS_ADMIN),
    # Arrival progress: coordinators (editors of the section, a faculty or a department).
    "checklists_admin:index": Entry(
        get=roles(student=NO_ADMIN, editor=OK, other_editor=FORBIDDEN, other_coordinator=OK)
    ),
    "checklists_admin:checklist": Entry(get=EDITORS_ADMIN),
    "checklists_admin:checklist_csv": Entry(get=EDITORS_ADMIN),
    "privacy_admin:export_log": Entry(get=SECTION_ADMIN),
    "privacy_admin:export_log_results": Entry(get=SECTION_ADMIN),
    # No email address is sent, so the POST is a form error and deletes nothing.
    "privacy_admin:account_erase": Entry(get=SECTION_ADMIN, post=SECTION_ADMIN),
    "responsibilities_gap_report": Entry(get=SECTION_ADMIN),
    "units_admin:confirm": Entry(post=EDITORS_ADMIN),
    "units_admin:stale_units": Entry(get=SECTION_ADMIN),
    "units_admin:stale_units_results": Entry(get=SECTION_ADMIN),
    # A unit's people page and its actions: the unit's own editors and section staff (an editor
    # of a unit above it is refused too). Leaving as its only editor is refused with a message.
    "units_admin:people": Entry(
        get=EDITORS_ADMIN,
        post=EDITORS_ADMIN,
        data={"email": "next.editor@example.org", "role": "editor", "days": "14"},
    ),
    "units_admin:invitation_revoke": Entry(post=EDITORS_ADMIN),
    # Bilingual completeness: a unit's report for those who may edit its page and section staff;
    # the table for anyone who edits a unit (their units) and section staff (every unit).
    "units_admin:completeness_unit": Entry(get=EDITORS_ADMIN),
    "units_admin:completeness": Entry(get=roles(student=NO_ADMIN, editor=OK)),
    "units_admin:person_remove": Entry(post=EDITORS_ADMIN),
    "units_admin:leave": Entry(post=EDITORS_ADMIN),
    # --- The arrival plan's documents --------------------------------------------------------
    # Anyone signed in may send a file on an item; the service keeps it only on an item of one's
    # own plan, and answers everyone else with a message on their plan (nothing is stored).
    "arrival_plan_upload": Entry(post=SIGNED_IN),
    # A document: its student's, and the coordinators' of its checklist; invisible to others.
    "checklist_document": Entry(
        get=roles(
            student=OK,
            other_student=NOT_FOUND,
            editor=OK,
            other_editor=NOT_FOUND,
            other_coordinator=NOT_FOUND,
        )
    ),
    "checklists_admin:checklist_documents": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "checklists_admin:checklist_remind": Entry(post=EDITORS_ADMIN),
    # --- Norwegian course rounds and swaps ---------------------------------------------------
    # A swap needs a place on a parallel course; without one the answer is a message.
    "courses:swap": Entry(post=SIGNED_IN),
    "courses:round_apply": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "courses:round_allocate": Entry(get=ORGANISERS, post=ORGANISERS),
    # --- The buddy programme -----------------------------------------------------------------
    "buddies:index": Entry(get=SIGNED_IN),
    # Opening a round: the editors of any volunteer group (the Choir's too) and the section's
    # staff, who edit every unit; not a faculty's coordinator.
    "buddies:round_new": Entry(
        get=roles(student=FORBIDDEN, other_coordinator=FORBIDDEN),
        post=roles(student=FORBIDDEN, other_coordinator=FORBIDDEN),
    ),
    # Anyone signed in may volunteer or ask while the round is open (the student, who asked,
    # is sent back to the index from the volunteer form).
    "buddies:volunteer": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "buddies:ask": Entry(get=SIGNED_IN, post=SIGNED_IN),
    # One's own place in the round: nobody else has one to leave or to look at.
    "buddies:withdraw": Entry(post=OWNER_ONLY),
    "buddies:mine": Entry(get=OWNER_ONLY),
    "buddies:organise": Entry(get=ORGANISERS),
    "buddies:run": Entry(post=ORGANISERS),
    "buddies:publish": Entry(post=ORGANISERS),
    "buddies:rule_add": Entry(post=ORGANISERS),
    "buddies:rule_clear": Entry(post=ORGANISERS),
    # Arrivals per week: for volunteer groups, faculties and the section, not students.
    "buddies:forecast": Entry(get=roles(student=FORBIDDEN)),
    # --- Going abroad ------------------------------------------------------------------------
    "exchange:finder": Entry(get=EVERYONE),
    "exchange:destination": Entry(get=EVERYONE),
    "exchange:programme_save": Entry(post=SIGNED_IN, data={"programme": "{programme}"}),
    "exchange:report_create": Entry(get=SIGNED_IN, post=SIGNED_IN),
    # Agreements and reports: the owner unit's editors (and those of any unit for the lists,
    # which show each their own), the section's staff for the reports over all of them.
    "exchange_admin:window_report": Entry(get=SECTION_ADMIN),
    "exchange_admin:stale_agreements": Entry(get=roles(student=NO_ADMIN)),
    "exchange_admin:confirm": Entry(post=EDITORS_ADMIN),
    "exchange_admin:moderation": Entry(get=roles(student=NO_ADMIN), post=roles(student=NO_ADMIN)),
    "exchange_admin:import": Entry(get=SECTION_ADMIN, post=SECTION_ADMIN),
    "exchange_admin:import_template": Entry(get=SECTION_ADMIN),
    "exchange_admin:export": Entry(get=SECTION_ADMIN),
    # Pre-approval cases: the student's own steps are theirs alone (404 to everyone else, the
    # case's advisers too); deciding and messages are for everyone who sees the case, and the
    # service answers a step that is not theirs with a message.
    "approvals:my_cases": Entry(get=SIGNED_IN),
    "approvals:case_new": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "approvals:case_detail": Entry(get=CASE),
    "approvals:case_state": Entry(get=CASE),
    "approvals:case_line_add": Entry(post=OWNER_ONLY),
    "approvals:case_line_edit": Entry(get=OWNER_ONLY, post=OWNER_ONLY),
    "approvals:case_line_remove": Entry(post=OWNER_ONLY),
    "approvals:case_use_precedent": Entry(post=OWNER_ONLY),
    "approvals:case_submit": Entry(post=OWNER_ONLY),
    "approvals:case_withdraw": Entry(post=OWNER_ONLY),
    "approvals:case_line_decide": Entry(post=CASE),
    "approvals:case_message": Entry(post=CASE),
    "wagtailsnippets_exchange_agreement:list": Entry(get=roles(student=NO_ADMIN)),
    "wagtailsnippets_exchange_agreement:list_results": Entry(get=roles(student=NO_ADMIN)),
    "wagtailsnippets_exchange_agreement:edit": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "wagtailsnippets_exchange_agreement:delete": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    # --- Course approval: the advisers' queue and the public response times --------------------
    "approvals:response_times_index": Entry(get=EVERYONE),
    "approvals:response_times": Entry(get=EVERYONE),
    # The queue and its CSV: the section's staff and the editors of faculties and departments,
    # each seeing their own units' cases; not the editors of a volunteer group (the Choir). An
    # empty POST (no cases chosen) is a form error.
    "approval_cases:queue": Entry(
        get=roles(student=NO_ADMIN, other_editor=FORBIDDEN),
        post=roles(student=NO_ADMIN, other_editor=FORBIDDEN),
    ),
    "approval_cases:queue_csv": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    # A unit's response times and promise: its editors (and those above it) and section staff.
    "approval_cases:unit": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    # --- Learning agreements and recognition ---------------------------------------------------
    "approvals:learning_agreement": Entry(get=CASE_PEOPLE),
    "approvals:learning_agreement_json": Entry(get=CASE_PEOPLE),
    "approvals:learning_agreement_update": Entry(
        post=CASE_PEOPLE, data={"language": "en", "cefr": "B2"}
    ),
    # The student is writing a change already: a second is refused with a message.
    "approvals:change_create": Entry(post=CASE_STUDENT, data={"reason": "A course was cancelled."}),
    "approvals:change_drop": Entry(post=CASE_STUDENT),
    # Nothing is dropped in the draft yet: keeping a line is answered with a message.
    "approvals:change_drop_remove": Entry(post=CASE_STUDENT, data={"line": "1"}),
    "approvals:recognition": Entry(
        get=CASE_PEOPLE,
        post=CASE_PEOPLE,
        data={"code": "IN2064", "title": "Machine Learning", "grade": "B", "ects": "8"},
    ),
    "approvals:transcript_line_edit": Entry(
        get=CASE_PEOPLE,
        post=CASE_PEOPLE,
        data={"code": "IN2010", "title": "Algorithms", "grade": "A", "ects": "7.5"},
    ),
    "approvals:transcript_line_remove": Entry(post=CASE_PEOPLE),
    "approvals:recognition_decide": Entry(post=CASE_ADVISERS, data={"comment": "Welcome back."}),
    # --- Earlier course decisions: public to read; kept by the deciding unit's editors -----------
    "approvals:precedent_search": Entry(get=EVERYONE),
    "approvals:precedent_detail": Entry(get=EVERYONE),
    "approvals:precedent_pick_json": Entry(get=EVERYONE, json=True),
    # Editors of a faculty, a department or the section import and keep decisions; the choir's
    # editors keep none. Each list shows its own; the decision is faculty A's.
    "precedents_admin:import": Entry(get=DECIDING_ADMIN, post=DECIDING_ADMIN),
    "precedents_admin:import_template": Entry(get=DECIDING_ADMIN),
    "precedents_admin:import_progress": Entry(get=DECIDING_ADMIN),
    "wagtailsnippets_approvals_courseapproval:list": Entry(get=DECIDING_ADMIN),
    "wagtailsnippets_approvals_courseapproval:list_results": Entry(get=DECIDING_ADMIN),
    "wagtailsnippets_approvals_courseapproval:add": Entry(get=DECIDING_ADMIN, post=DECIDING_ADMIN),
    "wagtailsnippets_approvals_courseapproval:edit": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "wagtailsnippets_approvals_courseapproval:delete": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    # --- Coming home early: the student's own stay and request (404 to everyone else); the
    # faculty the request went to (faculty A's editor) and section staff decide in the admin.
    # Empty POSTs are form errors, an answer nobody asked for a message; withdrawing is the
    # student's to do.
    "stays:return_list": Entry(get=SIGNED_IN),
    "stays:return_new": Entry(get=OWNER_ONLY, post=OWNER_ONLY),
    "stays:return_detail": Entry(get=OWNER_ONLY),
    "stays:return_answer": Entry(post=OWNER_ONLY),
    "stays:return_withdraw": Entry(post=OWNER_ONLY),
    # The queue: section staff and the editors of faculties (faculty B's sees its own, empty);
    # not the editors of a volunteer group.
    "stays_returns:queue": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    "stays_returns:request": Entry(get=EDITORS_ADMIN),
    "stays_returns:message": Entry(post=EDITORS_ADMIN),
    "stays_returns:decide": Entry(post=EDITORS_ADMIN),
    # --- Stays abroad: the registry is each student's own (404 to everyone else) ---------------
    "stays:my_stays": Entry(get=SIGNED_IN),
    "stays:stay_new": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "stays:stay_edit": Entry(get=OWNER_ONLY, post=OWNER_ONLY),
    "stays:stay_contact": Entry(get=OWNER_ONLY, post=OWNER_ONLY),
    "stays:stay_delete": Entry(get=OWNER_ONLY, post=OWNER_ONLY),
    # The overview of students abroad: section staff, and the editors of faculties and
    # departments (their own programmes' students); the choir's editors see none. Its CSV, for
    # crisis use, needs stays.export_stays (staff): without a reason it is a form error.
    "stays_overview:index": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    "stays_overview:csv": Entry(post=SECTION_ADMIN),
    # The programmes' courses: kept by the programme's unit's editors (faculty A) and staff.
    "wagtailsnippets_stays_programmecourse:list": Entry(get=EDITORS_ADMIN),
    "wagtailsnippets_stays_programmecourse:list_results": Entry(get=EDITORS_ADMIN),
    "wagtailsnippets_stays_programmecourse:edit": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "wagtailsnippets_stays_programmecourse:delete": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    # --- Crises and safety checks ----------------------------------------------------------------
    # A safety check is its student's alone; everyone signed in has a list of their own.
    "stays:check_list": Entry(get=SIGNED_IN),
    "stays:open_checks": Entry(get=SIGNED_IN),
    "stays:check_detail": Entry(get=OWNER_ONLY, post=OWNER_ONLY, data={"answer": "safe"}),
    # An answer link works without logging in (its signed token is the proof), and for its own
    # student; used while someone else is logged in it is refused with a message.
    "stays:answer_link": Entry(
        get=roles(anonymous=OK, student=OK, other_student=FORBIDDEN, editor=FORBIDDEN),
        post=roles(anonymous=OK, student=OK, other_student=FORBIDDEN, editor=FORBIDDEN),
        data={"answer": "safe"},
    ),
    # The crises and their boards: the section's staff see every student, the editors of a
    # faculty or department their own (faculty B's coordinator sees none of faculty A's); not
    # the editors of a volunteer group. Declaring and closing are the staff's; acknowledging a
    # call for help is the duty officer's (the staff member here) and the staff's. An empty
    # declaration is a form error.
    "crises_admin:list": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    "crises_admin:board": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    "crises_admin:board_state": Entry(get=roles(student=NO_ADMIN, other_editor=FORBIDDEN)),
    "crises_admin:declare": Entry(get=SECTION_ADMIN, post=SECTION_ADMIN),
    "crises_admin:close": Entry(get=SECTION_ADMIN, post=SECTION_ADMIN),
    "crises_admin:acknowledge": Entry(post=SECTION_ADMIN),
    # --- The glossary: public pages; proposing needs a login; proposals are decided by the
    # owning unit's editors (faculty A's here) and section staff -------------------------------
    "glossary:index": Entry(get=EVERYONE),
    "glossary:field_list": Entry(get=EVERYONE),
    "glossary:field_detail": Entry(get=EVERYONE, path="/en/glossary/fields/0111/"),
    "glossary:term": Entry(get=EVERYONE, path="/en/glossary/fadder/"),
    "glossary:propose": Entry(get=SIGNED_IN, post=SIGNED_IN),
    "glossary_admin:proposals": Entry(get=roles(student=NO_ADMIN)),
    "glossary_admin:proposal_decide": Entry(post=EDITORS_ADMIN, data={"decision": "decline"}),
    # The terms: kept by the owning unit's editors (faculty A) and staff; any unit's editors
    # list their own.
    "wagtailsnippets_glossary_term:list": Entry(get=roles(student=NO_ADMIN)),
    "wagtailsnippets_glossary_term:list_results": Entry(get=roles(student=NO_ADMIN)),
    "wagtailsnippets_glossary_term:edit": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    "wagtailsnippets_glossary_term:delete": Entry(get=EDITORS_ADMIN, post=EDITORS_ADMIN),
    # --- Student democracy: public to read; standing in an election needs a login (the
    # election's nominations are open, so any student may stand; editors are people too) -------
    "democracy:elections_calendar": Entry(get=EVERYONE),
    "democracy:elections_ics": Entry(get=EVERYONE),
    "democracy:meeting_ics": Entry(get=EVERYONE),
    "democracy:body_meetings": Entry(get=EVERYONE),
    "democracy:body_meetings_ics": Entry(get=EVERYONE),
    "democracy:representatives": Entry(get=EVERYONE),
    "democracy:candidacy_new": Entry(
        get=SIGNED_IN,
        post=SIGNED_IN,
        data={
            "statement": "Jeg vil jobbe for internasjonale studenter.",
            "statement_language": "nb",
            "group": "Fysikk",
            "seat_type": "international",
        },
    ),
    # Who stands: whoever may edit the election's page (faculty A's editor, above its council).
    "democracy_admin:candidacies": Entry(get=EDITORS_ADMIN),
}
