"""Writes to orders and products: placing an order, changing its status, replacing its items.

Lock order, in every service here: order rows first (several in id order), then their items, then products.
A write that depends on an order's status locks the order's row (SELECT ... FOR UPDATE) and judges the
status read under that lock, never the one its caller read before: two writes to one order run one after
the other, and the second sees what the first did. A write that the order's current status refuses
raises OrderConflict (the API answers 409), however recently the status changed; a request that no
status would allow (an owner asking to ship) raises a plain ValidationError (400).
"""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from orders.models import Order, OrderItem, OrderStatus, Product

# Who may move an order from one status to the next. Owners may only cancel a pending order;
# staff run the fulfilment steps. Delivered and cancelled are final.
OWNER_TRANSITIONS = {OrderStatus.PENDING: {OrderStatus.CANCELLED}}
STAFF_TRANSITIONS = {
    OrderStatus.PENDING: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
}
MAX_ITEMS = 100
MAX_QUANTITY = 10_000


class OrderConflict(ValidationError):
    """The order's current status refuses this write (perhaps another write just changed it): nothing was written."""


def _lock(order: Order) -> str:
    """Lock `order`'s row for the rest of the transaction; return the status stored there.

    Raises Order.DoesNotExist if another write deleted the order meanwhile.
    """
    return Order.objects.select_for_update().values_list("status", flat=True).get(pk=order.pk)


def _clean_items(items: Iterable[Mapping]) -> dict[int, int]:
    """Validate [{"product": id_or_Product, "quantity": n}, ...]; merge repeats of one product."""
    quantities: dict[int, int] = {}
    for item in items:
        product = item.get("product")
        product_id = product.pk if isinstance(product, Product) else product
        quantity = item.get("quantity")
        if not isinstance(product_id, int) or isinstance(product_id, bool):
            raise ValidationError({"items": "Each item needs a product id."})
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ValidationError({"items": "Each quantity must be a whole number of at least 1."})
        quantities[product_id] = quantities.get(product_id, 0) + quantity
        if quantities[product_id] > MAX_QUANTITY:
            raise ValidationError({"items": f"A quantity may be at most {MAX_QUANTITY}."})
    if not quantities:
        raise ValidationError({"items": "An order needs at least one product."})
    if len(quantities) > MAX_ITEMS:
        raise ValidationError({"items": f"An order may hold at most {MAX_ITEMS} different products."})
    return quantities


def orders_touch(*, orders: QuerySet[Order]) -> None:
    """Raise the version of `orders` (Order.version), in the caller's transaction: cached pages showing them go unused.

    Every write that changes how an order reads calls it: its status, its items, a rename of one of its products.
    """
    orders.update(version=F("version") + 1)


@transaction.atomic
def order_save(*, order: Order) -> Order:
    """Save an order edited as a whole (the admin's form): a new one is created, a changed one's version raised.

    The version is never written from the instance, which may hold an older one than the row.
    """
    if order.pk is None:
        order.save()
        return order
    _lock(order)  # the form's values win, whatever the row holds: this is staff's whole-order edit
    orders_touch(orders=Order.objects.filter(pk=order.pk))
    fields = [field.name for field in Order._meta.concrete_fields if field.editable and not field.primary_key]
    order.save(update_fields=[*fields, "updated_at"])
    return order


def _write_items(*, order: Order, quantities: dict[int, int]) -> None:
    products = Product.objects.in_bulk(list(quantities))
    missing = sorted(set(quantities) - set(products))
    if missing:
        raise ValidationError({"items": f"Unknown product id(s): {', '.join(map(str, missing))}."})
    OrderItem.objects.bulk_create(
        OrderItem(order=order, product=products[pid], quantity=qty, unit_price=products[pid].price)
        for pid, qty in quantities.items()
    )


