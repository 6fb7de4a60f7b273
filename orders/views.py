"""Pages for the product catalogue and the user's orders. Writes go through orders.services."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orders import services
from orders.forms import OrderForm, OrderItemsForm
from orders.models import Order, OrderItem, OrderStatus, Product

ORDERS_PER_PAGE = 20


def owner_orders(user):
    """The user's orders with their totals and their items' products, in three queries at most."""
    items = OrderItem.objects.select_related("product").only(
        "id", "order_id", "quantity", "unit_price", "product__id", "product__name"
    )
    return (
        Order.objects.for_owner(user)
        .with_totals()
        .only("id", "owner_id", "status", "created_at", "cancelled_at", "cancelled_by_id")
        .order_by("-created_at", "-id")  # the aggregate drops the default ordering the paginator needs
        .prefetch_related(Prefetch("items", queryset=items))
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request):
    """The product catalogue, with a quantity for each product; posting it places an order."""
    products = Product.objects.only("id", "name", "description", "price")
    form = OrderForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(owner=request.user, items=form.cleaned_data["items"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Thank you! Order #{order.pk} has been placed.")
            return redirect("orders:order_detail", pk=order.pk)
    return render(request, "orders/order_form.html", {"form": form})


@login_required
@require_GET
def order_list(request):
    page = Paginator(owner_orders(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orders/order_list.html", {"page_obj": page, "orders": page.object_list})


@login_required
@require_GET
def order_detail(request, pk):
    order = get_object_or_404(owner_orders(request.user), pk=pk)
    return render_order_detail(request, order)


def render_order_detail(request, order, *, items_form=None, items_refusal="", status=HTTPStatus.OK):
    """The order page: a pending order with its items form, a just-cancelled one with its Undo."""
    pending = order.status == OrderStatus.PENDING
    if pending and items_form is None:
        items_form = OrderItemsForm(order=order, products=catalogue_choices())
    context = {
        "order": order,
        "can_cancel": pending,
        "items_form": items_form if pending else None,
        "items_refusal": items_refusal,
        "can_undo": services.order_uncancel_refusal(order=order, by=request.user) is None,
    }
    return render(request, "orders/order_detail.html", context, status=status)


def catalogue_choices():
    return Product.objects.only("id", "name", "price")


@login_required
@require_POST
def order_cancel(request, pk):
    order = get_object_or_404(Order.objects.for_owner(request.user).only("id", "status", "owner_id"), pk=pk)
    try:
        services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=request.user)
    except Order.DoesNotExist:  # deleted while this request waited for its lock
        messages.error(request, f"Order #{order.pk} no longer exists.")
        return redirect("orders:order_list")
    except ValidationError as error:  # OrderConflict included: the status it has now refuses it
        for message in error.messages:
            messages.error(request, message)
    return redirect("orders:order_detail", pk=order.pk)


@login_required
@require_POST
def order_items_edit(request, pk):
    """Change a pending order's quantities (0 removes a line) and add a product; refusals show beside the form."""
    order = get_object_or_404(owner_orders(request.user), pk=pk)
    form = OrderItemsForm(request.POST, order=order, products=catalogue_choices())
    if form.is_valid():
        try:
            services.order_replace_items(order=order, items=form.cleaned_data["items"])
        except Order.DoesNotExist:  # deleted while this request waited for its lock
            messages.error(request, f"Order #{order.pk} no longer exists.")
            return redirect("orders:order_list")
        except services.OrderConflict as error:  # a staff member advanced it meanwhile: show what it is now
            order = get_object_or_404(owner_orders(request.user), pk=pk)
            refusal = " ".join(error.messages)
            return render_order_detail(request, order, items_refusal=refusal, status=HTTPStatus.CONFLICT)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Order #{order.pk} has been updated.")
            return redirect("orders:order_detail", pk=order.pk)
    return render_order_detail(request, order, items_form=form, status=HTTPStatus.BAD_REQUEST)


@login_required
@require_POST
def order_uncancel(request, pk):
    """Undo the owner's own recent cancel: the order is pending again."""
    order = get_object_or_404(Order.objects.for_owner(request.user).only("id", "status", "owner_id"), pk=pk)
    try:
        services.order_uncancel(order=order, by=request.user)
    except Order.DoesNotExist:
        messages.error(request, f"Order #{order.pk} no longer exists.")
        return redirect("orders:order_list")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Order #{order.pk} is pending again.")
    return redirect("orders:order_detail", pk=order.pk)
