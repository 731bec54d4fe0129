"""Schedules in words ("every weekday at 9:30", "hourly", "every 15 minutes") to five-field cron."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow_chat.llm.offline.clock import DAY_NAMES, DAYS_RE, day_numbers, find_time

_I = re.IGNORECASE
_MINUTES_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:minutes?|mins?|m)\b", _I)
_HOURS_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:hours?|hrs?|h)\b", _I)
_SECONDS_RE = re.compile(r"\b(?:every|each)\s+([0-9]{1,4})\s*(?:seconds?|secs?|s)\b", _I)
_EVERY_MINUTE_RE = re.compile(r"\b(?:every|each)\s+minute\b", _I)
_HALF_HOUR_RE = re.compile(r"\bevery\s+half\s+(?:an\s+)?hour\b", _I)
_HOURLY_RE = re.compile(r"\bhourly\b|\b(?:every|each)\s+hour\b|\bonce\s+an\s+hour\b", _I)
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
_EVERY_N_DAYS_RE = re.compile(r"\bevery\s+([0-9]{1,2})\s+days\b", _I)
_DAILY_RE = re.compile(
    r"\b(?:daily|nightly|every\s*day|each\s+day|once\s+a\s+day|everyday)\b"
    r"|\b(?:every|each)\s+(morning|afternoon|evening|night)\b",
    _I,
)
_PART_OF_DAY_HOURS = {"morning": 9, "afternoon": 14, "evening": 18, "night": 0, "nightly": 0}
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
    daily = _DAILY_RE.search(text)
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
        every = int(m.group(1))
        dom, what = ("*", "every day") if every <= 1 else (f"*/{every}", f"every {every} days")
    elif m := daily:
        what = "every day"
    if m:
        spans.append(m.span())
    if daily and daily is not m:
        spans.append(daily.span())
    time = find_time(text)
    if not m and (time is None or not time.explicit):
        return None  # "at 9" alone may not be a time; "at 9am" or "every day at 9" is
    if time is not None:
        spans.append((time.start, time.end))
        hour, minute = time.hour, time.minute
        what = what or "every day"
    else:
        part = (daily.group(1) or daily.group()).lower() if daily else ""
        hour, minute = _PART_OF_DAY_HOURS.get(part, DEFAULT_HOUR), 0
        if part not in _PART_OF_DAY_HOURS:
            notes.append(f"No time was given, so it runs at {hour:02d}:00.")
    description = f"{what} at {hour:02d}:{minute:02d}"
    start = min(s for s, _ in spans)
    cron = f"{minute} {hour} {dom} * {dow}"
    return ScheduleMatch(cron, description, start, tuple(spans), tuple(notes))
