"""REST API plumbing shared by every app: pagination, ordering, errors, the 201 `Location` header, ETags and 304s.

Wired once in `REST_FRAMEWORK` (settings.py), so nothing here may import DRF views (circular import).
"""

import contextlib
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from rest_framework import exceptions, filters, pagination, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import exception_handler as drf_exception_handler

from core import caching, search


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 20 per page by default; a larger page_size is clamped to 100.

    A page_size that is not a whole number of at least 1 answers 400 instead of being silently ignored.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError({self.page_size_query_param: ["Must be a whole number of at least 1."]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "default": self.page_size})
                parameter["description"] = f"Results per page (default {self.page_size}, larger values count as 100)."
        return parameters


class BoundedSearchFilter(filters.SearchFilter):
    """`?search=` of at most SEARCH_MAX_LENGTH characters and SEARCH_MAX_TERMS terms; more is a 400.

    Each term is one more LIKE on each search field, so an unbounded search is an unbounded query (on
    SQLite, past about a thousand terms, an error). Terms are counted as runs of characters other than white
    space and commas (DRF's own split, which keeps a quoted phrase together, never finds more), so the
    schema's `pattern` states the same rule, along with DRF's refusal of NUL characters.
    """

    SEPARATOR = search.SEPARATOR
    TERM = search.TERM

    @classmethod
    def pattern(cls) -> str:
        gap = f"[{cls.SEPARATOR}]"
        return rf"^{gap}*({cls.TERM}{gap}+){{0,{settings.SEARCH_MAX_TERMS - 1}}}({cls.TERM})?{gap}*$"

    def get_search_terms(self, request):
        try:
            search.search_terms(request.query_params.get(self.search_param, ""))  # the bounds (core.search)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({self.search_param: error.messages}) from error
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update({"maxLength": settings.SEARCH_MAX_LENGTH, "pattern": self.pattern()})
            parameter["description"] = (
                f"{parameter['description']} At most {settings.SEARCH_MAX_LENGTH} characters and "
                f"{settings.SEARCH_MAX_TERMS} terms (separated by spaces or commas)."
            )
        return parameters


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` whose ties are always broken by id, so pages never overlap or skip rows.

    A view's `ordering_expressions` ({public name: [expressions]}) gives names that sort by expressions
    rather than a column (e.g. a rank computed from a choice); their empty values (nulls) sort last either way.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = [*ordering, "id"]
        return ordering

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        expressions = getattr(view, "ordering_expressions", {})
        terms = []
        for term in ordering:
            name = term.removeprefix("-")
            if name not in expressions:
                terms.append(term)
                continue
            for expression in expressions[name]:
                descending = term.startswith("-")
                terms.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return queryset.order_by(*terms)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource's current state does not allow this."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus a service's Django ValidationError answered as 400 with its per-field messages.

    An object that another request deleted while this one waited for its lock answers 404, and a request
    Django finds suspicious while parsing it (too many fields) a 400, both in JSON.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, SuspiciousOperation):  # e.g. a form body with too many fields
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)


def _messages(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def validation_error_as_conflict(error: DjangoValidationError) -> Conflict:
    """The 409 for a DELETE a service refused because of the resource's state (there is no input to blame)."""
    return Conflict(_messages(error))


class LocationMixin:
    """Send `Location: <absolute URL of the created resource>` with a 201 (the DRF default needs a `url` field)."""

    location_route = ""  # e.g. "api:todo-detail"

    def get_success_headers(self, data):
        return {"Location": reverse(self.location_route, kwargs={"pk": data["id"]}, request=self.request)}


# Optimistic concurrency: ETag and If-Match


def etag(data) -> str:
    """A strong, quoted entity tag for a JSON representation (the same data always gives the same tag)."""
    payload = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":")).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'


def not_modified(request, tag: str) -> HttpResponse | None:
    """The 304 Not Modified for a GET or HEAD whose `If-None-Match` names `tag`, else None (Django's comparison)."""
    if request.method not in ("GET", "HEAD") or "If-None-Match" not in request.headers:
        return None
    response = get_conditional_response(request, etag=tag, response=HttpResponse(headers={"ETag": tag}))
    return response if response.status_code == status.HTTP_304_NOT_MODIFIED else None


class ConditionalGetMixin:
    """Every 200 answer to a GET carries an `ETag`; a GET whose `If-None-Match` names it answers 304, without a body.

    By default the tag is a hash of the answer's JSON, so the 304 saves sending it, not building it. An
    answer that a cheap read determines (the versions of the rows it shows) is answered with
    `cached_answer`: its tag comes from that read alone, and the answer is kept in the cache under it.
    """

    def cached_answer(self, kind: str, parts: tuple, build):
        """The 304, or the answer cached under `kind` and `parts`, else `build()`'s (a Response), then kept.

        `parts` must hold everything the answer depends on (see core.caching): they are its tag too. The
        active time zone is added here: the answer's datetimes are written in it.
        """
        parts = (*parts, timezone.get_current_timezone_name())
        tag = caching.etag(kind, *parts)
        response = not_modified(self.request, tag)
        if response is None:
            response = Response(caching.cached(kind, parts, lambda: build().data))
            response["ETag"] = tag
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            if isinstance(response, Response) and not response.has_header("ETag"):
                response["ETag"] = etag(response.data)
            if response.has_header("ETag"):
                response = not_modified(request, response["ETag"]) or response
        return super().finalize_response(request, response, *args, **kwargs)


class ConditionalWriteMixin:
    """`ETag` on a detail viewset's PUT/PATCH answers; a stale `If-Match` on PUT/PATCH/DELETE answers 412.

    (GET answers get theirs from ConditionalGetMixin: the same hash of the same JSON.)

    (The schema side, an If-Match parameter and the 412, is declared with each viewset's extend_schema:
    this module may not import drf_spectacular.)

    The tag is a hash of the JSON representation. The If-Match check and the write run in one
    transaction that first locks the object's row (`lock_object`), so nobody can change it in between.
    """

    def lock_object(self, pk) -> None:
        """Lock the row about to be checked and written; override to lock parent rows first."""
        # A plain query on the model: SELECT ... FOR UPDATE cannot take the viewset's GROUP BY annotations.
        self.get_queryset().model._default_manager.select_for_update().filter(pk=pk).values_list("pk").first()

    def get_object(self):
        return getattr(self, "_locked_object", None) or super().get_object()

    def _if_match_failed(self, request):
        """Return a 412 response if the request's If-Match names none of the object's current ETag."""
        header = request.headers.get("If-Match")
        if header is None:
            return None
        tags = parse_etags(header)
        if "*" in tags:
            return None
        self.lock_object(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self._locked_object = self.get_object()  # read under the lock; the write then uses this very row
        current = etag(self.get_serializer(self._locked_object).data)
        if current in tags:
            return None
        return Response(
            {"detail": "The object changed since you read it (If-Match does not match its ETag). Nothing was written."},
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": current},
        )

    def _check_then_write(self, request):
        """The transaction in which the If-Match check and the write run together.

        Without If-Match there is nothing to check, and the write is the service's own transaction.
        """
        return transaction.atomic() if "If-Match" in request.headers else contextlib.nullcontext()

    def update(self, request, *args, **kwargs):
        with self._check_then_write(request):
            response = self._if_match_failed(request) or super().update(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            response["ETag"] = etag(response.data)
        return response

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with self._check_then_write(request):
            return self._if_match_failed(request) or super().destroy(request, *args, **kwargs)
