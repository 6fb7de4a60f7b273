"""The page's one notice (templates/includes/messages.html): the request's messages, else a pending Undo.

An undoable write offers its Undo by keeping it in the session (offer_undo), so the notice comes back
with the next page and after a reload until it is used, replaced by a newer one, or UNDO_NOTICE_FOR has
passed. The session is read anyway to know who is logged in (cached_db: from the cache), so showing it
costs no query. What the Undo does is the app's business: the notice holds its URL and words alone.
"""

import time

from django.contrib import messages
from django.contrib.messages import constants

SESSION_KEY = "undo_notice"
UNDO_NOTICE_FOR = 60  # seconds after the write that pages still show its Undo (a reload, the page a redirect lands on)
UNDO_NOTICE_SECONDS = 10  # how long a page shows it before it leaves by itself (static/js/alerts.js)
SUCCESS_SECONDS = 6  # how long a success notice stays; a failure stays until dismissed


def offer_undo(request, *, url: str, text: str) -> None:
    """Show `text` with an Undo button that POSTs to `url`, on this answer and the pages that follow."""
    request.session[SESSION_KEY] = {"url": url, "text": text, "until": time.time() + UNDO_NOTICE_FOR}


def withdraw_undo(request, *, url: str | None = None) -> None:
    """Stop offering the pending Undo (only if it is the one of `url`, when given)."""
    pending = request.session.get(SESSION_KEY)
    if pending and (url is None or pending["url"] == url):
        del request.session[SESSION_KEY]


def pending_undo(request) -> dict | None:
    """The Undo the pages still offer, with `seconds`: how long this page shows it; None if there is none."""
    pending = getattr(request, "session", {}).get(SESSION_KEY)
    if not pending:
        return None
    left = pending["until"] - time.time()
    if left <= 0:
        return None
    return pending | {"seconds": max(1, min(UNDO_NOTICE_SECONDS, round(left)))}


def notice(request, *, text: str = "", level: str = "success") -> dict | None:
    """The notice a page shows: `text` if given; else its messages (an error among them makes it an error
    notice), else the pending Undo; None when there is nothing to say."""
    if text:
        lines = [text]
    else:
        found = list(messages.get_messages(request))
        lines = [str(message) for message in found]
        if any(message.level >= constants.ERROR for message in found):
            level = "error"
    if lines:
        return {"level": level, "lines": lines, "undo": None, "seconds": 0 if level == "error" else SUCCESS_SECONDS}
    undo = pending_undo(request)
    if undo is None:
        return None
    return {"level": "success", "lines": [undo["text"]], "undo": undo, "seconds": undo["seconds"]}
