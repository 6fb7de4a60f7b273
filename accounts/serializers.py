"""The API token resource, and the answer to its create: the same fields and the secret `key`, shown only then;
the person's profile."""

import datetime

from django.core.validators import MinLengthValidator, RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.data_files import FORMAT, MAX_TODOS, VERSION
from accounts.models import UNKNOWN_TIME_ZONE, APIToken, Profile, time_zone_names
from core.fields import NO_NUL, NOT_BLANK, StrictBooleanField, StrictCharField
from orders.models import MONEY, OrderStatus, Product
from orders.serializers import PriceField
from orders.services import MAX_ITEMS, MAX_QUANTITY
from todos.models import NOTES_MAX_LENGTH, Colour, Label, Priority, Todo, TodoList
from todos.serializers import PlainTextField, StrictDateField, StrictTimeField

EXPIRY_IN_THE_PAST = "Must be in the future."


class APITokenSerializer(serializers.ModelSerializer):
    name = StrictCharField(max_length=100, validators=NOT_BLANK)
    read_only = StrictBooleanField(required=False, default=False, help_text="Only GET, HEAD and OPTIONS requests.")

    class Meta:
        model = APIToken
        fields = ["id", "name", "prefix", "read_only", "created", "expires_at", "last_used_at"]
        read_only_fields = ["id", "prefix", "created", "last_used_at"]

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(EXPIRY_IN_THE_PAST)
        return value


class APITokenCreatedSerializer(APITokenSerializer):
    """What POST /api/tokens/ takes (as APITokenSerializer) and answers: the token with its `key`."""

    key = serializers.CharField(
        read_only=True,
        help_text="The secret, sent as `Authorization: Token <key>`. Only in this answer: it is stored hashed "
        "and cannot be shown again.",
    )

    class Meta(APITokenSerializer.Meta):
        fields = [*APITokenSerializer.Meta.fields, "key"]


class LoginSerializer(serializers.Serializer):
    """A username and password; the schema says what it refuses: a blank username or password."""

    username = StrictCharField(label="Username", write_only=True, validators=NOT_BLANK)
    # Not trimmed: white space can be part of a password.
    password = StrictCharField(
        label="Password",
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        validators=[MinLengthValidator(1), NO_NUL],
    )
    otp = StrictCharField(
        label="One-time code",
        required=False,
        write_only=True,
        help_text="Required when the account has two-factor login on: a code from its authenticator app "
        "or a recovery code.",
    )


@extend_schema_field({"type": "string", "enum": sorted(time_zone_names())})
class TimeZoneField(serializers.ChoiceField):
    """One of the IANA zone names: in the schema an enum of them (the one rule the validation enforces),
    without the 600-line list of choices that drf-spectacular would otherwise add to the description."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_TIME_ZONE.replace("%(value)s", "{input}")})
        super().__init__(choices=sorted(time_zone_names()), **kwargs)


class ProfileSerializer(serializers.ModelSerializer):
    """My profile: the time zone dates and times are shown in, and the first day of my week."""

    time_zone = TimeZoneField(
        required=False,
        help_text="An IANA time zone name, e.g. `Europe/Paris`, `America/Los_Angeles` or `UTC` (the default). "
        "The site shows every date and time in it, and the API writes its datetimes in it (with their UTC "
        "offset). An unknown name is a 400 on this field.",
    )

    class Meta:
        model = Profile
        fields = ["time_zone", "first_day_of_week"]


# Your data: the export document, read by the import (accounts/data_files.py reads the file first)


class _ImportDateField(StrictDateField):
    """A date as YYYY-MM-DD whose refusal names the value: "'2026-02-30' is not a valid date"."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            raise serializers.ValidationError(f"{str(value)[:40]!r} is not a valid date (YYYY-MM-DD).") from None


# core.fields.NOT_BLANK, where "white space" is what both Python (which trims it) and the schema's ECMAScript
# regular expressions call so: Python's \s also takes \x1c-\x1f and \x85, ECMAScript's \ufeff.
NAME_NOT_BLANK = [
    MinLengthValidator(1),
    RegexValidator(r"^[^\x00]*[^\s\x00\x1c-\x1f\x85\ufeff][^\x00]*$", message="This field may not be blank."),
]


def _name_field(max_length: int, **kwargs):
    return StrictCharField(max_length=max_length, validators=NAME_NOT_BLANK, **kwargs)


MAX_ORDERS = 1000  # each is a few queries to import
SAFE_DATETIMES = (datetime.datetime(2, 1, 1, tzinfo=datetime.UTC), datetime.datetime(9998, 12, 31, tzinfo=datetime.UTC))


