"""Shapes of products and orders in the REST API. Validation of input only; the services hold the rules."""

import re

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import NOT_BLANK, StrictCharField
from orders.models import MONEY, Order, OrderItem, Product
from orders.services import MAX_ITEMS, MAX_QUANTITY

MAX_ID = 2**63 - 1  # BigAutoField


# drf-spectacular writes no length for a list of serializers: the schema of an order's lines, said here.
@extend_schema_field(
    {"type": "array", "items": {"$ref": "#/components/schemas/OrderItem"}, "minItems": 1, "maxItems": MAX_ITEMS}
)
class OrderItemListSerializer(serializers.ListSerializer):
    """An order's lines: 1 to MAX_ITEMS of them, as the services require (checked here first)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validators=[MinLengthValidator(1), MaxLengthValidator(MAX_ITEMS)], **kwargs)


WHOLE_DIGITS = MONEY["max_digits"] - MONEY["decimal_places"]
PRICE_PATTERN = rf"^\d{{1,{WHOLE_DIGITS}}}(?:\.\d{{1,{MONEY['decimal_places']}}})?$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": PRICE_PATTERN, "example": "1.50"})
class PriceField(serializers.DecimalField):
    """A price as the API writes it, a string such as "1.50": digits, then at most two decimals; never negative.

    DRF's DecimalField also takes JSON numbers, signs, exponents and white space, which the schema's pattern
    does not allow; they are refused here, so the two say the same.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(PRICE_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)


# Free text, empty allowed, without NUL characters (DRF's own validator refuses them). Said with `not`: a
# `pattern` on a field that may be blank becomes drf-spectacular's oneOf(pattern, empty), which "" matches twice.
@extend_schema_field({"type": "string", "not": {"pattern": "\\u0000"}})
class OptionalTextField(StrictCharField):
    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)


class ProductSerializer(serializers.ModelSerializer):
    # Text reads JSON strings only, as the schema says (see core.fields.StrictCharField).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
    description = OptionalTextField(required=False)
    price = PriceField(**MONEY)

    class Meta:
        model = Product
        fields = ["id", "name", "description", "price", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": NOT_BLANK}}


class OrderItemSerializer(serializers.ModelSerializer):
    # A plain id: the service checks every product of an order in one query and names the unknown ones.
    # Bounded to the id column's range: a larger number is a 400, not a database overflow.
    product = serializers.IntegerField(
        source="product_id", min_value=1, max_value=MAX_ID, help_text="A product id from /api/products/."
    )
    product_name = serializers.CharField(source="product.name", read_only=True)
    line_total = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = OrderItem
        fields = ["product", "product_name", "quantity", "unit_price", "line_total"]
        read_only_fields = ["product_name", "unit_price", "line_total"]
        extra_kwargs = {"quantity": {"min_value": 1, "max_value": MAX_QUANTITY}}
        list_serializer_class = OrderItemListSerializer


class OrderSerializer(serializers.ModelSerializer):
    """An order with its items and total. PATCH may change `status` and/or replace `items` (pending only)."""

    # At most MAX_ITEMS lines, so one request cannot make the server validate an unbounded list.
    items = OrderItemSerializer(
        many=True,
        required=False,
        max_length=MAX_ITEMS,
        help_text="Replaces all items (pending orders only).",
    )
    # From Order.objects.with_totals(): no query per row.
    total = serializers.DecimalField(**MONEY, read_only=True)
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Order
        fields = ["id", "status", "items", "total", "item_count", "created_at", "updated_at"]
        read_only_fields = ["id", "total", "item_count", "created_at", "updated_at"]


class OrderCreateSerializer(OrderSerializer):
    """A new order: its items, all placed at today's prices in one transaction. It starts pending."""

    items = OrderItemSerializer(
        many=True,
        max_length=MAX_ITEMS,
        help_text="At least one item; repeats of a product are merged.",
    )

    class Meta(OrderSerializer.Meta):
        read_only_fields = [*OrderSerializer.Meta.read_only_fields, "status"]
