from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length, Trim
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


class TodoQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(list__owner=user)

    def active(self):
        return self.filter(completed=False)

    def completed(self):
        return self.filter(completed=True)


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TodoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["list", "position", "id"], name="todo_list_position"),
            models.Index(fields=["list", "completed"], name="todo_list_completed"),
        ]
        constraints = [models.CheckConstraint(condition=_not_blank("description"), name="todo_description_not_blank")]

    def __str__(self):
        return self.description
