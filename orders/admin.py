from django.contrib import admin
from django.utils.formats import date_format
from django.utils.timezone import localtime

from core.admin import short_date, truncated
from orders import services
from orders.models import Order, OrderItem, Product, money


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["short_name", "price", "updated_on"]
    search_fields = ["name", "description"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="Name", ordering="name")
    def short_name(self, obj):
        return truncated(obj.name, 50)

    @admin.display(description="Updated", ordering="updated_at")
    def updated_on(self, obj):
        return short_date(obj.updated_at)

    def save_model(self, request, obj, form, change):
        if change:  # through the service, which tells the orders showing the product when it is renamed
            services.product_update(product=obj)
        else:
            super().save_model(request, obj, form, change)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ["product", "quantity", "unit_price", "line_total"]
    readonly_fields = ["line_total"]
    autocomplete_fields = ["product"]
    extra = 0
    # The stock tabular template captions each row with its __str__ ("2 x Notebook"), which repeats the row.
    template = "admin/edit_inline/tabular_labelled.html"  # its stylesheet rules: static/css/admin.css

    @admin.display(description="Line total")
    def line_total(self, obj):
        return money(obj.line_total) if obj.pk else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner_name", "status", "item_count", "total", "created_on"]
    list_select_related = ["owner"]
    list_filter = ["status", "created_at"]
    search_fields = ["id", "owner__username"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at", "total"]
    date_hierarchy = "created_at"
    inlines = [OrderItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    def save_model(self, request, obj, form, change):
        # Through the service, which raises the order's version: its status, owner or items (saved next,
        # in the same transaction) may change how it reads.
        services.order_save(order=obj)

    @admin.display(description="Owner", ordering="owner__username")
    def owner_name(self, obj):
        return truncated(obj.owner.get_username(), 20)

    @admin.display(description="Placed", ordering="created_at")
    def created_on(self, obj):
        return date_format(localtime(obj.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description="Total", ordering="total")
    def total(self, obj):
        return money(obj.total)

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count
