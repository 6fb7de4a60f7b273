import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

from todos.models import Todo

MAX_ID = 2**63 - 1  # BigAutoField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A whole number within the id column's range (anything else is a 400, not a database overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` as the schema's `type: boolean` writes them in a query (and `True`/`False`, `1`/`0`).

    Left out, no filter; any other value, `completed=` included, is a 400.

    Django's NullBooleanField (and its select widget) reads any other value as "no filter"; here it is
    a 400, so a misspelt filter is not silently ignored.
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value is None:  # not in the query
            return None
        if value in ("true", "True", "1", True):
            return True
        if value in ("false", "False", "0", False):
            return False
        raise ValidationError("Enter true or false.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class TodoFilter(django_filters.FilterSet):
    # A plain number, not a choice of lists: another user's list id simply matches nothing.
    list = IdFilter(field_name="list_id", help_text="Only the todos of this list.")
    completed = StrictBooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["list", "completed"]


class ListTodoFilter(django_filters.FilterSet):
    completed = StrictBooleanFilter(help_text="Only completed (true) or open (false) todos.")

    class Meta:
        model = Todo
        fields = ["completed"]
