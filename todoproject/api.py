"""REST API plumbing shared by every app: pagination, ordering, errors and the 201 `Location` header.

Wired once in `REST_FRAMEWORK` (settings.py), so nothing here may import DRF views (circular import).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, filters, pagination, status
from rest_framework.reverse import reverse
from rest_framework.views import exception_handler as drf_exception_handler


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
    """DRF's handler, plus a service's Django ValidationError answered as 400 with its per-field messages."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))
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
