"""OpenAPI pieces shared by the apps' viewsets: conditional writes and idempotent creation.

Kept apart from core/api.py, which REST_FRAMEWORK loads and so may not import drf_spectacular.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.idempotency import MAX_KEY_LENGTH

# Optimistic concurrency on detail writes (core.api.ConditionalWriteMixin).
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` of the object as you last read it (from GET or your previous write). If the object has "
        "changed since, nothing is written and the answer is 412. Leave it out (or send `*`) to write anyway."
    ),
)
PRECONDITION_FAILED = {
    412: OpenApiResponse(
        description="`If-Match` does not match the object's current `ETag`: it changed since you read it. "
        "Nothing was written; the 412 carries the current `ETag`."
    )
}

# Idempotent creation (core.idempotency.IdempotentCreateMixin).
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (e.g. a UUID) chosen by the client. Repeating the POST with the same key and body "
        "creates nothing more and returns the first answer again, with `Idempotent-Replayed: true`, to the same "
        "caller only; kept 24 hours."
    ),
)
IDEMPOTENCY_ERRORS = {
    409: OpenApiResponse(
        description="A request with this Idempotency-Key is still being processed; retry after the seconds in "
        "`Retry-After`."
    ),
    422: OpenApiResponse(description="This Idempotency-Key was already used with a different request body."),
}


def document_common_errors(result, generator, request, public):
    """Add the answers that whole families of operations share, rather than repeating them on each one.

    Every operation may answer 429 (API throttles, failed-login limit); every paginated list 400 (a bad
    `page_size` or filter value) and 404 (a page past the end), and its `page` starts at 1.
    """
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            responses.setdefault(
                "429", {"description": "Too many requests: wait the number of seconds in `Retry-After`."}
            )
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "page" and parameter["in"] == "query":
                    # page=0 and below answer 404, as a page past the end; an empty `page=` is the first page
                    # (DRF reads it so), which the schema must allow too.
                    parameter["schema"] = {
                        "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": [""]}]
                    }
                    parameter["description"] = "A page number, from 1 (empty: the first page)."
            if any(parameter["name"] == "page" for parameter in operation.get("parameters", [])):
                responses.setdefault("400", {"description": "Invalid `page_size` or filter value."})
                responses.setdefault("404", {"description": "No such page (past the end), or no such parent object."})
    return result