@transaction.atomic
def order_create(*, owner, items: Iterable[Mapping]) -> Order:
    """Place an order with its items (product ids and quantities) at today's prices, all or nothing."""
    quantities = _clean_items(items)
    order = Order.objects.create(owner=owner)
    _write_items(order=order, quantities=quantities)
    return order


@transaction.atomic
def order_replace_items(*, order: Order, items: Iterable[Mapping]) -> Order:
    """Replace a pending order's items."""
    quantities = _clean_items(items)
    order.status = _lock(order)
    if order.status != OrderStatus.PENDING:
        raise OrderConflict({"items": "Only a pending order's items can be changed."})
    order.items.all().delete()
    _write_items(order=order, quantities=quantities)
    order.save(update_fields=["updated_at"])
    orders_touch(orders=Order.objects.filter(pk=order.pk))
    return order


def order_allowed_statuses(*, order: Order, user) -> set[str]:
    transitions = STAFF_TRANSITIONS if user.is_staff else OWNER_TRANSITIONS
    return set(transitions.get(order.status, set()))


@transaction.atomic
def order_set_status(*, order: Order, status: str, user) -> Order:
    """Move an order to `status` if `user` may from the status it has under the lock; one already there stays."""
    order.status = _lock(order)
    if status == order.status:  # already there, whoever moved it
        return order
    if order.status == OrderStatus.CANCELLED and status == OrderStatus.PENDING:
        return order_uncancel(order=order, by=user)  # the owner's undo, for a while, however it is asked
    refusal = {"status": f"An order cannot go from {order.status} to {status}."}
    transitions = STAFF_TRANSITIONS if user.is_staff else OWNER_TRANSITIONS
    if not any(status in targets for targets in transitions.values()):
        raise ValidationError(refusal)  # no status of the order would allow it: the request is at fault
    if status not in order_allowed_statuses(order=order, user=user):
        raise OrderConflict(refusal)
    order.status = status
    fields = ["status", "updated_at"]
    if status == OrderStatus.CANCELLED:
        order.cancelled_at, order.cancelled_by = timezone.now(), user
        fields += ["cancelled_at", "cancelled_by"]
    order.save(update_fields=fields)
    orders_touch(orders=Order.objects.filter(pk=order.pk))
    return order


# How long after cancelling an order its owner may undo the cancel (order_uncancel).
UNCANCEL_WINDOW = timedelta(minutes=10)


def order_uncancel_refusal(*, order: Order, by) -> str | None:
    """Why `by` may not undo the cancel of `order` as read (None: they may); order_uncancel asks it under the lock."""
    if order.status != OrderStatus.CANCELLED:
        return f"Order #{order.pk} is {order.get_status_display().lower()}, not cancelled."
    if order.owner_id != by.pk or order.cancelled_by_id != by.pk:
        return f"Order #{order.pk} was not cancelled by you, so it cannot be restored."
    if order.cancelled_at is None or timezone.now() - order.cancelled_at > UNCANCEL_WINDOW:
        return f"A cancel can only be undone within {int(UNCANCEL_WINDOW.total_seconds() // 60)} minutes."
    return None


@transaction.atomic
def order_uncancel(*, order: Order, by) -> Order:
    """Restore a cancelled order to pending: only its owner, who cancelled it, within UNCANCEL_WINDOW.

    Judged on the row read under the order's lock: an order advanced or restored meanwhile is refused
    (OrderConflict), as is one cancelled by staff or too long ago.
    """
    locked = Order.objects.select_for_update().only("status", "owner_id", "cancelled_at", "cancelled_by_id")
    current = locked.get(pk=order.pk)
    order.status = current.status
    if refusal := order_uncancel_refusal(order=current, by=by):
        raise OrderConflict({"status": refusal})
    order.status, order.cancelled_at, order.cancelled_by = OrderStatus.PENDING, None, None
    order.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
    orders_touch(orders=Order.objects.filter(pk=order.pk))
    return order


