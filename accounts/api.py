"""The API's token endpoint: log in with a username and password for a token, revoke it with DELETE."""

from django.core.validators import MinLengthValidator
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp import user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import OneTimeCodeForm
from core.fields import NO_NUL, NOT_BLANK, StrictCharField
from core.parsers import JSONParser


class LoginSerializer(AuthTokenSerializer):
    """DRF's username and password, with the schema saying what it refuses: a blank username or password."""

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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        check_one_time_code(attrs["user"], attrs.get("otp", ""), request=self.context.get("request"))
        return attrs


def check_one_time_code(user, code: str, *, request) -> None:
    """Refuse the login (400 on `otp`) when the account has two-factor login on and `code` is missing or wrong."""
    if not user_has_device(user):
        return
    if not code:
        raise serializers.ValidationError({"otp": ["This account has two-factor login on: send its code as `otp`."]})
    form = OneTimeCodeForm({"otp": code}, user=user, request=request)  # counts a wrong code as a failed login
    if not form.is_valid():
        raise serializers.ValidationError({"otp": form.errors["otp"]})


class TokenView(ObtainAuthToken):
    """POST a username and password for the user's API token (send it as `Authorization: Token <key>`);
    DELETE with the token revokes it."""

    serializer_class = LoginSerializer
    # ObtainAuthToken's forms, and the API's JSON parser (not DRF's) for JSON bodies.
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, JSONParser]
    # The API's throttles apply here too (ObtainAuthToken turns them off).
    throttle_classes = APIView.throttle_classes

    def get_authenticators(self):
        # POST: the password is the credential; no session, so no CSRF check for a browser also logged in.
        # DELETE: only the token being revoked.
        return [TokenAuthentication()] if self._revoking() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._revoking() else []

    def _revoking(self) -> bool:
        return getattr(self.request, "method", None) == "DELETE"  # no request during schema generation

    @extend_schema(
        auth=[],
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong username or password, or a missing or wrong `otp`."),
        },
    )
    @method_decorator(never_cache)  # the answer is a credential: no cache may keep it
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    @extend_schema(
        request=None,
        auth=[{"tokenAuth": []}],
        responses={
            204: OpenApiResponse(description="The token is revoked: it answers 401 from now on."),
            401: OpenApiResponse(description="No valid token."),
        },
    )
    def delete(self, request, *args, **kwargs):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
