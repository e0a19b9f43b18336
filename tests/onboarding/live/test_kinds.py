"""Every built-in kind renders in both languages from its own templates."""

import pytest
from django.template.loader import get_template
from wagtail import hooks

from onboarding.hooks import NOTIFICATION_KINDS
from onboarding.live import kinds
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.live.services import NotificationError, notification_render

BUILT_IN = [
    "waitlist_place_given",
    "event_changed",
    "event_cancelled",
    "unit_new_event",
    "checklist_items_due",
    "organiser_message",
]
TITLE = {"nb": "Fadderuke", "en": "Buddy week"}
CONTEXTS = {
    "waitlist_place_given": {
        "event_title": TITLE,
        "starts_at": "2026-08-17T10:00:00+02:00",
        "location": "Gløshaugen",
    },
    "event_changed": {
        "event_title": TITLE,
        "starts_at": "2026-08-17T12:00:00+02:00",
        "location": "Gløshaugen",
        "changed": ["time", "place"],
    },
    "event_cancelled": {
        "event_title": TITLE,
        "starts_at": "2026-08-17T10:00:00+02:00",
        "reason": {"nb": "Storm", "en": "Storm"},
    },
    "unit_new_event": {
        "unit_name": {"nb": "Linjeforeningen Abakus", "en": "The Abakus line association"},
        "event_title": TITLE,
        "starts_at": "2026-08-17T10:00:00+02:00",
    },
    "checklist_items_due": {
        "checklist_title": {"nb": "Sjekkliste for mottak", "en": "Onboarding checklist"},
        "count": 2,
        "due_date": "2026-08-20",
        "items": [
            {"nb": "Betal semesteravgiften", "en": "Pay the semester fee"},
            {"nb": "Registrer deg i Studentweb", "en": "Register in the student web"},
        ],
    },
    "organiser_message": {
        "sender": {"nb": "Fadderstyret", "en": "The buddy committee"},
        "event_title": TITLE,
        "message": {"nb": "Husk regntøy.", "en": "Bring rain gear."},
    },
}
# Words each rendering must contain: its language's own text, not the other's.
EXPECTED = {
    "waitlist_place_given": {
        "nb": ("Du har fått plass på Fadderuke", "17. august 2026 10:00", "venteliste"),
        "en": ("You have a place at Buddy week", "Aug. 17, 2026, 10:00", "waitlist"),
    },
    "event_changed": {
        "nb": ("Fadderuke er endret", "tidspunktet", "stedet"),
        "en": ("Buddy week has changed", "the time", "the place"),
    },
    "event_cancelled": {
        "nb": ("Fadderuke er avlyst", "Begrunnelse: Storm", "Påmeldingen din er fjernet"),
        "en": ("Buddy week is cancelled", "Their reason: Storm", "Your signup is removed"),
    },
    "unit_new_event": {
        "nb": ("Nytt arrangement fra Linjeforeningen Abakus: Fadderuke", "følger"),
        "en": ("New event from The Abakus line association: Buddy week", "follow"),
    },
    "checklist_items_due": {
        "nb": ("2 punkter på sjekklisten din", "Betal semesteravgiften", "20. august 2026"),
        "en": ("2 items on your checklist are due", "Pay the semester fee", "Aug. 20, 2026"),
    },
    "organiser_message": {
        "nb": ("Melding fra Fadderstyret om Fadderuke", "Husk regntøy."),
        "en": ("Message from The buddy committee about Buddy week", "Bring rain gear."),
    },
}


def test_the_built_in_kinds_are_registered():
    assert {kind.code for kind in kinds.kind_list()} >= set(BUILT_IN)


@pytest.mark.parametrize("code", BUILT_IN)
def test_each_kind_has_both_templates(code):
    kind = kinds.get_kind(code)

    assert get_template(kind.subject_template)
    assert get_template(kind.body_template)


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("code", BUILT_IN)
def test_each_kind_renders_in_the_language_asked_for(code, language):
    subject, body = notification_render(kind=code, context=CONTEXTS[code], language=language)

    text = f"{subject}\n{body}"
    for expected in EXPECTED[code][language]:
        assert expected in text
    other = "en" if language == "nb" else "nb"
    assert EXPECTED[code][other][0] not in text


@pytest.mark.parametrize("code", BUILT_IN)
def test_a_subject_is_one_line(code):
    subject, _body = notification_render(kind=code, context=CONTEXTS[code], language="en")

    assert subject and "\n" not in subject


def test_text_is_not_html_escaped():
    context = {**CONTEXTS["organiser_message"], "message": "Pizza & <brus>"}

    _subject, body = notification_render(kind="organiser_message", context=context, language="en")

    assert "Pizza & <brus>" in body


def test_the_waitlist_place_and_cancellation_are_mandatory():
    mandatory = {code for code in BUILT_IN if kinds.get_kind(code).mandatory}

    assert mandatory == {"waitlist_place_given", "event_cancelled"}


def test_a_mandatory_kind_offers_no_off_channel():
    channels = [value for value, _label in kinds.get_kind("event_cancelled").channels()]

    assert Channel.OFF not in channels
    assert channels == [Channel.SITE, Channel.EMAIL, Channel.DIGEST]


def test_registering_a_code_twice_is_refused():
    def again():
        return [NotificationKind(code="event_changed", label="Again")]

    with (
        hooks.register_temporarily(NOTIFICATION_KINDS, again),
        pytest.raises(kinds.KindAlreadyRegistered),
    ):
        kinds.get_kind("event_changed")


def test_another_app_can_register_a_kind():
    kind = NotificationKind(code="test_extra", label="Extra")

    with hooks.register_temporarily(NOTIFICATION_KINDS, lambda: [kind]):
        assert kinds.get_kind("test_extra") is kind
    assert kinds.get_kind("test_extra") is None


def test_the_kinds_of_every_app_are_there():
    codes = [kind.code for kind in kinds.kind_list()]

    assert set(BUILT_IN) | {"course_place_given", "course_cancelled"} <= set(codes)
    assert codes.index("event_signup") < codes.index("course_place_given")


def test_two_apps_kinds_are_both_kept():
    first = NotificationKind(code="test_first", label="First")
    second = NotificationKind(code="test_second", label="Second")

    with hooks.register_temporarily(
        [(NOTIFICATION_KINDS, lambda: [first]), (NOTIFICATION_KINDS, lambda: [second])]
    ):
        assert (kinds.get_kind("test_first"), kinds.get_kind("test_second")) == (first, second)


def test_rendering_an_unknown_kind_is_refused():
    with pytest.raises(NotificationError) as error:
        notification_render(kind="no_such_kind", context={}, language="en")

    assert error.value.code == "unknown_kind"


def test_translated_field_builds_a_per_language_value():
    class Page:
        title_nb = "Fadderuke"
        title_en = ""

    assert kinds.translated_field(Page(), "title") == {"nb": "Fadderuke", "en": "Fadderuke"}