@transaction.atomic
def order_delete(*, order: Order) -> None:
    """Delete an order; only a pending or cancelled one, so fulfilled history is kept."""
    order.status = _lock(order)
    if order.status not in {OrderStatus.PENDING, OrderStatus.CANCELLED}:
        raise OrderConflict({"status": "Only a pending or cancelled order can be deleted."})
    order.delete()


# Products and API compositions


def _clean_product(*, name: str, price: Decimal) -> tuple[str, Decimal]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "This field may not be blank."})
    if price is None or price < 0:
        raise ValidationError({"price": "Ensure this value is greater than or equal to 0."})
    return name, price


@transaction.atomic
def product_create(*, name: str, price: Decimal, description: str = "") -> Product:
    name, price = _clean_product(name=name, price=price)
    return Product.objects.create(name=name, price=price, description=description)


@transaction.atomic
def product_update(
    *, product: Product, name: str | None = None, price: Decimal | None = None, description: str | None = None
) -> Product:
    """Change a product; orders already placed keep the unit price they were placed at, and show its new name.

    `product` may already hold the changes (as the admin's form leaves it): a rename is told from the stored name.
    """
    product.name, product.price = _clean_product(
        name=product.name if name is None else name, price=product.price if price is None else price
    )
    if description is not None:
        product.description = description
    stored_name = Product.objects.filter(pk=product.pk).values_list("name", flat=True).get()
    renamed = product.name != stored_name
    if renamed:  # the lock order: the orders showing the product first, then the product
        showing = Order.objects.filter(pk__in=product.order_items.values("order_id")).order_by("pk")
        list(showing.select_for_update().values_list("pk", flat=True))
    product.save()
    if renamed:
        orders_touch(orders=Order.objects.filter(pk__in=product.order_items.values("order_id")))
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product that was never ordered; ordered ones stay for the orders' history."""
    if product.order_items.exists():
        raise ValidationError({"product": "A product that has been ordered cannot be deleted."})
    product.delete()


@transaction.atomic
def order_update(*, order: Order, user, status: str | None = None, items: Iterable[Mapping] | None = None) -> Order:
    """Replace a pending order's items and/or change its status, all or nothing."""
    if items is not None:
        order_replace_items(order=order, items=items)
    if status is not None:
        order_set_status(order=order, status=status, user=user)
    return order


# Import (accounts.services.account_data_import)

# An imported order keeps its unit prices only once it is done with: an open one (which staff still fulfil)
# is priced from the catalogue, so an import never sets what anything costs.
FINAL_STATUSES = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED}


@transaction.atomic
def order_import(*, owner, status: str, items: Iterable[Mapping]) -> Order | None:
    """A new order of the owner's with this status and items ({"product": name, "quantity", "unit_price"}).

    Products are found by name (the oldest of a name). If one is unknown, nothing is written and None is
    returned: an order with lines missing would misstate what was ordered. Repeated products are merged.
    """
    if status not in OrderStatus.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(OrderStatus.values)}."})
    items = list(items)
    if not items:
        raise ValidationError({"items": "An order needs at least one product."})
    products: dict[str, Product] = {}
    for product in Product.objects.filter(name__in={item["product"] for item in items}).order_by("id"):
        products.setdefault(product.name, product)
    if any(item["product"] not in products for item in items):
        return None
    lines: dict[int, OrderItem] = {}
    order = Order.objects.create(owner=owner, status=status)
    for item in items:
        product = products[item["product"]]
        quantity = item["quantity"]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ValidationError({"items": "Each quantity must be a whole number of at least 1."})
        if product.pk in lines:
            lines[product.pk].quantity += quantity
            continue
        price = Decimal(item["unit_price"]) if status in FINAL_STATUSES else product.price
        if price < 0:
            raise ValidationError({"items": "A unit price may not be negative."})
        lines[product.pk] = OrderItem(order=order, product=product, quantity=quantity, unit_price=price)
    OrderItem.objects.bulk_create(lines.values())
    return order
