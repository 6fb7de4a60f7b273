"""Create a demo account with a few lists, todos, products and orders. Running it again creates nothing twice."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from orders import services as order_services
from orders.models import Product
from todos import services as todo_services

DEMO_LISTS = {
    "Inbox": [
        ("Try ticking this todo", False),
        ("Double-click or tap a todo to edit it", False),
        ("Press ? to see the keyboard shortcuts", False),
    ],
    "Groceries": [("Milk", True), ("Bread", False), ("Coffee beans", False), ("Apples", True)],
    "Work": [("Write the weekly report", False), ("Review pull requests", True), ("Plan the sprint", False)],
}
DEMO_PRODUCTS = [
    ("Notebook", "A5 dotted notebook, 120 pages.", Decimal("7.50")),
    ("Fountain pen", "Medium nib, refillable.", Decimal("24.00")),
    ("Sticky notes", "Pack of 6 pads.", Decimal("3.20")),
    ("Desk lamp", "Warm white LED lamp.", Decimal("39.90")),
]


class Command(BaseCommand):
    help = "Create the demo account (and optionally a superuser) with sample data; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-password")
        parser.add_argument("--superuser", metavar="USERNAME", help="also create this superuser")
        parser.add_argument("--superuser-password", default="admin-password")

    @transaction.atomic
    def handle(self, *args, username, password, superuser, superuser_password, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            self._seed_todos(user)
        products = self._seed_products()
        if created:
            order_services.order_create(
                owner=user,
                items=[{"product": products[0].pk, "quantity": 2}, {"product": products[2].pk, "quantity": 1}],
            )
        self.stdout.write(self.style.SUCCESS(self._credentials("Demo account", username, password, created)))

        if superuser:
            admin, admin_created = User.objects.get_or_create(
                username=superuser, defaults={"is_staff": True, "is_superuser": True}
            )
            if admin_created:
                admin.set_password(superuser_password)
                admin.save(update_fields=["password"])
            self.stdout.write(
                self.style.SUCCESS(self._credentials("Superuser", superuser, superuser_password, admin_created))
            )

    def _seed_todos(self, user):
        for name, todos in DEMO_LISTS.items():
            todo_list = todo_services.todo_list_create(owner=user, name=name)
            for description, completed in todos:
                todo_services.todo_create(todo_list=todo_list, description=description, completed=completed)

    def _seed_products(self):
        products = []
        for name, description, price in DEMO_PRODUCTS:
            product, _ = Product.objects.get_or_create(name=name, defaults={"description": description, "price": price})
            products.append(product)
        return products

    @staticmethod
    def _credentials(label, username, password, created):
        if created:
            return f"{label}: username {username!r}, password {password!r}"
        return f"{label}: username {username!r} already exists (password unchanged; default {password!r})"
