"""REST API plumbing shared by every app: pagination, ordering, errors, the 201 `Location` header, ETags.

Wired once in `REST_FRAMEWORK` (settings.py), so nothing here may import DRF views (circular import).
"""

import contextlib
import hashlib
import json

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.http import parse_etags
from rest_framework import exceptions, filters, pagination, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import exception_handler as drf_exception_handler


class CountSavingPaginator(Paginator):
    """A Paginator that needs no COUNT query when the first page is not full: its length is the count.

    Most people's lists, orders and list endpoints fit on one page, so this saves one query of three
    or four on most list requests.
    """

    def page(self, number):
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = False
        if not first:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)  # fills the cached_property: no COUNT query
        return self.page_of(rows, 1)

    def page_of(self, rows, number):
        """The page `number` made of `rows` that the caller has already read."""
        return self._get_page(rows, number, self)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 20 per page by default; a larger page_size is clamped to 100.

    A page_size that is not a whole number of at least 1 answers 400 instead of being silently ignored.
    """

    django_paginator_class = CountSavingPaginator
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

    def use_page(self, request, rows: list, *, number: int, size: int, count: int) -> None:
        """Page with rows already read and a count already known (no query), as paginate_queryset would.

        get_paginated_response then answers with these rows' page, its count and its links.
        """
        paginator = self.django_paginator_class([], size)
        paginator.count = count  # fills the cached_property: no COUNT query
        self.page, self.request = paginator.page_of(rows, number), request

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "default": self.page_size})
                parameter["description"] = f"Results per page (default {self.page_size}, larger values count as 100)."
        return parameters


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` whose ties are always broken by id, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = [*ordering, "id"]
        return ordering


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


class ValuesListMixin:
    """Answer list requests from `.values()` rows instead of model instances run through the serializer.

    For a page of 50 todos DRF spent ~1.7 ms building model instances and calling each field's
    `to_representation`, more than the rest of the request. These endpoints' fields are plain
    columns, so the same JSON comes straight from the rows: `list_fields` maps each output key to
    its column, and datetimes are written as DRF writes them (ISO 8601, "Z" for UTC). The
    serializer still defines the schema and validates writes; a test checks both give equal JSON.
    """

    list_fields: dict[str, str] = {}
    datetime_fields: tuple[str, ...] = ("created_at", "updated_at")

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).values(*self.list_fields.values())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([self.row_representation(row) for row in page])

    def row_representation(self, row: dict) -> dict:
        data = {key: row[column] for key, column in self.list_fields.items()}
        for key in self.datetime_fields:
            data[key] = iso_datetime(data[key])
        return data


def iso_datetime(value) -> str:
    """A datetime as DRF's DateTimeField writes it: ISO 8601, "Z" for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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


class ConditionalWriteMixin:
    """`ETag` on a detail viewset's GET/PUT/PATCH answers; a stale `If-Match` on PUT/PATCH/DELETE answers 412.

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

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data)
        return response
