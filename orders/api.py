"""REST API viewsets for products and orders: orders scoped to their owner, writes through orders.services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action

from core.api import ConditionalGetMixin, LocationMixin, validation_error_as_conflict
from core.idempotency import IdempotentCreateMixin
from core.schema import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY
from orders import services
from orders.filters import OrderFilter
from orders.models import Order, Product
from orders.serializers import OrderCreateSerializer, OrderSerializer, ProductSerializer

ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Authenticated but not allowed (e.g. a product write by a non-staff user)."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such object among those you may see.")}
BAD_INPUT = {400: OpenApiResponse(description="Invalid input; the body maps each field to its messages.")}
CONFLICT = {409: OpenApiResponse(description="The object's state does not allow deleting it.")}
REFUSED_BY_STATUS = {
    409: OpenApiResponse(description="The order's current status refuses this change (e.g. a cancel once processing).")
}


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone logged in may read; only staff may write."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (request.method in permissions.SAFE_METHODS or user.is_staff))


def _items(validated_items) -> list[dict]:
    return [{"product": item["product_id"], "quantity": item["quantity"]} for item in validated_items]


@extend_schema_view(
    list=extend_schema(responses={200: ProductSerializer(many=True), **ERRORS}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={201: ProductSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS}
    ),
    retrieve=extend_schema(responses={200: ProductSerializer, **ERRORS, **NOT_FOUND}),
    update=extend_schema(responses={200: ProductSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND}),
    partial_update=extend_schema(responses={200: ProductSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND}),
    destroy=extend_schema(responses={204: None, **ERRORS, **NOT_FOUND, **CONFLICT}),
)
class ProductViewSet(IdempotentCreateMixin, ConditionalGetMixin, LocationMixin, viewsets.ModelViewSet):
    """The catalogue: read by everyone logged in, written by staff. An ordered product cannot be deleted (409)."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Product" if self.detail else "Products")

    queryset = Product.objects.order_by("name", "id")
    serializer_class = ProductSerializer
    permission_classes = [IsStaffOrReadOnly]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "price", "created_at"]
    lookup_value_regex = "[0-9]+"
    location_route = "api:product-detail"

    def perform_create(self, serializer):
        serializer.instance = services.product_create(**serializer.validated_data)

    def perform_update(self, serializer):
        services.product_update(product=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        try:
            services.product_delete(product=instance)
        except DjangoValidationError as error:
            raise validation_error_as_conflict(error) from error

    @extend_schema(responses={200: OrderSerializer(many=True), **ERRORS, **NOT_FOUND})
    @action(detail=True, methods=["get"], serializer_class=OrderSerializer, filter_backends=[])
    def orders(self, request, pk=None):
        """My orders that contain this product, newest first."""
        orders = Order.objects.for_owner(request.user).containing(self.get_object()).with_totals().with_items()
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(responses={200: OrderSerializer(many=True), **ERRORS}),
    create=extend_schema(
        request=OrderCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: OrderSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS},
    ),
    retrieve=extend_schema(responses={200: OrderSerializer, **ERRORS, **NOT_FOUND}),
    partial_update=extend_schema(
        responses={200: OrderSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **REFUSED_BY_STATUS}
    ),
    destroy=extend_schema(responses={204: None, **ERRORS, **NOT_FOUND, **CONFLICT}),
)
class OrderViewSet(IdempotentCreateMixin, ConditionalGetMixin, LocationMixin, viewsets.ModelViewSet):
    """My orders. Owners may cancel a pending order and replace its items; staff advance the status.

    An owner who cancelled an order may set it back to pending within 10 minutes of the cancel; later, or
    for an order cancelled by staff, the PATCH answers 409 Conflict.

    DELETE works on a pending or cancelled order only; any other answers 409 Conflict, as does a PATCH
    that the order's current status refuses (judged under the order's row lock: see orders.services).
    """

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Order" if self.detail else "My orders")

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = OrderFilter
    ordering_fields = ["created_at", "updated_at", "status", "total"]
    lookup_value_regex = "[0-9]+"
    location_route = "api:order-detail"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs without a user
            return Order.objects.none()
        return Order.objects.for_owner(self.request.user).with_totals().with_items()  # newest first (Meta)

    def get_serializer_class(self):
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    def list(self, request, *args, **kwargs):
        # A page of my orders is a function of its orders' ids and versions, the count of all, and the URL:
        # read first (the COUNT, then the page's ids and versions), they key and tag it, so a page asked
        # again before any of its orders changes costs these two queries. Otherwise the page is read by
        # those very ids: it shows the orders that were counted, each with its own items.
        orders = self.filter_queryset(self.get_queryset())
        versions = self.paginate_queryset(orders.versions())
        parts = (request.user.pk, self.paginator.page.paginator.count, versions, request.build_absolute_uri())

        def build():
            page = orders.filter(pk__in=[pk for pk, _ in versions])
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

        return self.cached_answer("api-orders", parts, build)

    def perform_create(self, serializer):
        order = services.order_create(owner=self.request.user, items=_items(serializer.validated_data["items"]))
        serializer.instance = self.get_queryset().get(pk=order.pk)

    def perform_update(self, serializer):
        data = serializer.validated_data
        try:
            order = services.order_update(
                order=serializer.instance,
                user=self.request.user,
                status=data.get("status"),
                items=_items(data["items"]) if "items" in data else None,
            )
        except services.OrderConflict as error:
            raise validation_error_as_conflict(error) from error
        serializer.instance = self.get_queryset().get(pk=order.pk)

    def perform_destroy(self, instance):
        try:
            services.order_delete(order=instance)
        except DjangoValidationError as error:
            raise validation_error_as_conflict(error) from error
