"""Request size limit for /api/, answered in JSON before anything reads the body."""

from django.conf import settings
from django.http import JsonResponse


class ApiRequestSizeLimitMiddleware:
    """Refuse an /api/ request whose body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

    Django enforces that setting only when `request.body` or `request.POST` is read; DRF's parsers read
    the stream instead, so without this a JSON body of any size would be parsed into memory. The WSGI
    input is limited to Content-Length (no length, no body), so checking the header is enough.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return JsonResponse(
                    {"detail": f"Request body too large: at most {limit} bytes are accepted."}, status=413
                )
        return self.get_response(request)
