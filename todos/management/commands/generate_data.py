"""Generate realistic data at scale for benchmarks: users, lists, todos, products and orders.

Every generated user has an e-mail address at GENERATED_DOMAIN and every generated product a
description ending in PRODUCT_MARK; that is how the command tells its own rows from real data.

- It refuses to run while the database holds users or products it did not create, unless `--force`
  (then real rows are left alone and generated rows are added beside them).
- Running it again first deletes the rows it generated before, then generates afresh: the counts
  after a run are always the ones asked for. With the same `--seed` the content is the same too.

The user `bench` (password `bench-password`) owns a fixed set of lists whatever the scale, so the
benchmark finds the same per-user pages at every data size (see BENCH_LISTS).
"""

import io
import random
import time
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from orders.models import Order, OrderItem, OrderStatus, Product
from todos.models import Colour, Label, Priority, Todo, TodoList

GENERATED_DOMAIN = "generated.invalid"  # .invalid is reserved (RFC 2606): never a real address
PRODUCT_MARK = "(generated)"
USERNAME_PREFIX = "genuser"
BENCH_USERNAME = "bench"
BENCH_PASSWORD = "bench-password"
OTHER_PASSWORD = "generated-password"
BENCH_ORDERS = 20

# The bench user's lists: name -> number of todos (None: the --huge-list size).
# Four lists of 50 let the bulk-complete benchmark rotate between lists instead of measuring
# 16 clients queueing on one list's row lock.
BENCH_HUGE_LIST = "bench-huge"
BENCH_LISTS = {
    BENCH_HUGE_LIST: None,
    "bench-100": 100,
    "bench-50-1": 50,
    "bench-50-2": 50,
    "bench-50-3": 50,
    "bench-50-4": 50,
    "bench-writes": 0,  # target of the create benchmark, so creating never changes the read pages
}

VERBS = [
    "Buy", "Call", "Email", "Fix", "Review", "Write", "Plan", "Book", "Clean", "Pay", "Renew", "Schedule",
    "Update", "Prepare", "Send", "Order", "Return", "Check", "Organize", "Read", "Finish", "Draft",
    "Cancel", "Test", "Back up", "Water", "Pick up", "Print", "Sign", "Research",
]  # fmt: skip
OBJECTS = [
    "milk", "the dentist", "the quarterly report", "the pull request", "the tax return", "flights to Lisbon",
    "car insurance", "the garden", "the kitchen", "the invoice", "the newsletter", "a birthday gift for Sam",
    "the landlord", "concert tickets", "the team retrospective", "the bike", "the passport", "groceries",
    "the release notes", "the laptop", "the budget spreadsheet", "the library books", "the gym membership",
    "the photo album", "the onboarding guide", "the plumber", "coffee beans", "the conference talk",
    "the server logs", "the wedding RSVP", "the electricity bill", "the design mock-ups", "the vet",
    "the school forms", "the database backup", "the holiday itinerary", "the customer survey", "new tyres",
    "the guest room", "the moving boxes",
]  # fmt: skip
QUALIFIERS = [
    "", "", "", "", "today", "tomorrow", "before Friday", "this weekend", "for the team meeting",
    "(urgent)", "after lunch", "next week", "with Alex", "if it rains", "before the deadline",
    "on the way home", "first thing in the morning", "and tell Maria", "again", "by end of month",
]  # fmt: skip
PRODUCT_ADJECTIVES = [
    "Walnut", "Oak", "Recycled", "Bamboo", "Steel", "Linen", "Leather", "Ceramic", "Compact", "Deluxe",
    "Travel", "Classic", "Dotted", "Matte", "Glass", "Cotton", "Cork", "Brass", "Wool", "Pocket",
]  # fmt: skip
PRODUCT_NOUNS = [
    "notebook", "desk lamp", "fountain pen", "pencil case", "mug", "monitor stand", "planner", "backpack",
    "sticky notes", "bookend", "desk mat", "tote bag", "water bottle", "cable tidy", "timer", "stapler",
    "letter tray", "whiteboard", "coaster set", "headphone stand",
]  # fmt: skip
LABEL_NAMES = ["home", "work", "errands", "health", "finance", "family"]
LABELS_PER_USER = 4
# What a task carries, as people use them: a third of todos dated (from ten days ago to a month ahead,
# a third of those at a time of day), a fifth with a priority, a third with one or two labels.
DATED_SHARE, TIMED_SHARE, PRIORITY_SHARE, LABELLED_SHARE = 0.3, 0.33, 0.2, 0.3
PRIORITIES = [Priority.LOW, Priority.MEDIUM, Priority.HIGH]

