"""Every page checked by axe-core in Chromium: no serious or critical violation, at two widths and in both schemes."""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from todos import services
from todos.models import Colour, Priority
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")


def axe_violations(page, report=None):
    """Run axe on the page as it stands; return its violations of impact serious or critical.

    `report`, a dict, gets the number of elements axe flags for each rule at each impact (minor and moderate too):
    {"minor": {"empty-table-header": 1}}.
    """
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    if report is not None:
        for violation in result["violations"]:
            report.setdefault(violation["impact"], {})[violation["id"]] = len(violation["nodes"])
    return [violation for violation in result["violations"] if violation["impact"] in BLOCKING and violation["nodes"]]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.fixture
def pages(live_server, user):
    """Every page a person sees, with data that draws all of its parts: name -> (who looks, path)."""
    today = timezone.localdate()
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    todo_list = TodoListFactory(owner=user, name="Groceries")
    home = LabelFactory(owner=user, name="home", colour=Colour.GREEN)
    urgent = LabelFactory(owner=user, name="urgent", colour=Colour.RED)
    grey, *_ = (
        LabelFactory(owner=user, name=colour.value, colour=colour)
        for colour in (Colour.GREY, Colour.ORANGE, Colour.YELLOW, Colour.TEAL, Colour.BLUE, Colour.PURPLE)
    )
    TodoFactory(list=todo_list, description="Milk", due_date=today, priority=Priority.HIGH, labels=[home, urgent])
    TodoFactory(
        list=todo_list,
        description="Call the bank",
        due_date=today - datetime.timedelta(days=2),
        due_time=datetime.time(9, 30),
        priority=Priority.MEDIUM,
        notes="Ask about the card",
        labels=[urgent],
    )
    TodoFactory(list=todo_list, description="Bread", due_date=today + datetime.timedelta(days=3), priority=Priority.LOW)
    TodoFactory(list=todo_list, description="Eggs", completed=True, labels=[home])
    work = TodoListFactory(owner=user, name="Work")
    secret = services.todo_list_share(todo_list=todo_list)
    product = ProductFactory(name="Notebook")
    order = OrderFactory(owner=user)
    OrderItemFactory(order=order, product=product, quantity=2)
    for status in (Order.Status.PENDING, Order.Status.SHIPPED, Order.Status.CANCELLED):
        OrderItemFactory(order=OrderFactory(owner=user, status=status), product=product)
    return {
        "list": (user, reverse("list_detail", args=[todo_list.pk])),
        "lists (home)": (user, reverse("home")),
        "today": (user, reverse("smart_today")),
        "upcoming": (user, reverse("smart_upcoming")),
        "overdue": (user, reverse("smart_overdue")),
        "completed": (user, reverse("smart_completed")),
        "label": (user, reverse("label_view", args=[urgent.pk])),
        "search": (user, reverse("search") + "?q=milk"),
        "account": (user, reverse("account")),
        "password change": (user, reverse("password_change")),
        "shop": (user, reverse("orders:order_create")),
        "orders": (user, reverse("orders:order_list")),
        "order": (user, reverse("orders:order_detail", args=[order.pk])),
        "share page": (None, reverse("api:todobackend-root", kwargs={"secret": secret})),
        "login": (None, reverse("login")),
        "sign-up": (None, reverse("signup")),
        "admin": (admin, reverse("admin:index")),
        "admin orders": (admin, reverse("admin:orders_order_changelist")),
        "admin todos": (admin, reverse("admin:todos_todo_changelist")),
        "empty list": (user, reverse("list_detail", args=[work.pk])),
        "empty label": (user, reverse("label_view", args=[grey.pk])),
        "admin order": (admin, reverse("admin:orders_order_change", args=[order.pk])),
        "admin todo": (admin, reverse("admin:todos_todo_change", args=[todo_list.todos.first().pk])),
        "admin list": (admin, reverse("admin:todos_todolist_change", args=[todo_list.pk])),
        "search, nothing found": (user, reverse("search") + "?q=zebra"),
        "password changed": (user, reverse("password_change_done")),
        "two-factor setup": (user, reverse("two_factor_setup")),
        "password reset": (None, reverse("password_reset")),
        "password reset sent": (None, reverse("password_reset_done")),
        "password reset link": (None, reverse("password_reset_confirm", args=["MQ", "not-a-token"])),
        "password reset done": (None, reverse("password_reset_complete")),
    }


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_page_has_no_serious_accessibility_violation(context_as, live_server, pages, width, scheme):
    """axe finds nothing serious or critical on any page (contrast, names, landmarks, ids, ...).

    With AXE_REPORT set to a directory, each run writes there what axe flagged per page, at every impact.
    """
    found, report = {}, {}
    for who in {who for who, _ in pages.values()}:
        # bypass_csp: the page's strict CSP would refuse the injected axe script (the CSP has tests of its own).
        context = context_as(who, viewport=VIEWPORTS[width], color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        for name, (viewer, path) in pages.items():
            if viewer != who:
                continue
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found[name] = axe_violations(page, report.setdefault(name, {}))
        context.close()

    if os.environ.get("AXE_REPORT"):
        target = Path(os.environ["AXE_REPORT"]) / f"axe-{width}-{scheme}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2, sort_keys=True))

    failing = {name: violations for name, violations in found.items() if violations}
    assert found.keys() == pages.keys()
    assert not failing, f"axe at {width} width in the {scheme} scheme:\n" + "\n".join(
        f"{name} ({pages[name][1]}):\n{describe(violations)}" for name, violations in failing.items()
    )


def settle(page):
    """Wait until the page has drawn the server's answers and the row controls have faded in or out."""
    expect(page.locator(".todoapp")).to_have_attribute("aria-busy", "false")
    page.wait_for_timeout(300)  # app.css's transitions take 0.15 s: axe would read a colour half-way


def delete(page, description):
    """Press a todo's delete button: its × on a desktop, Delete in its ⋯ menu on a phone."""
    menu = page.get_by_role("button", name=f"Actions for “{description}”")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name=f"Delete “{description}”").click()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_notices_have_no_serious_accessibility_violation(context_as, live_server, user, width, scheme):
    """The Undo notice, then a failure in its place, as the list page shows them (no page above has one)."""
    todo_list = TodoListFactory(owner=user, name="Groceries")
    for description in ("Milk", "Bread"):
        TodoFactory(list=todo_list, description=description)
    # bypass_csp: the page's strict CSP would refuse the injected axe script (the CSP has tests of its own).
    page = context_as(user, viewport=VIEWPORTS[width], color_scheme=scheme, bypass_csp=True).new_page()
    page.goto(live_server.url + reverse("list_detail", args=[todo_list.pk]))
    found = {}

    delete(page, "Milk")
    page.locator("#alerts .notice-undo").get_by_role("button", name="Undo").wait_for()
    settle(page)
    found["undo notice"] = axe_violations(page)
    page.route("**/delete/", lambda route: route.fulfill(status=500, body="Server Error"))
    delete(page, "Bread")
    page.locator("#alerts .alert-error").get_by_role("button", name="Dismiss").wait_for()
    settle(page)
    found["failure notice"] = axe_violations(page)

    failing = {name: violations for name, violations in found.items() if violations}
    assert not failing, f"axe at {width} width in the {scheme} scheme:\n" + "\n".join(
        f"{name}:\n{describe(violations)}" for name, violations in failing.items()
    )
