"""Serializer fields and validators whose OpenAPI schema says exactly what their validation accepts."""

from django.core.validators import MinLengthValidator, RegexValidator
from rest_framework import serializers

# DRF's CharField refuses NUL characters; as a validator, drf-spectacular writes the rule into the schema.
NO_NUL = RegexValidator(r"^[^\x00]*$", message="Null characters are not allowed.")
# The services refuse text that is only white space (core of every name and description rule); DRF
# trims first. As validators, drf-spectacular writes them into the schema: `minLength: 1`, and a pattern
# asking for one character other than white space and NUL (`\S` alone would take a NUL as that
# character, and the schema would allow "a\x00"), and, as everywhere, no NUL.
NOT_BLANK = [
    MinLengthValidator(1),
    RegexValidator(r"^[^\x00]*[^\s\x00][^\x00]*$", message="This field may not be blank."),
]


class StrictCharField(serializers.CharField):
    """A JSON string, nothing else, of at most `max_length` characters as sent.

    DRF's CharField also takes numbers (0 becomes "0"), which `type: string` does not.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # `maxLength` counts the string as sent; DRF would count it after trimming white space.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`, nothing else.

    DRF's BooleanField also takes 1, 0, "yes", "on" and friends, which the schema's `type: boolean`
    does not allow; a client sending them has a bug that a 400 shows.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)
