import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from core.api import BoundedSearchFilter
from todos.models import SMART_VIEWS, Priority, Todo
from todos.selectors import todo_search

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


MAX_LABEL_FILTERS = 50
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class StrictDateField(forms.DateField):
    """A date as YYYY-MM-DD, as the schema's `format: date` writes it; an empty value is a 400, not "no filter"."""

    def to_python(self, value):
        if value is None:  # not in the query
            return None
        if not re.fullmatch(DATE_PATTERN, value):
            raise ValidationError("Enter a date as YYYY-MM-DD.", code="invalid")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError("Enter a valid date.", code="invalid") from error


def described(filter_class, *, help_text: str, **kwargs):
    """A filter whose schema is its class's plus its help text (drf-spectacular takes none beside a schema set so)."""
    schema = {**filter_class._spectacular_annotation["field"], "description": help_text}
    return extend_schema_field(schema)(filter_class(help_text=help_text, **kwargs))


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class StrictDateFilter(django_filters.DateFilter):
    field_class = StrictDateField


class OneOfField(forms.Field):
    """One of `choices`; an empty or other value is a 400, not "no filter"."""

    choices: tuple[str, ...] = ()

    def to_python(self, value):
        if value is None:
            return None
        if value not in self.choices:
            raise ValidationError(f"Choose one of: {', '.join(self.choices)}.", code="invalid_choice")
        return value


class PriorityField(OneOfField):
    choices = tuple(Priority.values)


@extend_schema_field({"type": "string", "enum": Priority.values})
class PriorityFilter(django_filters.CharFilter):
    field_class = PriorityField


class SmartViewField(OneOfField):
    """One of the smart views (todos.models.SMART_VIEWS)."""

    choices = tuple(SMART_VIEWS)


@extend_schema_field({"type": "string", "enum": list(SMART_VIEWS)})
class SmartViewFilter(django_filters.CharFilter):
    field_class = SmartViewField


class IdListField(forms.Field):
    """Repeated whole numbers (`?label=1&label=2`), each within the id column's range; at most MAX_LABEL_FILTERS."""

    widget = forms.MultipleHiddenInput  # reads every value of the repeated parameter

    def to_python(self, value):
        if not value:
            return []
        if len(value) > MAX_LABEL_FILTERS:
            raise ValidationError(f"At most {MAX_LABEL_FILTERS} labels.", code="too_many")
        ids = []
        for item in value:
            if not (isinstance(item, str) and item.isascii() and item.isdecimal() and 1 <= int(item) <= MAX_ID):
                raise ValidationError(f"Enter whole numbers from 1 to {MAX_ID}.", code="invalid")
            ids.append(int(item))
        return ids


@extend_schema_field(
    {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "maxItems": MAX_LABEL_FILTERS}
)
class AllLabelsFilter(django_filters.Filter):
    """Todos carrying every one of these labels (another user's label id matches nothing)."""

    field_class = IdListField

    def filter(self, qs, value):
        if not value:
            return qs
        # One subquery however many labels: the todos with as many of these labels as there are labels.
        # (An Exists per label made PostgreSQL plan for seconds with many labels and search terms.)
        label_ids = set(value)
        carrying_all = (
            Todo.labels.through.objects.filter(label_id__in=label_ids)
            .values("todo_id")
            .annotate(matched=Count("label_id"))
            .filter(matched=len(label_ids))
            .values("todo_id")
        )
        return qs.filter(pk__in=carrying_all)


class TodoFieldsFilter(django_filters.FilterSet):
    """The filters on a todo's own fields, of both todo collections."""

    completed = StrictBooleanFilter(help_text="Only completed (true) or open (false) todos.")
    due_before = described(
        StrictDateFilter, field_name="due_date", lookup_expr="lte", help_text="Only todos due on or before this date."
    )
    due_after = described(
        StrictDateFilter, field_name="due_date", lookup_expr="gte", help_text="Only todos due on or after this date."
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        help_text="true: only open todos due before today (in the active time zone); false: all the others.",
    )
    priority = described(PriorityFilter, help_text="Only todos of this priority: none, low, medium or high.")
    label = described(
        AllLabelsFilter, help_text="Only todos carrying all of these labels (repeat it: `label=1&label=2`)."
    )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.overdue(today) if value else queryset.not_overdue(today)


class TodoFilter(TodoFieldsFilter):
    # A plain number, not a choice of lists: another user's list id simply matches nothing.
    list = IdFilter(field_name="list_id", help_text="Only the todos of this list.")
    view = described(
        SmartViewFilter,
        method="filter_view",
        help_text=(
            "Only the todos of this smart view, in its order unless `ordering` is given: today (open, due today or"
            " before, by due date and time), upcoming (open, due after today, by due date and time), overdue (open,"
            " due before today), completed (newest first). Today is the date in the active time zone."
        ),
    )

    class Meta:
        model = Todo
        fields = ["list", "completed", "due_before", "due_after", "overdue", "priority", "label", "view"]

    def filter_view(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.in_view(value, timezone.localdate())


class ListTodoFilter(TodoFieldsFilter):
    class Meta:
        model = Todo
        fields = ["completed", "due_before", "due_after", "overdue", "priority", "label"]


class TodoSearchFilter(BoundedSearchFilter):
    """`?search=` of the todo collections: todos.selectors.todo_search, what the search page shows too.

    Within the bounds of core.search (else a 400, as for every `?search=`). On PostgreSQL the best matches
    come first, unless `?ordering=` is given (the ordering filter runs after this one).
    """

    search_description = (
        "Todos that match every term (separated by spaces or commas) in their description, notes or a label "
        "name. With PostgreSQL: words in any form (full-text search), typos in the description, best matches "
        "first unless `ordering` is given; otherwise: text that contains each term, ignoring case."
    )

    def filter_queryset(self, request, queryset, view):
        if not self.get_search_terms(request):  # checks the bounds and what DRF refuses (NUL characters)
            return queryset
        query = request.query_params.get(self.search_param, "")
        return todo_search(owner=request.user, query=query, todos=queryset)
