"""Shapes of lists and todos in the REST API. Validation of input only; the services hold the rules."""

import re

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.fields import NOT_BLANK, StrictBooleanField, StrictCharField
from todos.filters import MAX_ID
from todos.models import NOTES_MAX_LENGTH, Label, Todo, TodoList


class SharedField(StrictBooleanField):
    """Whether the list has a Todo-Backend sharing URL; writing it shares or revokes."""

    def get_attribute(self, instance):
        return instance.share_token is not None


DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class StrictDateField(serializers.DateField):
    """A date as YYYY-MM-DD, nothing else (DRF also takes 20260301 and week dates, which the schema does not)."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN})
class StrictTimeField(serializers.TimeField):
    """A time of day as HH:MM or HH:MM:SS, without a time zone (the due date's local time)."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(TIME_PATTERN, value):
            self.fail("invalid", format="HH:MM[:SS]")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "maxLength": NOTES_MAX_LENGTH, "pattern": "^[^\\u0000]*$"})
class PlainTextField(serializers.Field):
    """A JSON string of at most `max_length` characters as sent, empty allowed, without NUL; stored trimmed.

    Not a CharField: for one that allows blank, drf-spectacular writes a `oneOf` that the empty string
    matches twice (so the schema refuses it), and for one that does not, `minLength: 1`.
    """

    default_error_messages = {
        "invalid": "Not a valid string.",
        "max_length": "Ensure this field has no more than {max_length} characters.",
        "null_characters": "Null characters are not allowed.",
    }

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if "\x00" in data:
            self.fail("null_characters")
        return data.strip()

    def to_representation(self, value):
        return value


# Text and date columns read JSON strings only, in the forms the schema says (see core.fields.StrictCharField).
STRICT_TEXT = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.CharField: StrictCharField,
    models.DateField: StrictDateField,
    models.TimeField: StrictTimeField,
}


class TodoListSerializer(serializers.ModelSerializer):
    serializer_field_mapping = STRICT_TEXT
    # Set by todos.selectors.todo_lists_attach_counts (or with_counts()): no query per row.
    total_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True)
    is_complete = serializers.BooleanField(read_only=True)
    shared = SharedField(
        required=False, help_text="Set true to create the list's secret Todo-Backend URL, false to revoke it."
    )
    share_url = serializers.SerializerMethodField()

    class Meta:
        model = TodoList
        fields = [
            "id",
            "name",
            "total_count",
            "open_count",
            "is_complete",
            "shared",
            "share_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "total_count", "open_count", "is_complete", "share_url", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": NOT_BLANK}}

    @extend_schema_field(serializers.URLField(allow_null=True, read_only=True))
    def get_share_url(self, todo_list) -> str | None:
        """The list's public Todo-Backend root URL, or null while it is not shared."""
        if todo_list.share_token is None:
            return None
        return reverse(
            "api:todobackend-root", kwargs={"secret": todo_list.share_token}, request=self.context.get("request")
        )


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class OwnListField(serializers.PrimaryKeyRelatedField):
    """A list id that must name one of the requesting user's lists (others read as nonexistent)."""

    def get_queryset(self):
        return TodoList.objects.for_owner(self.context["request"].user)


class LabelSerializer(serializers.ModelSerializer):
    """A label of mine: its name is unique among my labels, ignoring case."""

    serializer_field_mapping = STRICT_TEXT

    class Meta:
        model = Label
        fields = ["id", "name", "colour", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"validators": NOT_BLANK}, "colour": {"help_text": "One of the palette's colours."}}


MAX_LABELS = 50  # on one todo, and in one `?label=` filter


