"""The VTIMEZONE in calendar files, read back by two independent readers (icalendar's and
vobject's), agrees with the tz database at every hour across several years, in zones with
different habits: the UK (spring 2027's change at 01:00 UTC), the US, the southern
hemisphere, half-hour and negative summer time, none at all, and rules of other yearly
shapes or of none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar, Timezone

from bot.domain.recurrence import Recurrence
from bot.services.meetings import OccurrenceView, RsvpCounts
from bot.views.meeting_calendar import occurrence_ics

ZONES = (
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute change
    "Europe/Dublin",  # "negative" summer time in the tz database
    "Asia/Kolkata",  # no changes
    "America/Santiago",  # "the first Sunday on or after the 2nd"
    "Asia/Jerusalem",  # "the Friday before the last Sunday"
    "Africa/Casablanca",  # changes of no yearly shape (Ramadan): listed, one per line
)
YEARS = (2027, 2029)  # checked from 1 January of the first to the end of the second


def _file(zone: str) -> bytes:
    start = datetime(YEARS[0], 1, 15, 10, 0, tzinfo=ZoneInfo(zone))
    view = OccurrenceView(
        occurrence_id=1,
        meeting_id=1,
        group_id=1,
        chat_id=-1,
        group_active=True,
        thread_id=None,
        message_id=None,
        title="Planning",
        place="",
        zone=zone,
        starts_at=start.astimezone(UTC),
        start_local=start.replace(tzinfo=None),
        recurrence=Recurrence.NONE,
        cancelled=False,
        moved=False,
        agenda=(),
        counts=RsvpCounts(),
    )
    return occurrence_ics(view, now=datetime(2026, 12, 1, tzinfo=UTC))


def _readers(data: bytes) -> dict[str, tzinfo]:
    block = Calendar.from_ical(data).walk("VTIMEZONE")[0]
    assert isinstance(block, Timezone)
    return {
        "icalendar": block.to_tz(lookup_tzid=False),  # built from the block, not by name
        "vobject": vobject.readOne(data.decode()).vtimezone.gettzinfo(),
    }


def _hours() -> list[datetime]:
    moment, end = datetime(YEARS[0], 1, 1, tzinfo=UTC), datetime(YEARS[1] + 1, 1, 1, tzinfo=UTC)
    out = []
    while moment < end:
        out.append(moment)
        moment += timedelta(hours=1)
    return out


@pytest.mark.parametrize("zone", ZONES)
def test_both_readers_agree_with_the_tz_database_at_every_hour(zone: str) -> None:
    data = _file(zone)
    truth = ZoneInfo(zone)
    for reader, tz in _readers(data).items():
        wrong = [
            moment
            for moment in _hours()
            if moment.astimezone(tz).utcoffset() != moment.astimezone(truth).utcoffset()
        ]
        assert not wrong, f"{reader} reads {zone} wrongly at {wrong[:3]} ({len(wrong)} hours)"


def test_london_spring_2027_is_at_one_in_the_morning_utc_by_a_yearly_rule() -> None:
    data = _file("Europe/London")
    text = data.decode()
    rules = [set(line[6:].split(";")) for line in text.split("\r\n") if line.startswith("RRULE:")]
    assert {"FREQ=YEARLY", "BYMONTH=3", "BYDAY=-1SU"} in rules
    assert "RDATE" not in text  # no lists for readers to cut short
    for reader, tz in _readers(data).items():
        before = datetime(2027, 3, 28, 0, 59, tzinfo=UTC).astimezone(tz)
        after = datetime(2027, 3, 28, 1, 0, tzinfo=UTC).astimezone(tz)
        assert before.utcoffset() == timedelta(0), reader
        assert after.utcoffset() == timedelta(hours=1), reader
