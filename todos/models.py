from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length, Lower, Trim
from django.db.models.lookups import GreaterThan


def _not_blank(field):
    """A check that a text column holds more than white space."""
    return GreaterThan(Length(Trim(field)), 0)


class TodoListQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def with_counts(self):
        """Annotate `total_count` and `open_count` (one grouped query, no N+1)."""
        return self.annotate(
            total_count=Count("todos"),
            open_count=Count("todos", filter=Q(todos__completed=False)),
        )


class TodoList(models.Model):
    # No index of its own: todolist_owner_created leads with owner and serves every lookup by owner.
    # A second, smaller index on owner alone made PostgreSQL pick it and sort, instead of reading in order.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todo_lists", db_index=False
    )
    name = models.CharField(max_length=200)
    # The secret in the list's public Todo-Backend URL; None while the list is not shared.
    share_token = models.CharField(max_length=43, null=True, blank=True, unique=True)
    # Raised by todos.services.todo_list_touch alone, which every service that changes what the list
    # shows (its todos, its name, its sharing) calls in its transaction: the UPDATE that raises it is
    # also their lock on the list. It keys what is cached about the list, the counts (todos/selectors.py),
    # the list page (todos/views.py) and the API's pages (todos/api.py), and tags them, so nothing stale is used.
    version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TodoListQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at", "id"], name="todolist_owner_created")]
        constraints = [models.CheckConstraint(condition=_not_blank("name"), name="todolist_name_not_blank")]

    def __str__(self):
        return self.name

    @property
    def is_complete(self):
        """True when the list has todos and all of them are complete.

        Uses the `with_counts()` annotations when present, else asks the database.
        """
        if hasattr(self, "total_count"):
            return self.total_count > 0 and self.open_count == 0
        return self.todos.exists() and not self.todos.filter(completed=False).exists()


class Colour(models.TextChoices):
    """The palette of label colours (static/css names a chip's colour by its value)."""

    GREY = "grey", "Grey"
    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    TEAL = "teal", "Teal"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"


class LabelQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def named(self, name: str):
        """The label of this name, ignoring case as the unique constraint label_owner_name_ci does."""
        return self.alias(lower=Lower("name")).filter(lower=Lower(models.Value(name)))


class Label(models.Model):
    """A name and a colour that a person puts on their todos; names are unique per owner, ignoring case."""

    # No index of its own: label_owner_name_ci leads with owner.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="labels", db_index=False)
    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.GREY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="label_owner_name_ci",
                violation_error_message="You already have a label with this name.",
            ),
            models.CheckConstraint(condition=_not_blank("name"), name="label_name_not_blank"),
            models.CheckConstraint(condition=Q(colour__in=Colour.values), name="label_colour_valid"),
        ]

    def __str__(self):
        return self.name


