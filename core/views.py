"""Views that belong to no app: JSON 404 and 500 for /api/ URLs."""

from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Answer unknown /api/ URLs in JSON, whatever the method (the last route of api_urls)."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)


def server_error(request):
    """handler500: a JSON 500 under /api/ (API clients parse every answer), Django's HTML page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
