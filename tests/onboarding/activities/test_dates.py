"""When an event is, as each language writes it: Norwegian month abbreviations are lower case."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from onboarding.activities.templatetags.activities_tags import event_when, local_datetime

OSLO = ZoneInfo("Europe/Oslo")
START = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=OSLO)
EVENT = SimpleNamespace(start_at=START, end_at=START + datetime.timedelta(hours=3))


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("nb", "fre 4. des, 18:00–21:00", "fredag 4. desember, 18:00–21:00"),
        ("en", "Fri 4 Dec, 18:00–21:00", "Friday 4 December, 18:00–21:00"),
    ],
)
def test_the_event_time_writes_months_as_the_language_does(language, short, long):
    with translation.override(language):
        assert (event_when(EVENT, "short"), event_when(EVENT, "")) == (short, long)


@pytest.mark.parametrize("month", range(1, 13))
def test_no_norwegian_short_date_has_a_capital_letter(month):
    moment = datetime.datetime(2026, month, 4, 9, 30, tzinfo=OSLO)
    with translation.override("nb"):
        text = local_datetime(moment)
    assert text == text.lower()
    assert text.endswith(" 09:30")


def test_a_short_norwegian_date_and_time():
    with translation.override("nb"):
        assert (
            local_datetime(datetime.datetime(2026, 5, 1, 8, 5, tzinfo=OSLO)) == "fre 1. mai 08:05"
        )
