"""Search input shared by the API's `?search=` and the search page: its bounds, its terms, and highlighting.

Terms are runs of characters other than white space and commas. At most SEARCH_MAX_LENGTH characters and
SEARCH_MAX_TERMS terms (settings.py): each term is one more condition on the query, so an unbounded search
is an unbounded query.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Python's `\s` (what DRF splits on), written out: an ECMAScript `\s`, as a schema reader may take it,
# leaves out \x1c-\x1f and \x85.
SEPARATOR = r"\t\n\u000b\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000,"
TERM = rf"[^{SEPARATOR}\u0000]+"


def search_terms(raw: str) -> list[str]:
    """The terms of a search, in order and without repeats; a ValidationError when it is out of bounds."""
    if len(raw) > settings.SEARCH_MAX_LENGTH:
        message = f"Ensure this value has at most {settings.SEARCH_MAX_LENGTH} characters."
        raise ValidationError(message, code="max_length")
    terms = re.findall(TERM, raw)
    if len(terms) > settings.SEARCH_MAX_TERMS:
        message = f"At most {settings.SEARCH_MAX_TERMS} search terms (separated by spaces or commas)."
        raise ValidationError(message, code="max_terms")
    return list(dict.fromkeys(terms))


def _matches(terms) -> re.Pattern | None:
    """One case-insensitive pattern for all the terms, longest first (so "milk" wins over "mil")."""
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)), re.IGNORECASE) if terms else None


def highlight(text: str, terms) -> SafeString:
    """`text` escaped, each occurrence of a term (ignoring case) in `<mark>`.

    The matches are found in the raw text and each piece is escaped on its own, so a term never matches
    inside an entity that escaping made (a term "lt" in "&lt;") and no user text reaches the page unescaped.
    """
    pattern = _matches(terms)
    if pattern is None:
        return escape(text)
    pieces, end = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[end : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of user text above is escaped)


def excerpt(text: str, terms, *, width: int = 60) -> str:
    """About `width` characters of `text` either side of the first term found in it ("…" where cut), or ""."""
    pattern = _matches(terms)
    match = pattern.search(text) if pattern else None
    if match is None:
        return ""
    start, end = max(match.start() - width, 0), min(match.end() + width, len(text))
    if start > 0:  # begin at a word
        space = text.find(" ", start, match.start())
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", match.end(), end)
        end = space if space != -1 else end
    middle = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + middle + ("…" if end < len(text) else "")
