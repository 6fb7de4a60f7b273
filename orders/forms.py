"""The order form: one quantity per catalogue product; the service checks the order as a whole."""

from django import forms

from orders.services import MAX_QUANTITY

QUANTITY_ERROR = f"Quantity must be a whole number from {{low}} to {MAX_QUANTITY}."


def limit_quantity(field, *, low):
    """Accept `low`..MAX_QUANTITY, with one plain message for anything else (Django's wording names no range)."""
    message = QUANTITY_ERROR.format(low=low)
    field.widget.attrs.update(min=low, max=MAX_QUANTITY)
    field.error_messages.update(invalid=message, required=message)
    field.validators.append(lambda value: _in_range(value, low, message))
    return field


class OrderForm(forms.Form):
    """A quantity field per product (`quantity_<id>`); blank or 0 leaves the product out."""

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            field = forms.IntegerField(label=product.name, required=False)
            self.fields[self.field_name(product)] = limit_quantity(field, low=0)

    @staticmethod
    def field_name(product):
        return f"quantity_{product.pk}"

    def rows(self):
        """(product, bound field) pairs for the template."""
        return [(product, self[self.field_name(product)]) for product in self.products]

    def clean(self):
        cleaned_data = super().clean()
        items = [
            {"product": product.pk, "quantity": quantity}
            for product in self.products
            if (quantity := cleaned_data.get(self.field_name(product)))
        ]
        if not items and not self.errors:
            raise forms.ValidationError("Choose at least one product: give it a quantity of 1 or more.")
        cleaned_data["items"] = items
        return cleaned_data


class OrderItemsForm(forms.Form):
    """A pending order's lines (`quantity_<product id>`, 0 removes one) and one product to add.

    Rules of the order as a whole (how many products, whether it is still pending) are the service's.
    """

    add_product = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Add a product",
        empty_label="Choose a product",
        error_messages={"invalid_choice": "Choose a product from the list."},
    )
    add_quantity = forms.IntegerField(label="Quantity to add", required=False, initial=1)

    def __init__(self, *args, order, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(order.items.all())
        self.fields["add_product"].queryset = products
        self.products = list(products)  # the select's options, read once (a ModelChoiceField's choices count first)
        limit_quantity(self.fields["add_quantity"], low=1)
        for item in self.lines:
            field = forms.IntegerField(label=item.product.name, initial=item.quantity)
            self.fields[self.field_name(item.product_id)] = limit_quantity(field, low=0)

    @staticmethod
    def field_name(product_id):
        return f"quantity_{product_id}"

    def rows(self):
        """(order item, bound quantity field) pairs for the template."""
        return [(item, self[self.field_name(item.product_id)]) for item in self.lines]

    def clean(self):
        cleaned_data = super().clean()
        items = [
            {"product": item.product_id, "quantity": quantity}
            for item in self.lines
            if (quantity := cleaned_data.get(self.field_name(item.product_id)))
        ]
        product = cleaned_data.get("add_product")
        if product is not None:
            quantity = cleaned_data.get("add_quantity")
            if quantity is None and "add_quantity" not in self.errors:
                self.add_error("add_quantity", QUANTITY_ERROR.format(low=1))
            elif quantity:
                items.append({"product": product.pk, "quantity": quantity})
        if not items and not self.errors:
            self.add_error("add_product", "Choose at least one product.")
        cleaned_data["items"] = items
        return cleaned_data


def _in_range(value, low, message):
    if value is not None and not low <= value <= MAX_QUANTITY:
        raise forms.ValidationError(message, code="out_of_range")
