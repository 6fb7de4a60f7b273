"""The API's tokens: /api/tokens/ lists, creates and revokes a person's tokens; /api/token/ is the login;
/api/profile/ reads and changes the person's time zone and first day of the week.

POST /api/token/ with a username and password creates a read-write token named "API login <date>" and
answers `{"token": key}`; DELETE /api/token/ revokes the token it is sent with. An account with two-factor
login on also sends its one-time code as `otp`.
"""

import json

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp import user_has_device
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, renderers, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import data, services
from accounts.authentication import APITokenAuthentication
from accounts.data_files import FileRejected
from accounts.forms import OneTimeCodeForm
from accounts.models import APIToken
from accounts.serializers import (
    APITokenCreatedSerializer,
    APITokenSerializer,
    ExportDocumentSerializer,
    ImportCountsSerializer,
    LoginSerializer,
    ProfileSerializer,
)
from core.api import ConditionalGetMixin
from core.parsers import JSONParser

ERRORS = {401: OpenApiResponse(description="Not authenticated.")}


@extend_schema_view(
    list=extend_schema(responses={200: APITokenSerializer(many=True), **ERRORS}),
    create=extend_schema(
        responses={
            201: APITokenCreatedSerializer,
            400: OpenApiResponse(description="Invalid input; the body maps each field to its messages."),
            **ERRORS,
        }
    ),
    destroy=extend_schema(
        responses={204: None, **ERRORS, 404: OpenApiResponse(description="No such token among yours.")}
    ),
)
class APITokenViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """My API tokens. The secret `key` is in the answer to the create only; DELETE revokes a token."""

    serializer_class = APITokenSerializer
    lookup_value_regex = "[0-9]+"

    def get_view_name(self):
        return "API token" if self.detail else "My API tokens"

    def get_serializer_class(self):
        return APITokenCreatedSerializer if self.action == "create" else APITokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs without a user
            return APIToken.objects.none()
        return APIToken.objects.for_owner(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.api_token_create(user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.api_token_revoke(token=instance)


@extend_schema_view(
    get=extend_schema(responses={200: ProfileSerializer, **ERRORS}),
    patch=extend_schema(
        responses={
            200: ProfileSerializer,
            400: OpenApiResponse(
                description="Invalid input, e.g. an unknown time zone: the body maps each field to its messages."
            ),
            **ERRORS,
        }
    ),
)
class ProfileView(generics.RetrieveUpdateAPIView):
    """My profile: the time zone my dates and times are shown in, and the first day of my week. PATCH changes them."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_view_name(self):
        return "My profile"

    def get_object(self):
        return services.profile_for(user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(profile=serializer.instance, **serializer.validated_data)


class TokenView(APIView):
    """POST a username and password for a new API token (send it as `Authorization: Token <key>`);
    DELETE with a token revokes it."""

    serializer_class = LoginSerializer
    # Clients send the login as JSON (the API's parser, core/parsers.py) or as a form, as DRF's ObtainAuthToken took it.
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_authenticators(self):
        # POST: the password is the credential; no session, so no CSRF check for a browser also logged in.
        # DELETE: only the token being revoked.
        return [APITokenAuthentication()] if self._revoking() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._revoking() else []

    def _revoking(self) -> bool:
        return getattr(self.request, "method", None) == "DELETE"  # no request during schema generation

    @extend_schema(
        request=LoginSerializer,
        auth=[],
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong username or password, or a missing or wrong `otp`."),
        },
    )
    @method_decorator(never_cache)  # the answer is a credential: no cache may keep it
    def post(self, request, *args, **kwargs):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}, code="authorization"
            )
        check_one_time_code(user, serializer.validated_data.get("otp", ""), request=request)
        name = f"API login {timezone.localdate():%Y-%m-%d}"
        token = services.api_token_create(user=user, name=name)
        return Response({"token": token.key})

    @extend_schema(
        request=None,
        auth=[{"tokenAuth": []}],
        responses={
            204: OpenApiResponse(description="The token is revoked: it answers 401 from now on."),
            401: OpenApiResponse(description="No valid token."),
        },
    )
    def delete(self, request, *args, **kwargs):
        services.api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


def check_one_time_code(user, code: str, *, request) -> None:
    """Refuse the login (400 on `otp`) when the account has two-factor login on and `code` is missing or wrong."""
    if not user_has_device(user):
        return
    if not code:
        raise serializers.ValidationError({"otp": ["This account has two-factor login on: send its code as `otp`."]})
    form = OneTimeCodeForm({"otp": code}, user=user, request=request)  # counts a wrong code as a failed login
    if not form.is_valid():
        raise serializers.ValidationError({"otp": form.errors["otp"]})


# Your data: GET /api/export/ and POST /api/import/ (accounts/data.py)


class _FileRenderer(renderers.BaseRenderer):
    """Sends the text or bytes a view made; an error's detail (a dict) as JSON."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode()
        return json.dumps(data).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class ICalendarRenderer(_FileRenderer):
    media_type = "text/calendar"
    format = "ics"


@extend_schema(
    parameters=[
        OpenApiParameter(
            "format",
            str,
            enum=["json", "csv", "ics"],
            description="json (default): everything; csv: the todos; ics: the dated todos as VTODOs.",
        )
    ],
    responses={
        (200, "application/json"): ExportDocumentSerializer,
        (200, "text/csv"): OpenApiTypes.STR,
        (200, "text/calendar"): OpenApiTypes.STR,
        **ERRORS,
        404: OpenApiResponse(description="An unknown `format`."),
    },
)
class ExportView(ConditionalGetMixin, APIView):
    """Everything I own as one JSON document (lists with their todos, labels, orders), or my todos as CSV
    (`?format=csv`) or my dated todos as iCalendar (`?format=ics`); a download (Content-Disposition)."""

    renderer_classes = [JSONRenderer, CSVRenderer, ICalendarRenderer]

    def get_view_name(self):
        return "My data"

    def get(self, request):
        if request.query_params.get("format") == "":  # DRF reads it as no format; the schema's enum does not
            raise NotFound("Unknown format: choose json, csv or ics.")
        kind = request.accepted_renderer.format
        now = timezone.now()
        response = Response(data.export_content(kind, user=request.user, host=request.get_host(), now=now))
        filename = data.export_filename(kind, today=timezone.localdate(now))
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@extend_schema(
    request={"application/json": ExportDocumentSerializer},
    responses={
        201: ImportCountsSerializer,
        400: OpenApiResponse(description="A malformed or too large document: the body names each field in error."),
        **ERRORS,
        413: OpenApiResponse(description="A body over 1 MB (larger files: the Account page takes up to 5 MB)."),
    },
)
class ImportView(APIView):
    """Import an export of this site (the JSON body, or a `file` sent as multipart/form-data, which may also be a
    Todoist CSV export), all or nothing; the answer counts what was created. Orders naming a product this
    site does not sell are skipped and counted as `orders_skipped`."""

    parser_classes = [JSONParser, MultiPartParser]

    def get_view_name(self):
        return "Import my data"

    def post(self, request):
        if "file" in request.FILES or request.content_type.startswith("multipart/"):
            arguments = self._read_file(request)
        else:
            serializer = ExportDocumentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            arguments = {key: serializer.validated_data.get(key, []) for key in ("lists", "labels", "orders")}
        counts = services.account_data_import(owner=request.user, **arguments)
        return Response(ImportCountsSerializer(counts).data, status=status.HTTP_201_CREATED)

    def _read_file(self, request) -> dict:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Send the file to import as `file`."]})
        try:
            return data.read_upload(upload, now=timezone.localtime())
        except FileRejected as error:
            raise ValidationError({"file": [str(error)]}) from None
