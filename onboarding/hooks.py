"""The names of the project's own Wagtail hooks, and what each hook returns.

An app that plugs something into another app registers a function for one of
these hooks in its ``wagtail_hooks.py``::

    from wagtail import hooks

    from onboarding.hooks import LIVE_TOPICS

    @hooks.register(LIVE_TOPICS)
    def event_topics():
        # The ``event`` page topic: anyone logged in may follow a live, public event.
        return {"event": selectors.event_topic_allowed}

and the app that reads them calls ``hooks.get_hooks(NAME)``. Wagtail imports
every installed app's ``wagtail_hooks.py`` the first time any hook is read,
so a registration never depends on the order apps are loaded in. Every hook
is read as "all of them": a second app that registers the same hook adds to
what the first gives, and never silently replaces it. Where two
registrations claim the same key (a notification kind's code, a topic's
prefix) the reader raises instead of choosing one. Tests add a hook for one
test with ``hooks.register_temporarily(NAME, fn)``.

``NOTIFICATION_KINDS`` (read by ``onboarding.live.kinds``)
    ``fn() -> Iterable[NotificationKind]``: the kinds of notification the app
    sends. A code given twice raises ``KindAlreadyRegistered``.

``LIVE_TOPICS`` (read by ``onboarding.live.topics``)
    ``fn() -> Mapping[str, Callable[[user, key], bool]]``: page-topic prefixes
    (``"event"`` for ``event:<id>``) and, for each, whether a user may
    subscribe to one key. The function is synchronous and may query the
    database. A prefix given twice raises ``TopicAlreadyRegistered``.

``UPCOMING_EVENTS`` (read by ``onboarding.units.selectors``)
    ``fn() -> UpcomingEventsProvider``: where the upcoming events of units
    come from, for unit pages and "My connections". The events of every
    provider are merged, soonest first.

``ARRIVAL_PLAN_COURSES`` (read by ``onboarding.checklists.people``)
    ``fn(*, profile, request) -> CourseSuggestion | None``: the Norwegian
    course the student of ``profile`` should take or holds a place on. The
    arrival plan shows every provider's suggestion, in hook order; only when
    none suggests anything does it show its own default.

``GAP_CHECKS`` (read by ``onboarding.responsibilities.selectors``)
    ``fn() -> Iterable[Gap]``: findings for the responsibility gap report. The
    report lists the findings of every check, in hook order; a function
    registered twice runs once.

``INTERNATIONAL_STAFF_PERMISSIONS`` (read by ``onboarding.units.services``)
    ``fn() -> Iterable[str]``: model permissions (``"app_label.codename"``)
    the International Section's staff group should hold, on top of the units
    app's own. The group receives them the next time
    ``international_staff_group_ensure`` runs (after every migrate).

``PERSONAL_DATA`` (read by ``onboarding.privacy.register``)
    ``fn() -> Iterable[PersonalData]``: the app's models that hold personal
    data, each with its fields, purpose, legal basis, retention, export and
    erasure. A model registered twice raises ``RegisterError``.

``SEARCH_SOURCES`` (read by ``cms.search``)
    ``fn() -> Iterable[cms.search.sources.SearchSource]``: the kinds of thing
    the site search finds (pages of one type, or an indexed model), each with
    its filter key, its labels and what anyone may find. A key given twice
    raises ``SourceAlreadyRegistered``.

``SEARCH_SYNONYMS`` (read by ``cms.search``)
    ``fn(*, query, language) -> Iterable[str]``: more words or phrases that
    mean what ``query`` means, in either language (the glossary gives a
    term's names, synonyms and abbreviations in both). The search looks for
    the query or any of them.

``COMPLETENESS_SOURCES`` (read by ``onboarding.units.completeness``)
    ``fn() -> Iterable[onboarding.units.completeness.TranslatedContent]``:
    content that is not a page but belongs to a unit and is written in both
    languages (glossary terms, representatives), counted in the unit's
    completeness beside its pages.

``UNIT_PAGE_SECTIONS`` (read by ``onboarding.units.page_context``)
    ``fn(*, unit) -> onboarding.units.selectors.UnitSection | None``: a section
    an app adds to a unit's page below the unit's own (the democracy app: a
    body's meetings, elections and representatives), or None for a unit it
    has nothing for. Shown in hook order.

``ARRIVAL_PLAN_DEMOCRACY`` (read by ``onboarding.checklists.people``)
    ``fn(*, units) -> Mapping[int, DemocracyNews]``: for the student councils
    and the parliament among ``units`` on a student's plan, the next meeting
    and any open election, by unit id; the contract's dataclass lives beside
    the reader.
"""

from typing import Final

NOTIFICATION_KINDS: Final = "velkommen_notification_kinds"
LIVE_TOPICS: Final = "velkommen_live_topics"
UPCOMING_EVENTS: Final = "velkommen_upcoming_events"
ARRIVAL_PLAN_COURSES: Final = "velkommen_arrival_plan_courses"
GAP_CHECKS: Final = "velkommen_gap_checks"
INTERNATIONAL_STAFF_PERMISSIONS: Final = "velkommen_international_staff_permissions"
PERSONAL_DATA: Final = "velkommen_personal_data"
SEARCH_SOURCES: Final = "velkommen_search_sources"
SEARCH_SYNONYMS: Final = "velkommen_search_synonyms"
COMPLETENESS_SOURCES: Final = "velkommen_completeness_sources"
ARRIVAL_PLAN_DEMOCRACY: Final = "velkommen_arrival_plan_democracy"
UNIT_PAGE_SECTIONS: Final = "velkommen_unit_page_sections"
