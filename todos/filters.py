import django_filters

from todos.models import Todo


class TodoFilter(django_filters.FilterSet):
    # A plain number, not a choice of lists: another user's list id simply matches nothing.
    list = django_filters.NumberFilter(field_name="list_id", help_text="Only the todos of this list.")
    completed = django_filters.BooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["list", "completed"]


class ListTodoFilter(django_filters.FilterSet):
    completed = django_filters.BooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["completed"]
