from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length, Trim
from django.db.models.lookups import GreaterThan

MONEY = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """An amount to MONEY's 2 decimal places, as the API writes it (SQLite sums come back as 18.2000000000000)."""
    return value.quantize(CENT)


class Product(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="product_name")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=GreaterThan(Length(Trim("name")), 0), name="product_name_not_blank"),
        ]

    def __str__(self):
        return self.name


class OrderQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def with_totals(self):
        """Annotate `total` (sum of quantity x unit price) and `item_count`: a subquery each, in the same query.

        Subqueries rather than a join and GROUP BY: a query that selects neither (as a page's ids and
        versions do) leaves them out and reads the orders alone, in the order of their index.
        """
        items = OrderItem.objects.filter(order=OuterRef("pk")).order_by().values("order")
        line_total = ExpressionWrapper(F("quantity") * F("unit_price"), output_field=DecimalField(**MONEY))
        return self.annotate(
            total=Coalesce(
                Subquery(items.annotate(total=Sum(line_total)).values("total")),
                Value(Decimal("0.00")),
                output_field=DecimalField(**MONEY),
            ),
            item_count=Coalesce(Subquery(items.annotate(count=Sum("quantity")).values("count")), 0),
        )

    def with_items(self):
        """Prefetch the items, in id order, with their products (one more query for all the orders read)."""
        return self.prefetch_related(
            Prefetch("items", queryset=OrderItem.objects.select_related("product").order_by("id"))
        )

    def containing(self, product):
        """The orders with a line of `product` (an EXISTS, so with_totals() still sums every line)."""
        return self.filter(Exists(OrderItem.objects.filter(order=OuterRef("pk"), product=product)))

    def versions(self):
        """(id, version) of each order: they determine how the orders read (Order.version)."""
        return self.prefetch_related(None).values_list("id", "version")


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class Order(models.Model):
    Status = OrderStatus

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    products = models.ManyToManyField("Product", through="OrderItem", related_name="orders")
    # Raised by every write that changes how the order reads: its status or items (orders/services.py
    # and the admin) and a rename of one of its products (shown with its items). With the order's id
    # it keys the cached pages of orders (orders/api.py), so nothing stale is shown.
    version = models.PositiveBigIntegerField(default=0, editable=False)
    # Who cancelled the order and when (set by orders.services.order_set_status, cleared by order_uncancel):
    # the owner may undo their own cancel for a while (services.UNCANCEL_WINDOW).
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="cancelled_orders",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="order_owner_created"),
            models.Index(fields=["status"], name="order_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
        ]

    def __str__(self):
        return f"Order #{self.pk}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    # PROTECT: a product that was ordered stays in the catalogue's history.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField()
    # The price when the order was placed; later catalogue changes do not rewrite old orders.
    unit_price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="orderitem_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderitem_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderitem_unit_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product}"

    @property
    def line_total(self):
        return self.quantity * self.unit_price
