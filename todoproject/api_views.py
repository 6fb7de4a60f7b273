"""Views of the REST API that belong to no app: token login and the JSON 404 for unknown /api/ URLs."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken


@extend_schema(
    auth=[],
    responses={
        200: inline_serializer("Token", {"token": serializers.CharField()}),
        400: OpenApiResponse(description="Wrong username or password."),
    },
)
class TokenView(ObtainAuthToken):
    """Exchange a username and password for the user's API token (send it as `Authorization: Token <key>`)."""

    # The password is the credential: no session, so no CSRF check for a browser that is also logged in.
    authentication_classes = []


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Answer unknown /api/ URLs in JSON, whatever the method (the last route of api_urls)."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
