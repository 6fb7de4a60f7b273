"""Shapes of products and orders in the REST API. Validation of input only; the services hold the rules."""

from decimal import Decimal

from rest_framework import serializers

from orders.models import MONEY, Order, OrderItem, Product
from orders.services import MAX_ITEMS, MAX_QUANTITY

MAX_ID = 2**63 - 1  # BigAutoField


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description", "price", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"price": {"min_value": Decimal("0")}}


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


class OrderSerializer(serializers.ModelSerializer):
    """An order with its items and total. PATCH may change `status` and/or replace `items` (pending only)."""

    # At most MAX_ITEMS lines, so one request cannot make the server validate an unbounded list.
    items = OrderItemSerializer(
        many=True, required=False, max_length=MAX_ITEMS, help_text="Replaces all items (pending orders only)."
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
        many=True, max_length=MAX_ITEMS, help_text="At least one item; repeats of a product are merged."
    )

    class Meta(OrderSerializer.Meta):
        read_only_fields = [*OrderSerializer.Meta.read_only_fields, "status"]
