"""The API token resource, and the answer to its create: the same fields and the secret `key`, shown only then;
the person's profile."""

from django.core.validators import MinLengthValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import UNKNOWN_TIME_ZONE, APIToken, Profile, time_zone_names
from core.fields import NO_NUL, NOT_BLANK, StrictBooleanField, StrictCharField

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