class TodoLabelsField(serializers.Field):
    """Label ids of the requesting user's labels when written; `{id, name, colour}` objects when read.

    Another user's label id reads as nonexistent, as an unknown one does. The OpenAPI schema of each
    direction is written by todos.schema.TodoLabelsFieldExtension.
    """

    default_error_messages = {
        "not_a_list": "Expected a list of label ids.",
        "too_many": f"Ensure this field has no more than {MAX_LABELS} elements.",
        "invalid_id": f"Each label id must be a whole number from 1 to {MAX_ID}.",
        "does_not_exist": 'Invalid pk "{pk_value}" - object does not exist.',
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if len(data) > MAX_LABELS:
            self.fail("too_many")
        if any(not isinstance(pk, int) or isinstance(pk, bool) or not 1 <= pk <= MAX_ID for pk in data):
            self.fail("invalid_id")
        ids = list(dict.fromkeys(data))
        found = Label.objects.for_owner(self.context["request"].user).filter(pk__in=ids).in_bulk()
        for pk in ids:
            if pk not in found:
                self.fail("does_not_exist", pk_value=pk)
        return [found[pk] for pk in ids]

    def to_representation(self, value):
        return [{"id": label.pk, "name": label.name, "colour": label.colour} for label in value.all()]


class TodoSerializer(serializers.ModelSerializer):
    """A todo. In `/api/lists/{id}/todos/` the URL names the list, so `list` is read-only there."""

    serializer_field_mapping = STRICT_TEXT
    list = OwnListField(queryset=TodoList.objects.all())
    completed = StrictBooleanField(required=False)
    notes = PlainTextField(required=False, max_length=NOTES_MAX_LENGTH, help_text="Plain text.")
    labels = TodoLabelsField(
        required=False, help_text=f"Ids of your labels (at most {MAX_LABELS}); read as objects. Replaces all."
    )

    class Meta:
        model = Todo
        fields = [
            "id",
            "list",
            "description",
            "completed",
            "completed_at",
            "position",
            "due_date",
            "due_time",
            "priority",
            "notes",
            "labels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]
        extra_kwargs = {
            "description": {"validators": NOT_BLANK},
            "position": {
                "required": False,
                "help_text": "0-based place in its list (clamped to the list); new todos go to the bottom.",
            },
            "completed_at": {"help_text": "When the todo was completed; null while it is open."},
            "due_date": {"help_text": "The day it is due, or null."},
            "due_time": {
                "help_text": "The time of day it is due, or null; only with a due date (else 400 naming due_time)."
            },
            "priority": {"help_text": "none (the default), low, medium or high."},
        }

    def validate(self, attrs):
        # A create has nothing stored to pair with: refuse here. An update's pair is checked by the service.
        if self.instance is None and attrs.get("due_time") is not None and attrs.get("due_date") is None:
            raise serializers.ValidationError({"due_time": ["A due time needs a due date."]})
        return attrs

    def get_fields(self):
        fields = super().get_fields()
        if "todo_list" in self.context:  # the nested view puts the list its URL names there
            fields["list"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def to_representation(self, instance):
        """The todo's columns as they are, its datetimes as its fields write them.

        The same JSON as the fields' own `to_representation` (a test compares them for every field),
        without their per-field, per-row machinery: that was a third of a page of 50 todos.
        """
        fields = self.fields
        completed_at, due_date, due_time = instance.completed_at, instance.due_date, instance.due_time
        return {
            "id": instance.pk,
            "list": instance.list_id,
            "description": instance.description,
            "completed": instance.completed,
            "completed_at": None if completed_at is None else fields["completed_at"].to_representation(completed_at),
            "position": instance.position,
            "due_date": None if due_date is None else fields["due_date"].to_representation(due_date),
            "due_time": None if due_time is None else fields["due_time"].to_representation(due_time),
            "priority": instance.priority,
            "notes": instance.notes,
            "labels": [{"id": label.pk, "name": label.name, "colour": label.colour} for label in instance.labels.all()],
            "created_at": fields["created_at"].to_representation(instance.created_at),
            "updated_at": fields["updated_at"].to_representation(instance.updated_at),
        }


class QuickAddSerializer(serializers.Serializer):
    """The body of `POST /api/todos/quick/`: quick-add text, read as the new-todo field reads it, and the list."""

    text = StrictCharField(
        max_length=Todo._meta.get_field("description").max_length,
        validators=NOT_BLANK,
        help_text=(
            'As typed in the new-todo field: `Pay rent tomorrow 9am !high #home` is the todo "Pay rent", due '
            "tomorrow at 09:00 in your time zone, priority high, label home (yours, or created). "
            "A label name has at most 50 characters (else 400 naming text)."
        ),
    )
    list = OwnListField(queryset=TodoList.objects.all(), help_text="One of your lists; the todo goes to its bottom.")


class BulkCompletedSerializer(serializers.Serializer):
    """The body of the bulk PATCH of a list's todos: `completed` is required."""

    completed = StrictBooleanField(help_text="Complete (true) or reopen (false) every todo of the list.")

    # Never partial. drf-spectacular documents every PATCH body as partial (all fields optional); the
    # view validates this body whole, so its schema must require `completed` as the validation does.
    @property
    def partial(self):
        return False

    @partial.setter
    def partial(self, value):
        pass


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True, help_text="How many todos changed.")


class TodoBackendTodoSerializer(serializers.Serializer):
    """A todo in the Todo-Backend contract (https://todobackend.com): title, completed, order, url."""

    title = StrictCharField(
        source="description", max_length=Todo._meta.get_field("description").max_length, validators=NOT_BLANK
    )
    completed = StrictBooleanField(required=False, default=False)
    # Kept exactly as the client sends it (its own column, not the todo's place in the list); null until set.
    order = serializers.IntegerField(
        source="backend_order",
        required=False,
        allow_null=True,
        min_value=-(2**31),
        max_value=2**31 - 1,  # the column's range (a 32-bit integer on PostgreSQL)
        help_text="Any number the client chooses, returned as sent; it does not move the todo in the list.",
    )
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, todo) -> str:
        return reverse(
            "api:todobackend-todo",
            kwargs={"secret": self.context["secret"], "pk": todo.pk},
            request=self.context["request"],
        )
