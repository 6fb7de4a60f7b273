"""The API's JSON parser: a malformed, too deeply nested or non-Unicode body is a 400 before any work."""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def check_json_document(data) -> None:
    """Raise ParseError if `data` nests deeper than JSON_MAX_DEPTH or holds a lone surrogate in any string.

    Walked with a stack, not recursion, so a deep document cannot exhaust Python's stack here either.
    A lone surrogate (`"\\ud800"`) parses into a Python str that no UTF-8 database, hash or page accepts.
    """
    limit = settings.JSON_MAX_DEPTH
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                raise ParseError("JSON parse error - strings may not hold lone surrogates (e.g. \\ud800).")
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            raise ParseError(f"JSON parse error - nested deeper than {limit} levels.")
        items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
        for key, item in items:
            if key is not None:
                stack.append((key, depth))
            stack.append((item, depth + 1))


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus a 400 (not a RecursionError's 500) for deep nesting and lone surrogates."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - nested deeper than {settings.JSON_MAX_DEPTH} levels.") from error
        check_json_document(data)
        return data
