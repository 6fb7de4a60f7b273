"""Quick add: read a due date, a priority and labels out of the text typed as a new todo.

`Pay rent tomorrow 9am !high #home` is the todo "Pay rent", due tomorrow at 09:00, priority high,
label "home". Pure: no database, no clock of its own (`now` is given), no network.

The grammar (README, "Quick add"):

- `!high`, `!medium`, `!low`, `!1`, `!2`, `!3` (high, medium, low) and `!none` set the priority; the
  last one wins. Each is a word of its own (`wow!high` is not one).
- `#word` adds a label: letters, digits, `-` and `_` of any script, after white space or at the start
  (`C#` and `a#b` are not labels; `#12` is). Labels are kept once each, compared without case, in order.
- One date phrase, the last one the text holds, is the due date, with an optional time before or
  after it. A date phrase needs a date word: `today`, `tonight` (today), `tomorrow`; a weekday
  (`friday`, `fri`, `next friday`): the next such day, today excluded, "next" changing nothing; the
  abbreviations `wed`, `sat` and `sun` are English words and count only after "next"; `in 3 days`,
  `in 2 weeks`, `in a month`; a day and a month (`dec 24`, `24 dec`, `24th of december`, `24/12`:
  day first, so a fraction such as `1/2` is 1 February), which without a year is the next such day,
  today included; an ISO date (`2026-12-24`). `on` or `by` before it, `at` before a time, are part
  of the phrase. A month name counts only beside a day number (`Call May`, `March of the penguins`
  are no dates). A time is `9am`, `9:30pm`, `5 pm` or `17:00`; a time alone is today, or tomorrow
  when it has passed. A phrase that is no real date (`31/02`) is not read.
- Text in double quotes ("…" or “…”) is kept as written, without its quotes, and never parsed.
- The phrases and tokens read are taken out of the description, white space collapsed; when
  nothing is left, the description is the whole text.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_PRIORITY_WORDS = {
    "high": "high",
    "1": "high",
    "medium": "medium",
    "2": "medium",
    "low": "low",
    "3": "low",
    "none": "none",
}
# Quoted text is replaced by this character while looking for tokens: no pattern matches it or
# reads it as white space, so a phrase never runs across a quotation.
_MASK = "\uffff"
_QUOTED = re.compile(r'(?<![\w"])"([^"]+)"(?![\w"])|“([^”]+)”')
_PRIORITY = re.compile(r"(?<!\S)!(high|medium|low|none|[123])(?![\w-])", re.IGNORECASE)
_LABEL = re.compile(r"(?<!\S)#(\S+)")

_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|thurs|thur|thu|fri"
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:(?:on|by)\s+)?(?:today|tonight|tomorrow"
    r"|in\s+(?:\d{1,3}|an?)\s+(?:days?|weeks?|months?)"
    rf"|(?:next\s+)?(?:{_WEEKDAYS})|next\s+(?:wed|sat|sun)"
    rf"|{_MONTHS}\s+{_DAY}(?:,?\s+\d{{4}})?"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?"
    r"|\d{4}-\d{2}-\d{2})"
)
_TIME = r"(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})"
# Not glued to a word, a path, an address, a tag or a number: `a/24/12`, `x@5pm`, `#today`, `1.5pm`.
_START = r"(?<![\w/.:@#!\-" + _MASK + r"])"
_END = r"(?![\w/:@\-" + _MASK + r"]|\.\d)"
_PHRASE = re.compile(
    rf"{_START}(?:(?P<date>{_DATE})(?:\s+(?P<time>{_TIME}))?|(?P<time_first>{_TIME})(?:\s+(?P<date_after>{_DATE}))?){_END}",
    re.IGNORECASE,
)
_WEEKDAY_PHRASE = re.compile(rf"(?:(?:on|by)\s+)?(?:next\s+)?(?:{_WEEKDAYS}|wed|sat|sun)", re.IGNORECASE)
_DAY_MONTH = rf"(?:(?:on|by)\s+)?(?:{_MONTHS}\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTHS}|\d{{1,2}}/\d{{1,2}})"
_DAY_MONTH_PHRASE = re.compile(_DAY_MONTH, re.IGNORECASE)
_DAY_MONTH_YEAR_PHRASE = re.compile(rf"{_DAY_MONTH}(?:,?\s+\d{{4}}|/\d{{4}}|/\d{{2}})?", re.IGNORECASE)
_ISO_PHRASE = re.compile(r"(?:(?:on|by)\s+)?\d{4}-\d{2}-\d{2}", re.IGNORECASE)
# dateparser knows `sat` but not `next sat`: it is given the full names.
_WEEKDAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
_WEEKDAY_ABBREVIATION = re.compile(r"\b(" + "|".join(_WEEKDAY_NAMES) + r")\b")
_CONNECTOR = re.compile(r"^(?:on|by|at)\s+", re.IGNORECASE)
# Each phrase costs a call to dateparser: a text made of many phrases that are no dates (`31/02`)
# is given up on after this many tries.
_MAX_TRIES = 8


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add text means: the todo's description and the fields read from the rest."""

    description: str
    due_date: date | None = None
    due_time: time | None = None
    priority: str = "none"
    labels: tuple[str, ...] = ()

    @property
    def found_anything(self) -> bool:
        return self.due_date is not None or self.priority != "none" or bool(self.labels)