ORDER_STATUS_WEIGHTS = {
    OrderStatus.PENDING: 2,
    OrderStatus.PROCESSING: 1,
    OrderStatus.SHIPPED: 2,
    OrderStatus.DELIVERED: 4,
    OrderStatus.CANCELLED: 1,
}


class Progress:
    """A plain progress line on stderr: redrawn in place on a terminal, every 25% in a log."""

    def __init__(self, stream, label: str, total: int, enabled: bool):
        self.stream, self.label, self.total, self.done = stream, label, total, 0
        self.enabled = enabled and total > 0
        self.tty = self.enabled and stream.isatty()
        self.started = self.last_draw = time.monotonic()
        self.next_quarter = 1

    def update(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if now - self.last_draw >= 0.1 or self.done >= self.total:
                self.last_draw = now
                self.stream.write(f"\r{self._line(now)}", ending="")
        elif self.done * 4 >= self.next_quarter * self.total:
            self.next_quarter = self.done * 4 // self.total + 1
            self.stream.write(self._line(now))

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")

    def _line(self, now: float) -> str:
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "-" * (width - filled)
        return (
            f"{self.label:<9} [{bar}] {self.done:>{len(str(self.total))}}/{self.total}"
            f" {100 * self.done // self.total:3d}% {now - self.started:6.1f}s"
        )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split `total` into `parts` non-negative sizes with a realistic spread (a few big, many small)."""
    if parts <= 0:
        return []
    weights = [rng.expovariate(1.0) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(sizes)):  # hand out the rounding remainder
        sizes[i] += 1
    return sizes


class Command(BaseCommand):
    help = "Generate users, lists, todos, products and orders for benchmarks (replaces earlier generated data)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=1000, help="users in total, including bench")
        parser.add_argument("--lists", type=int, default=10_000, help="lists in total, including bench's")
        parser.add_argument("--todos", type=int, default=1_000_000, help="todos in total, including bench's")
        parser.add_argument("--products", type=int, default=200)
        parser.add_argument("--orders", type=int, default=5000, help=f"orders in total ({BENCH_ORDERS} are bench's)")
        parser.add_argument("--huge-list", type=int, default=100_000, help="todos in bench's list 'bench-huge'")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=10_000, help="rows per INSERT batch or COPY chunk")
        parser.add_argument("--force", action="store_true", help="run even though the database holds real data")

    def handle(self, *args, **options):
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        self.show_progress = options["verbosity"] > 0
        self._validate(options)
        self._refuse_real_data(force=options["force"])
        with transaction.atomic():
            deleted = self._delete_generated()
            if deleted:
                self._say(f"Deleted the data generated before ({deleted} rows).")
            users = self._create_users(options["users"])
            products = self._create_products(options["products"])
            bench_lists, other_lists = self._create_lists(users, options["lists"])
            self._create_todos(bench_lists, other_lists, options["todos"], options["huge_list"])
            self._label_todos(self._create_labels(users))
            self._create_orders(users, products, options["orders"])
        if connection.vendor == "postgresql":
            # Fresh statistics and visibility map before anyone measures. VACUUM cannot run inside a
            # transaction (as when called from a test); ANALYZE alone can.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in (Todo, Todo.labels.through, Label, TodoList, Order, OrderItem, Product, get_user_model()):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        self._say(
            f"Generated {options['users']} users, {options['lists']} lists, {options['todos']} todos, "
            f"{options['products']} products, {options['orders']} orders in {time.monotonic() - started:.1f}s. "
            f"Log in as {BENCH_USERNAME!r} / {BENCH_PASSWORD!r}."
        )

    # Checks

    def _validate(self, o):
        for name in ("users", "lists", "todos", "products", "orders", "huge_list", "batch_size"):
            if o[name] < 0 or (name == "batch_size" and o[name] == 0):
                raise CommandError(f"--{name.replace('_', '-')} must be positive.")
        bench_todos = o["huge_list"] + sum(n for n in BENCH_LISTS.values() if n)
        if o["users"] < 1:
            raise CommandError("--users must be at least 1 (the bench user).")
        if o["lists"] < len(BENCH_LISTS) + (1 if o["todos"] > bench_todos else 0):
            raise CommandError(f"--lists must be at least {len(BENCH_LISTS)} (bench's lists) plus one for other todos.")
        if o["todos"] < bench_todos:
            raise CommandError(f"--todos must be at least {bench_todos} (the huge list plus bench's other lists).")
        if o["orders"] and not o["products"]:
            raise CommandError("Orders need products: set --products.")

    def _refuse_real_data(self, *, force: bool) -> None:
        User = get_user_model()
        real_users = User.objects.exclude(email__endswith=f"@{GENERATED_DOMAIN}")
        clashes = list(
            real_users.filter(Q(username=BENCH_USERNAME) | Q(username__startswith=USERNAME_PREFIX)).values_list(
                "username", flat=True
            )[:5]
        )
        if clashes:
            raise CommandError(f"Real users have names the generator uses ({', '.join(clashes)}); not touching them.")
        counts = {
            "users": real_users.count(),
            "lists": TodoList.objects.filter(owner__in=real_users).count(),
            "orders": Order.objects.filter(owner__in=real_users).count(),
            "products": Product.objects.exclude(description__endswith=PRODUCT_MARK).count(),
        }
        if any(counts.values()) and not force:
            found = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
            raise CommandError(
                f"The database holds data that generate_data did not create ({found}). Refusing to add generated "
                "data to it; use another database, or --force to add it anyway (real rows are left untouched)."
            )

    def _delete_generated(self) -> int:
        """Delete what an earlier run generated; bulk statements first so the ORM cascade stays small."""
        generated_users = get_user_model().objects.filter(email__endswith=f"@{GENERATED_DOMAIN}")
        deleted = Todo.objects.filter(list__owner__in=generated_users).delete()[0]
        deleted += OrderItem.objects.filter(order__owner__in=generated_users).delete()[0]
        deleted += generated_users.delete()[0]
        try:
            deleted += Product.objects.filter(description__endswith=PRODUCT_MARK).delete()[0]
        except ProtectedError as error:
            raise CommandError("Real orders refer to generated products; delete those orders first.") from error
        return deleted

    # Rows

    def _create_users(self, count: int) -> list:
        User = get_user_model()
        # One PBKDF2 hash shared by every other user: hashing each password would take minutes.
        shared_hash = make_password(OTHER_PASSWORD)
        users = [User(username=BENCH_USERNAME, email=f"{BENCH_USERNAME}@{GENERATED_DOMAIN}")]
        users[0].set_password(BENCH_PASSWORD)
        users += [
            User(username=f"{USERNAME_PREFIX}{i:05d}", email=f"{USERNAME_PREFIX}{i:05d}@{GENERATED_DOMAIN}")
            for i in range(1, count)
        ]
        for user in users[1:]:
            user.password = shared_hash
        return self._bulk_create(User, users, "users")

    def _create_products(self, count: int) -> list[Product]:
        names = [f"{a} {n}" for a in PRODUCT_ADJECTIVES for n in PRODUCT_NOUNS]
        self.rng.shuffle(names)
        products = [
            Product(
                name=names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else ""),
                description=f"{self.rng.choice(['Sturdy', 'Handmade', 'Bestselling', 'New'])} item. {PRODUCT_MARK}",
                price=Decimal(self.rng.randrange(99, 30_000)) / 100,
            )
            for i in range(count)
        ]
        return self._bulk_create(Product, products, "products")

    def _create_lists(self, users: list, count: int) -> tuple[dict[str, TodoList], list[TodoList]]:
        bench = users[0]
        owners = users[1:] or users  # with only the bench user, it owns the other lists too
        lists = [TodoList(owner=bench, name=name) for name in BENCH_LISTS]
        lists += [
            TodoList(owner=self.rng.choice(owners), name=f"{self.rng.choice(OBJECTS).capitalize()} {i}")
            for i in range(count - len(BENCH_LISTS))
        ]
        lists = self._bulk_create(TodoList, lists, "lists")
        return {todo_list.name: todo_list for todo_list in lists[: len(BENCH_LISTS)]}, lists[len(BENCH_LISTS) :]

    def _create_todos(self, bench_lists, other_lists, total: int, huge: int) -> None:
        sizes = [(bench_lists[name].pk, huge if n is None else n) for name, n in BENCH_LISTS.items()]
        remaining = total - sum(n for _, n in sizes)
        other_sizes = _split(remaining, len(other_lists), self.rng)
        sizes += zip((todo_list.pk for todo_list in other_lists), other_sizes, strict=True)
        descriptions = [" ".join(filter(None, (v, o, q))) for v in VERBS for o in OBJECTS for q in QUALIFIERS]
        progress = Progress(self.stderr, "todos", total, self.show_progress)
        writer = self._copy_todos if connection.vendor == "postgresql" else self._insert_todos
        writer(self._todo_rows(sizes, descriptions, bench_lists), progress)
        progress.finish()

    def _todo_rows(self, sizes, descriptions, bench_lists):
        """Yield (list_id, description, completed, position, due_date, due_time, priority).

        30-50% of a list's todos are completed; dates, times and priorities as DATED_SHARE and the rest say.
        """
        rng, pick = self.rng, self.rng.choice
        today = timezone.localdate()
        untouched = {bench_lists[name].pk for name in BENCH_LISTS if name.startswith("bench-50")}
        for list_id, size in sizes:
            share = 0.0 if list_id in untouched else rng.uniform(0.3, 0.5)
            for position in range(size):
                description = pick(descriptions)
                if rng.random() < 0.1:
                    description = f"{description} #{rng.randrange(1, 1000)}"
                due_date = due_time = None
                if rng.random() < DATED_SHARE:
                    due_date = today + timedelta(days=rng.randint(-10, 30))
                    if rng.random() < TIMED_SHARE:
                        due_time = clock(rng.randint(8, 18), pick((0, 15, 30, 45)))
                priority = pick(PRIORITIES) if rng.random() < PRIORITY_SHARE else Priority.NONE
                yield list_id, description, rng.random() < share, position, due_date, due_time, priority

    def _copy_todos(self, rows, progress: Progress) -> None:
        """PostgreSQL: stream the rows with COPY, several times faster than multi-row INSERTs."""
        table = connection.ops.quote_name(Todo._meta.db_table)
        now = timezone.now().isoformat()
        columns = (
            "list_id, description, completed, completed_at, position, due_date, due_time, priority, notes,"
            " created_at, updated_at"
        )
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor:
            buffer, pending = io.StringIO(), 0
            for list_id, description, completed, position, due_date, due_time, priority in rows:
                # The vocabulary holds no tab, newline or backslash, so no COPY escaping is needed.
                done = ("t", now) if completed else ("f", r"\N")
                due = (r"\N" if due_date is None else due_date.isoformat(), r"\N" if due_time is None else due_time)
                buffer.write(
                    f"{list_id}\t{description}\t{done[0]}\t{done[1]}\t{position}\t{due[0]}\t{due[1]}\t{priority}"
                    f"\t\t{now}\t{now}\n"
                )
                pending += 1
                if pending == self.batch_size:
                    self._flush_copy(cursor, sql, buffer, pending, progress)
                    buffer, pending = io.StringIO(), 0
            if pending:
                self._flush_copy(cursor, sql, buffer, pending, progress)

    @staticmethod
    def _flush_copy(cursor, sql, buffer, count, progress):
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
        progress.update(count)

    def _insert_todos(self, rows, progress: Progress) -> None:
        batch, now = [], timezone.now()
        for list_id, description, completed, position, due_date, due_time, priority in rows:
            completed_at = now if completed else None
            batch.append(
                Todo(
                    list_id=list_id,
                    description=description,
                    completed=completed,
                    completed_at=completed_at,
                    position=position,
                    due_date=due_date,
                    due_time=due_time,
                    priority=priority,
                )
            )
            if len(batch) == self.batch_size:
                Todo.objects.bulk_create(batch)
                progress.update(len(batch))
                batch = []
        if batch:
            Todo.objects.bulk_create(batch)
            progress.update(len(batch))

    def _create_labels(self, users: list) -> dict[int, list[int]]:
        """LABELS_PER_USER labels for each user: {owner id: their label ids}."""
        colours = list(Colour.values)
        labels = [
            Label(owner=user, name=name, colour=self.rng.choice(colours))
            for user in users
            for name in self.rng.sample(LABEL_NAMES, LABELS_PER_USER)
        ]
        by_owner: dict[int, list[int]] = {}
        for label in self._bulk_create(Label, labels, "labels"):
            by_owner.setdefault(label.owner_id, []).append(label.pk)
        return by_owner

    def _label_todos(self, labels_of: dict[int, list[int]]) -> None:
        """Give LABELLED_SHARE of the generated todos one or two of their owner's labels."""
        Through = Todo.labels.through
        todos = Todo.objects.filter(list__owner_id__in=labels_of).order_by("pk").values_list("pk", "list__owner_id")
        rows = []
        for todo_id, owner_id in todos.iterator(chunk_size=self.batch_size):
            if self.rng.random() < LABELLED_SHARE:
                chosen = self.rng.sample(labels_of[owner_id], self.rng.choice((1, 1, 2)))
                rows += [Through(todo_id=todo_id, label_id=label_id) for label_id in chosen]
        progress = Progress(self.stderr, "labelled", len(rows), self.show_progress and len(rows) >= 10_000)
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            Through.objects.bulk_create(batch)
            progress.update(len(batch))
        progress.finish()

    def _create_orders(self, users: list, products: list[Product], count: int) -> None:
        if not count:
            return
        statuses, weights = list(ORDER_STATUS_WEIGHTS), list(ORDER_STATUS_WEIGHTS.values())
        bench_orders = min(BENCH_ORDERS, count)
        owners = [users[0]] * bench_orders + [self.rng.choice(users[1:] or users) for _ in range(count - bench_orders)]
        orders = [Order(owner=owner, status=self.rng.choices(statuses, weights)[0]) for owner in owners]
        orders = self._bulk_create(Order, orders, "orders")
        items = [
            OrderItem(order=order, product=product, quantity=self.rng.randint(1, 3), unit_price=product.price)
            for order in orders
            for product in self.rng.sample(products, min(len(products), self.rng.randint(1, 5)))
        ]
        self._bulk_create(OrderItem, items, "items")

    def _bulk_create(self, model, objects: list, label: str) -> list:
        progress = Progress(self.stderr, label, len(objects), self.show_progress and len(objects) >= 10_000)
        for start in range(0, len(objects), self.batch_size):
            batch = objects[start : start + self.batch_size]
            model.objects.bulk_create(batch)
            progress.update(len(batch))
        progress.finish()
        if objects and objects[0].pk is None:  # backends that cannot return ids from a bulk insert
            raise CommandError(f"{connection.vendor} did not return the ids of bulk-inserted rows.")
        return objects

    def _say(self, message: str) -> None:
        if self.show_progress:
            self.stdout.write(message)
