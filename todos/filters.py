import django_filters
from django import forms

from todos.models import Todo

MAX_ID = 2**63 - 1  # BigAutoField


class IdFilter(django_filters.NumberFilter):
    """A whole number within the id column's range (anything else is a 400, not a database overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class TodoFilter(django_filters.FilterSet):
    # A plain number, not a choice of lists: another user's list id simply matches nothing.
    list = IdFilter(field_name="list_id", help_text="Only the todos of this list.")
    completed = django_filters.BooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["list", "completed"]


class ListTodoFilter(django_filters.FilterSet):
    completed = django_filters.BooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["completed"]
