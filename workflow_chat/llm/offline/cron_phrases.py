"""Schedules in words ("every weekday at 9:30", "hourly", "every 15 minutes") to five-field cron."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow_chat.llm.offline.clock import DAY_NAMES, DAYS_RE, day_numbers, find_time, hour_list
from workflow_chat.llm.offline.cron_literal import find_cron_literal

_I = re.IGNORECASE
_MINUTES_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:minutes?|mins?|m)\b", _I)
_HOURS_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:hours?|hrs?|h)\b", _I)
_SECONDS_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:seconds?|secs?|s)\b", _I)
_EVERY_MINUTE_RE = re.compile(r"\b(?:every|each)\s+minute\b", _I)
_HALF_HOUR_RE = re.compile(r"\bevery\s+half\s+(?:an\s+)?hour\b", _I)
_HOURLY_RE = re.compile(r"\bhourly\b|\b(?:every|each)\s+hour\b|\bonce\s+an\s+hour\b", _I)
_OTHER_HOUR_RE = re.compile(r"\bevery\s+(?:other|second)\s+hour\b", _I)
_TIMES_A_DAY_RE = re.compile(
    r"\b(twice|thrice|two\s+times|three\s+times|four\s+times|[2-4]\s*(?:times|x))"
    r"\s+(?:a|per|each|every)\s+day\b|\b(twice)\s+daily\b",
    _I,
)
_TIMES = {"twice": 2, "two": 2, "thrice": 3, "three": 3, "four": 4}
_SPREAD = {2: "9,17", 3: "8,13,18", 4: "8,12,16,20"}  # working hours when none are given
_WEEKDAYS_RE = re.compile(
    r"\b(?:every|each|on)?\s*(?:week\s?days?|work\s?days?|business\s+days?)\b", _I
)
_WEEKEND_RE = re.compile(r"\b(?:every|each|on)?\s*(?:the\s+)?weekends?\b", _I)
_MONTHLY_RE = re.compile(r"\bmonthly\b|\b(?:every|each|once\s+a)\s+month\b", _I)
_DAY_OF_MONTH_RE = re.compile(
    r"\bon\s+the\s+([0-9]{1,2})(?:st|nd|rd|th)?(?:\s+(?:day\s+)?of\s+(?:every|each|the)\s+month)?",
    _I,
)
_WEEKLY_RE = re.compile(r"\bweekly\b|\b(?:every|each|once\s+a)\s+week\b", _I)
_EVERY_N_DAYS_RE = re.compile(r"\bevery\s+([0-9]{1,2}|other|second)\s+days?\b", _I)
_DAILY_RE = re.compile(
    r"\b(?:daily|nightly|every\s*day|each\s+day|once\s+a\s+day|everyday)\b"
    r"|\b(?:every|each)\s+(morning|afternoon|evening|night)\b",
    _I,
)
_PART_OF_DAY_HOURS = {"morning": 9, "afternoon": 14, "evening": 18, "night": 0, "nightly": 0}
# "every Sunday night": a night named with its day is that day's late evening, not 00:00.
_PART_OF_DAY_RE = re.compile(r"\b(morning|afternoon|evening|night)\b", _I)
_DAY_NIGHT_HOUR = 21
DEFAULT_HOUR = 9  # when no time is given, a working-hours morning is the least surprising


@dataclass(frozen=True)
class ScheduleMatch:
    cron: str
    description: str
    start: int  # where the phrase begins, to choose between trigger phrases
    spans: tuple[tuple[int, int], ...]
    notes: tuple[str, ...] = field(default=())


def find_schedule(text: str) -> ScheduleMatch | None:
    """The schedule the text asks for, or None; the cron always passes croniter."""
    if written := find_cron_literal(text):
        cron, description, span = written
        return ScheduleMatch(cron, description, span[0], (span,))
    return _interval(text) or _calendar(text)


def _interval(text: str) -> ScheduleMatch | None:
    if m := _SECONDS_RE.search(text):
        note = "Cron cannot run more often than once a minute, so this runs every minute."
        return ScheduleMatch("* * * * *", "every minute", m.start(), (m.span(),), (note,))
    if m := _MINUTES_RE.search(text):
        minutes = int(m.group(1))
        if 1 <= minutes < 60:
            cron = "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
            return ScheduleMatch(cron, f"every {minutes} minutes", m.start(), (m.span(),))
        if minutes >= 60:
            match = _every_hours(max(1, round(minutes / 60)), m)
            note = f"Cron cannot say every {minutes} minutes; this runs {match.description}."
            return ScheduleMatch(match.cron, match.description, m.start(), (m.span(),), (note,))
    if m := _EVERY_MINUTE_RE.search(text):
        return ScheduleMatch("* * * * *", "every minute", m.start(), (m.span(),))
    if m := _HALF_HOUR_RE.search(text):
        return ScheduleMatch("*/30 * * * *", "every 30 minutes", m.start(), (m.span(),))
    if (m := _HOURS_RE.search(text)) and int(m.group(1)) >= 1:
        return _every_hours(int(m.group(1)), m)
    if m := _OTHER_HOUR_RE.search(text):
        return _every_hours(2, m)
    if m := _HOURLY_RE.search(text):
        return ScheduleMatch("0 * * * *", "every hour", m.start(), (m.span(),))
    return None


def _every_hours(hours: int, m: re.Match) -> ScheduleMatch:
    if hours == 1:
        return ScheduleMatch("0 * * * *", "every hour", m.start(), (m.span(),))
    if hours < 24:
        return ScheduleMatch(f"0 */{hours} * * *", f"every {hours} hours", m.start(), (m.span(),))
    note = "Intervals of a day or more run once a day at midnight; adjust the cron if needed."
    return ScheduleMatch("0 0 * * *", "every day at 00:00", m.start(), (m.span(),), (note,))


def _calendar(text: str) -> ScheduleMatch | None:
    """Day-based schedules: days of the week or month, plus an optional time of day."""
    spans: list[tuple[int, int]] = []
    notes: list[str] = []
    dom, dow, what = "*", "*", ""
    several = _TIMES_A_DAY_RE.search(text)
    daily = _DAILY_RE.search(text) or several
    if m := _WEEKDAYS_RE.search(text):
        dow, what = "1-5", "every weekday"
    elif m := _WEEKEND_RE.search(text):
        dow, what = "0,6", "every Saturday and Sunday"
    elif (m := DAYS_RE.search(text)) and day_numbers(m.group(1)):
        days = day_numbers(m.group(1))
        dow = ",".join(str(d) for d in days)
        what = "every " + " and ".join(DAY_NAMES[d] for d in days)
    elif m := _DAY_OF_MONTH_RE.search(text):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return None
        dom, what = str(day), f"on day {day} of every month"
    elif m := _MONTHLY_RE.search(text):
        dom, what = "1", "on the first day of every month"
    elif m := _WEEKLY_RE.search(text):
        dow, what = "1", "every Monday"
    elif m := _EVERY_N_DAYS_RE.search(text):
        every = int(m.group(1)) if m.group(1).isdigit() else 2
        dom, what = ("*", "every day") if every <= 1 else (f"*/{every}", f"every {every} days")
    elif m := daily:
        what = "every day"
    if m:
        spans.append(m.span())
    if daily and daily is not m:
        spans.append(daily.span())
    clock = _clock(text, daily, several, dated=dow != "*" or dom != "*")
    if not m and not clock.explicit:
        return None  # "at 9" alone may not be a time; "at 9am" or "every day at 9" is
    spans += [clock.span] if clock.span else []
    notes += [clock.note] if clock.note else []
    start = min(s for s, _ in spans)
    cron = f"{clock.minute} {clock.hours} {dom} * {dow}"
    return ScheduleMatch(cron, f"{what or 'every day'} at {clock.said}", start, tuple(spans),
                         tuple(notes))


@dataclass(frozen=True)
class _Clock:
    minute: int
    hours: str  # the cron hour field: "9" or "9,17"
    said: str  # "09:00 and 17:00"
    explicit: bool  # plainly a time of day, not a bare number
    span: tuple[int, int] | None = None
    note: str | None = None  # when a time had to be chosen


def _clock(
    text: str, daily: re.Match | None, several: re.Match | None, dated: bool = False
) -> _Clock:
    """When in the day it runs: times listed, one time, or a default for the words used."""
    if listed := hour_list(text):
        times, span = listed
        said = _and([f"{h:02d}:{m:02d}" for h, m in times])
        note = None if len({m for _, m in times}) == 1 else (
            f"Cron runs each listed hour at the same minute, so all run at :{times[0][1]:02d}.")
        return _Clock(times[0][1], ",".join(str(h) for h, _ in times), said, True, span, note)
    time = find_time(text)
    if time is not None:
        return _Clock(time.minute, str(time.hour), time.text, time.explicit,
                      (time.start, time.end))
    if several is not None:
        word = (several.group(1) or several.group(2)).lower().split()[0].rstrip("x")
        hours = _SPREAD[_TIMES.get(word) or int(word)]
        said = _and([f"{int(h):02d}:00" for h in hours.split(",")])
        return _Clock(0, hours, said, False, None, f"No times were given, so it runs at {said}.")
    part = (daily.group(1) or daily.group()).lower() if daily else ""
    if part not in _PART_OF_DAY_HOURS and (named := _PART_OF_DAY_RE.search(text)):
        part = named.group(1).lower()
    hour = _PART_OF_DAY_HOURS.get(part, DEFAULT_HOUR)
    hour = _DAY_NIGHT_HOUR if dated and part == "night" else hour
    note = (None if part in _PART_OF_DAY_HOURS
            else f"No time was given, so it runs at {hour:02d}:00.")
    return _Clock(0, str(hour), f"{hour:02d}:00", False, None, note)


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
