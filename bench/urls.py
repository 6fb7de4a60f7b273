"""The app's URLs plus the benchmark's reference endpoints; used only by bench/settings.py."""

from django.http import HttpResponse
from django.urls import path

from bench import reference_django, stock_drf
from todoproject.urls import urlpatterns as app_urlpatterns


def nothing(request):
    """Django with no view work: the middleware stack and URL resolution around an empty answer."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/reference/todos/", reference_django.todos_page, name="bench-reference-todos"),
    path("bench/drf/todos/", stock_drf.TodoListView.as_view(), name="bench-drf-todos"),
    path("bench/nothing/", nothing, name="bench-nothing"),
    *app_urlpatterns,
]
