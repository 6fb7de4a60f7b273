"""The client's address behind a trusted proxy, and the request size limit for /api/, answered in JSON."""

import contextlib
import ipaddress

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


class TrustedProxyMiddleware:
    """Behind a trusted proxy, make REMOTE_ADDR the client's address, from the proxy's X-Real-IP.

    REMOTE_ADDR is the rate limits' client address. Behind nginx it is nginx's own, for every client
    alike; nginx sets X-Real-IP to the address it was connected from (deploy/nginx.conf), overwriting
    whatever the client sent. The header is believed only on a connection from an address in
    TRUSTED_PROXY_IPS; from anyone else it is ignored, so a client cannot choose its address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXY_IPS:
            client = request.META.get("HTTP_X_REAL_IP", "").strip()
            with contextlib.suppress(ValueError):  # no address given: the proxy's own stands
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
        return self.get_response(request)
