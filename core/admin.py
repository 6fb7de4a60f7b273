"""What the apps' admin pages share: long text cut, and dates short, to fit a changelist's columns."""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localdate


def truncated(text, length: int):
    """`text` cut to `length` characters with an ellipsis, in full in its tooltip (and so for screen readers too)."""
    text = str(text)
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(length))


def short_date(moment) -> str:
    """The local date of `moment` in the short format ("12/05/2026"), "-" for none."""
    return date_format(localdate(moment), "SHORT_DATE_FORMAT") if moment else "-"