class ExportLabelSerializer(serializers.Serializer):
    name = _name_field(Label._meta.get_field("name").max_length)
    colour = serializers.ChoiceField(choices=Colour.choices, required=False, default=Colour.GREY)


class ExportTodoSerializer(serializers.Serializer):
    description = _name_field(Todo._meta.get_field("description").max_length)
    completed = StrictBooleanField(required=False, default=False)
    completed_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Kept when completed; the import time if missing."
    )
    position = serializers.IntegerField(
        required=False, min_value=0, help_text="The todo's place in its list; the import keeps their order."
    )
    due_date = _ImportDateField(required=False, allow_null=True, default=None)
    due_time = StrictTimeField(
        required=False, allow_null=True, default=None, help_text="Only with a due date (else 400 naming due_time)."
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NONE)
    notes = PlainTextField(max_length=NOTES_MAX_LENGTH, required=False, default="")
    labels = serializers.ListField(
        child=_name_field(Label._meta.get_field("name").max_length),
        required=False,
        default=list,
        help_text="Label names; matched to yours ignoring case, or created.",
    )
    backend_order = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=-(2**31), max_value=2**31 - 1
    )
    created_at = serializers.DateTimeField(read_only=True)

    def validate_completed_at(self, value):
        # A time that some zone cannot write (year 1 is before 1 January 0001 west of UTC) would break exports:
        # the import's time is kept instead, as for a completed todo without one.
        if value is not None and not SAFE_DATETIMES[0] <= value <= SAFE_DATETIMES[1]:
            return None
        return value

    def validate(self, attrs):
        if attrs.get("due_time") is not None and attrs.get("due_date") is None:
            raise serializers.ValidationError({"due_time": ["A due time needs a due date."]})
        return attrs


class ExportListSerializer(serializers.Serializer):
    name = _name_field(TodoList._meta.get_field("name").max_length)
    todos = serializers.ListField(child=ExportTodoSerializer())
    created_at = serializers.DateTimeField(read_only=True)


class ExportOrderItemSerializer(serializers.Serializer):
    product = _name_field(Product._meta.get_field("name").max_length, help_text="The product's name.")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price = PriceField(**MONEY)


class ExportOrderSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    created_at = serializers.DateTimeField(read_only=True)
    items = serializers.ListField(child=ExportOrderItemSerializer(), min_length=1, max_length=MAX_ITEMS)


class ExportDocumentSerializer(serializers.Serializer):
    """Everything a person owns: lists with their todos, labels, orders. The export writes it, the import reads it."""

    format = serializers.ChoiceField(choices=[FORMAT])
    version = serializers.ChoiceField(choices=[VERSION])
    exported_at = serializers.DateTimeField(read_only=True)
    # Lists of serializers as ListFields: drf-spectacular writes their minItems and maxItems into the schema.
    # What a person owns has no upper bound, so the export's arrays have none; the import's is said in words.
    lists = serializers.ListField(
        child=ExportListSerializer(),
        help_text=f"An import takes at most {MAX_TODOS} lists and {MAX_TODOS} todos in all (else 400 naming lists).",
    )
    labels = serializers.ListField(
        child=ExportLabelSerializer(), required=False, default=list, help_text=f"At most {MAX_TODOS} in an import."
    )
    orders = serializers.ListField(
        child=ExportOrderSerializer(), required=False, default=list, help_text=f"At most {MAX_ORDERS} in an import."
    )

    def validate(self, attrs):
        todos = sum(len(todo_list["todos"]) for todo_list in attrs["lists"])
        for field, count, limit, noun in [
            ("lists", len(attrs["lists"]), MAX_TODOS, "lists"),
            ("lists", todos, MAX_TODOS, "todos"),
            ("labels", len(attrs.get("labels", [])), MAX_TODOS, "labels"),
            ("orders", len(attrs.get("orders", [])), MAX_ORDERS, "orders"),
        ]:
            if count > limit:
                raise serializers.ValidationError(
                    {field: [f"{count} {noun}, more than the {limit} an import may hold."]}
                )
        return attrs


class ImportCountsSerializer(serializers.Serializer):
    """What an import created, per kind; orders naming a product this site does not sell are skipped."""

    lists = serializers.IntegerField()
    todos = serializers.IntegerField()
    labels = serializers.IntegerField()
    orders = serializers.IntegerField()
    orders_skipped = serializers.IntegerField()
