"""Times of day, weekday names and time zones as people write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_AMPM = r"(?:\s*(am|pm|a\.m\.|p\.m\.)(?![a-z]))?"
_TIME_RE = re.compile(
    r"\b(?:at\s+)?(noon|midday|midnight)\b"
    rf"|\b(?:at|around|at\s+around|at\s+about)\s+([0-9]{{1,2}})(?:[:.h]([0-9]{{2}}))?{_AMPM}"
    r"(?![0-9]|:[0-9])"
    r"|\b([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.|o'?clock)(?![a-z])"
    r"|\b([0-9]{1,2}):([0-9]{2})\b",
    re.IGNORECASE,
)
_ITEM = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_HOUR_ITEM_RE = re.compile(_ITEM, re.IGNORECASE)
_ITEM_ANON = r"[0-9]{1,2}(?:[:.][0-9]{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
_HOUR_LIST_RE = re.compile(
    rf"(?:\bat\s+|\(\s*)({_ITEM_ANON}(?:\s*(?:,|\band\b|&|\+|/)\s*(?:at\s+)?{_ITEM_ANON})+)"
    r"(?![0-9:.]*[0-9])",
    re.IGNORECASE,
)
_LATER_DAY_RE = re.compile(r"\b(?:afternoon|evening|(night|tonight|nightly))\b", re.IGNORECASE)

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_DAY_WORD = (
    r"(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sun|mon|tues?|wed|thu(?:rs?)?|fri|sat)s?"
)
# "every Monday", "on Mon and Thu", or a plural alone: "Mondays and Wednesdays at 14:00".
DAYS_RE = re.compile(
    r"\b(?:(?:every|each|on)\s+|(?=(?:sun|mon|tues|wednes|thurs|fri|satur)days\b))"
    rf"({_DAY_WORD}(?:\s*(?:,|and|&|or)\s*{_DAY_WORD})*)\b",
    re.IGNORECASE,
)
_ONE_DAY_RE = re.compile(_DAY_WORD, re.IGNORECASE)

# Abbreviations people write after a time; IANA names are matched as they are.
_ZONE_ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "UTC", "CET": "Europe/Berlin", "CEST": "Europe/Berlin",
    "BST": "Europe/London", "EST": "America/New_York", "EDT": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles", "IST": "Asia/Kolkata", "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney",
}
_ZONE_RE = re.compile(
    r"\b(?:UTC|GMT|CEST|CET|BST|EST|EDT|CST|CDT|PST|PDT|IST|JST|AEST)\b"
    r"|\b[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b"
)


@dataclass(frozen=True)
class ClockTime:
    hour: int
    minute: int
    start: int
    end: int
    explicit: bool  # "5pm", "17:00", "noon": clearly a time, unlike the bare "at 9"

    @property
    def text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def find_time(text: str) -> ClockTime | None:
    """The first valid time of day; "afternoon"/"evening" move 1-11 o'clock past noon."""
    later_day = _later_from(text)
    for match in _TIME_RE.finditer(text):
        g = match.groups()
        explicit = bool(g[0] or g[2] or g[3] or g[4] or g[7])
        if g[0]:
            hour, minute, suffix = (0 if g[0].lower() == "midnight" else 12), 0, ""
        else:
            hour_s, minute_s, suffix = g[1:4] if g[1] else g[4:7] if g[4] else (g[7], g[8], "")
            hour, minute, suffix = int(hour_s), int(minute_s or 0), (suffix or "").lower()
        hour = _hour_24(hour, suffix, later_day)
        if hour <= 23 and minute <= 59:
            return ClockTime(hour, minute, match.start(), match.end(), explicit)
    return None


def _later_from(text: str) -> int:
    """The first bare hour that means p.m.: any from 1 in the evening, from 6 at night
    ("every night at 1" is 01:00); 13 when nothing says it is late in the day."""
    late = _LATER_DAY_RE.search(text)
    return 13 if late is None else 6 if late.group(1) else 1


def _hour_24(hour: int, suffix: str, later_from: int) -> int:
    if suffix.startswith("p") and hour < 12:
        return hour + 12
    if suffix.startswith("a") and hour == 12:
        return 0
    if not suffix.startswith(("a", "p")) and later_from <= hour < 12:
        return hour + 12
    return hour


def hour_list(text: str) -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
    """Two or more times in a row ("at 9 and 17", "(8, 12 and 18)", "at 9am and 5pm") as
    (hour, minute) pairs in order of the day, with the span of the list; None otherwise."""
    later_day = _later_from(text)
    for match in _HOUR_LIST_RE.finditer(text):
        times = set()
        for item in _HOUR_ITEM_RE.finditer(match.group(1)):
            hour = _hour_24(int(item.group(1)), (item.group(3) or "").lower(), later_day)
            minute = int(item.group(2) or 0)
            if hour > 23 or minute > 59:
                break
            times.add((hour, minute))
        else:
            if len(times) >= 2:
                return sorted(times), match.span()
    return None


def day_numbers(days_text: str) -> list[int]:
    """'Monday and thu' -> [1, 4] (cron numbering, Sunday = 0), sorted and unique."""
    numbers = set()
    for match in _ONE_DAY_RE.finditer(days_text):
        prefix = match.group().lower()[:3]
        numbers.add(next(i for i, name in enumerate(DAY_NAMES) if name.lower().startswith(prefix)))
    return sorted(numbers)


def find_timezone(text: str) -> tuple[str, tuple[int, int]] | None:
    """An IANA zone ("Europe/Berlin") or a common abbreviation, with its span."""
    for match in _ZONE_RE.finditer(text):
        name = _ZONE_ABBREVIATIONS.get(match.group(), match.group())
        try:
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # not found is a KeyError; "Europe" an OSError
            continue
        return name, match.span()
    return None