def parse_quick_add(text: str, *, now: datetime) -> QuickAdd:
    """Read `text` as typed in the new-todo field, dates relative to `now` (aware, the person's zone)."""
    removed = bytearray(len(text))  # 1 where a character leaves the description
    masked = list(text)
    for match in _QUOTED.finditer(text):
        start, end = match.span()
        removed[start] = removed[end - 1] = 1
        masked[start:end] = _MASK * (end - start)
    masked = "".join(masked)

    priority = "none"
    for match in _PRIORITY.finditer(masked):
        priority = _PRIORITY_WORDS[match.group(1).lower()]
        removed[match.start() : match.end()] = b"\x01" * (match.end() - match.start())

    labels = {}
    for match in _LABEL.finditer(masked):
        name = _label_name(match.group(1))
        if name:
            labels.setdefault(name.casefold(), name)
            end = match.start(1) + len(name)
            removed[match.start() : end] = b"\x01" * (end - match.start())

    due_date = due_time = None
    found = _last_date_phrase(masked, now)
    if found:
        (start, end), due_date, due_time = found
        removed[start:end] = b"\x01" * (end - start)

    description = " ".join("".join(char for char, gone in zip(text, removed, strict=True) if not gone).split())
    return QuickAdd(
        description=description or " ".join(text.split()),
        due_date=due_date,
        due_time=due_time,
        priority=priority,
        labels=tuple(labels.values()),
    )


def _label_name(word: str) -> str:
    """The start of `word` made of letters, marks, digits, `-` and `_`, if it holds a letter or a digit."""
    end = 0
    for char in word:
        if not (unicodedata.category(char)[0] in "LMN" or char in "-_"):
            break
        end += 1
    name = word[:end]
    return name if any(unicodedata.category(char)[0] in "LN" for char in name) else ""


def _last_date_phrase(masked: str, now: datetime):
    """The last date phrase that reads as a date: ((start, end), date, time or None), or None.

    Each phrase is tried whole, then its date alone, then its time alone.
    """
    tries = 0
    for match in reversed(list(_PHRASE.finditer(masked))):
        date_group = "date" if match.group("date") else "date_after"
        time_group = "time" if match.group("date") else "time_first"
        candidates = [(match.span(), match.group(date_group), match.group(time_group))]
        if match.group(date_group) and match.group(time_group):
            candidates += [(match.span(date_group), match.group(date_group), None)]
            candidates += [(match.span(time_group), None, match.group(time_group))]
        for span, date_text, time_text in candidates:
            if tries == _MAX_TRIES:
                return None
            tries += 1
            resolved = _resolve(date_text, time_text, now)
            if resolved:
                return span, *resolved
    return None


def _resolve(date_text, time_text, now: datetime):
    """(date, time or None) that a date phrase and a time phrase (either may be None) name, or None."""
    import dateparser  # here, not at the top: only the processes that parse pay for its import

    base = now.replace(tzinfo=None)
    date_words = _CONNECTOR.sub("", date_text or "").lower().replace("tonight", "today")
    date_words = _WEEKDAY_ABBREVIATION.sub(lambda match: _WEEKDAY_NAMES[match[1]], date_words)
    phrase = " ".join(filter(None, [date_words, _CONNECTOR.sub("", time_text or "")]))
    try:
        parsed = dateparser.parse(
            phrase,
            languages=["en"],
            settings={
                "RELATIVE_BASE": base,
                "PREFER_DATES_FROM": "future",
                "DATE_ORDER": "DMY",
                "RETURN_AS_TIMEZONE_AWARE": False,
                # No timestamps (`1984`) and no digits run together (`2412`): only the phrases above.
                "PARSERS": ["relative-time", "absolute-time"],
            },
        )
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    due_time = parsed.time().replace(second=0, microsecond=0) if time_text else None
    today = base.date()
    if date_text is None:
        return (today if datetime.combine(today, due_time) > base else today + timedelta(days=1)), due_time
    day = parsed.date()
    explicit = _DAY_MONTH_YEAR_PHRASE.fullmatch(date_text) or _ISO_PHRASE.fullmatch(date_text)
    if explicit and not _as_typed(date_text, day):
        return None
    if _WEEKDAY_PHRASE.fullmatch(date_text):
        while day <= today:
            day += timedelta(days=7)
    elif _DAY_MONTH_PHRASE.fullmatch(date_text):  # no year given
        day = _next_day_month(day.month, day.day, today)
    return (day, due_time) if day else None


def _as_typed(date_text: str, day: date) -> bool:
    """Whether `day` is the date typed: dateparser also reads `32 dec`, `12/13` or `2026-13-01`, otherwise."""
    numbers = [int(number) for number in re.findall(r"\d+", date_text)]
    if _ISO_PHRASE.fullmatch(date_text):
        return numbers == [day.year, day.month, day.day]
    return numbers[:2] == [day.day, day.month] if "/" in date_text else numbers[0] == day.day


def _next_day_month(month: int, day: int, today: date) -> date | None:
    """The first `day` of `month` from `today` on (a 29 February may be years away)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None
