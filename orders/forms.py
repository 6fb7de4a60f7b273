"""The order form: one quantity per catalogue product; the service checks the order as a whole."""

from django import forms

from orders.services import MAX_QUANTITY


class OrderForm(forms.Form):
    """A quantity field per product (`quantity_<id>`); blank or 0 leaves the product out."""

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            self.fields[self.field_name(product)] = forms.IntegerField(
                label=product.name, min_value=0, max_value=MAX_QUANTITY, required=False
            )

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