class Priority(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


NOTES_MAX_LENGTH = 10_000


def overdue_condition(today):
    """Open and due before `today`."""
    return Q(completed=False, due_date__lt=today)


# The smart views: a person's todos across all their lists, by when they are due (todos/selectors.py).
SMART_VIEWS = ("today", "upcoming", "overdue", "completed")


def smart_view_condition(view: str, today):
    """Which todos smart view `view` shows on `today` (the local date of the person's time zone).

    Today: open and due on or before today (the overdue ones too); Upcoming: open and due after today;
    Overdue: open and due before today; Completed: completed. The day, not the hour, decides, so the
    views (and their counts) change at the person's midnight.
    """
    match view:
        case "today":
            return Q(completed=False, due_date__lte=today)
        case "upcoming":
            return Q(completed=False, due_date__gt=today)
        case "overdue":
            return overdue_condition(today)
        case "completed":
            return Q(completed=True)
    raise ValueError(f"No smart view {view!r}.")


def due_order():
    """By due date, then time (those without one last), then place in the list: how the smart views sort."""
    return [
        models.F("due_date").asc(nulls_last=True),
        models.F("due_time").asc(nulls_last=True),
        "position",
        "id",
    ]


def search_vector():
    """The words of a todo's description and notes, as PostgreSQL's full-text search reads them (English stems).

    Migration 0015 indexes this very expression (GIN, `todo_search_vector`), with a trigram GIN index on
    description (`todo_description_trgm`); a search must use it unchanged to read the index. Both indexes
    exist on PostgreSQL only and are created by that migration, not declared in Meta.indexes: Django would
    emit them on SQLite too (`CREATE INDEX ... USING gin`), which SQLite refuses.
    """
    return SearchVector("description", "notes", config="english")


def priority_rank():
    """0 for none up to 3 for high: what ordering by priority sorts on."""
    return models.Case(
        *(models.When(priority=value, then=rank) for rank, value in enumerate(Priority.values)),
        default=0,
        output_field=models.IntegerField(),
    )


class TodoQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(list__owner=user)

    def active(self):
        return self.filter(completed=False)

    def completed(self):
        return self.filter(completed=True)

    def with_labels(self):
        """Fetch each todo's labels in one more query for the whole page (no query per row)."""
        return self.prefetch_related("labels")

    def overdue(self, today):
        """Open todos due before `today` (the local date of the active time zone)."""
        return self.filter(overdue_condition(today))

    def not_overdue(self, today):
        return self.exclude(overdue_condition(today))

    # The smart views (smart_view_condition): open todos in due order, completed ones newest first.

    def with_label(self, label):
        """The todos carrying `label`."""
        return self.filter(labels=label)

    def in_view(self, view: str, today):
        """The todos of smart view `view` on `today`, in its order."""
        todos = self.filter(smart_view_condition(view, today))
        if view == "completed":
            return todos.order_by("-completed_at", "-id")
        return todos.order_by(*due_order())


class Todo(models.Model):
    # No index of its own: todo_list_position and todo_list_completed lead with list (see TodoList.owner).
    list = models.ForeignKey(TodoList, on_delete=models.CASCADE, related_name="todos", db_index=False)
    description = models.CharField(max_length=500)
    completed = models.BooleanField(default=False)
    # 0-based place in its list; the services keep a list's positions dense (0..n-1).
    position = models.PositiveIntegerField(default=0)
    # The Todo-Backend contract's `order` (todos/todobackend.py): whatever number a client sent, kept as sent.
    # Not the place in the list (`position`, which dragging changes); None until a client sets it.
    backend_order = models.IntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # A time of day only with a date (todo_due_time_needs_date); no time zone: the day's local time.
    due_time = models.TimeField(null=True, blank=True)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.NONE)
    # Plain text; shown escaped, its line breaks and links made clickable by the template filters.
    notes = models.TextField(blank=True, default="", max_length=NOTES_MAX_LENGTH)
    # Set by the services when the todo becomes completed, cleared when it is reopened.
    completed_at = models.DateTimeField(null=True, blank=True)
    labels = models.ManyToManyField(Label, related_name="todos", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TodoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["list", "position", "id"], name="todo_list_position"),
            models.Index(fields=["list", "completed"], name="todo_list_completed"),
            # The open todos with a due date, per list: what "due" and "overdue" read.
            models.Index(
                fields=["list", "due_date"],
                name="todo_list_due_open",
                condition=Q(completed=False, due_date__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=_not_blank("description"), name="todo_description_not_blank"),
            models.CheckConstraint(
                condition=Q(due_time__isnull=True) | Q(due_date__isnull=False),
                name="todo_due_time_needs_date",
                violation_error_message="A due time needs a due date.",
            ),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="todo_priority_valid"),
            models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH),
                name="todo_notes_max_length",
            ),
            models.CheckConstraint(
                condition=Q(completed=False, completed_at__isnull=True) | Q(completed=True, completed_at__isnull=False),
                name="todo_completed_at_iff_completed",
            ),
        ]

    def __str__(self):
        return self.description


class UndoKind(models.TextChoices):
    """What an UndoAction takes back."""

    DELETE_TODO = "delete_todo", "Delete a todo"
    DELETE_LIST = "delete_list", "Delete a list"
    CLEAR_COMPLETED = "clear_completed", "Clear completed"
    SET_COMPLETED = "set_completed", "Complete or reopen a list"


class UndoActionQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)


class UndoAction(models.Model):
    """What one undoable write changed, kept so todos.services.undo_restore can put it back.

    `snapshot` holds the rows as they were (todos.services writes and reads it); `summary` is what the
    notice says ("Deleted “Milk”."). Restored once at most (`undone_at`), within services.UNDO_WINDOW.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="undo_actions", db_index=False
    )
    kind = models.CharField(max_length=20, choices=UndoKind.choices)
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = UndoActionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="undoaction_owner_created")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=UndoKind.values), name="undoaction_kind_valid")]

    def __str__(self):
        return self.summary
