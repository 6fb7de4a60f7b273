"""Template context the site's base template needs on every page."""

from django.utils.functional import SimpleLazyObject

from core import notices


def nav_section(request):
    """`nav_section`: the first segment of the matched URL pattern ("lists", "todos", "orders", "accounts").

    The top bar marks its current tab from it. None when no pattern matched (a 404 page).
    """
    match = getattr(request, "resolver_match", None)
    return {"nav_section": match.route.split("/", 1)[0] if match else None}


def notice(request):
    """`notice`: what the page's notice region shows (core.notices.notice), read only if the page shows it."""
    return {"notice": SimpleLazyObject(lambda: notices.notice(request) or {})}
