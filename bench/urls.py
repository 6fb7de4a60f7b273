"""The app's URLs plus the minimal Django reference endpoint; used only by bench/settings.py."""

from django.urls import path

from bench import reference_django
from todoproject.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/reference/todos/", reference_django.todos_page, name="bench-reference-todos"),
    *app_urlpatterns,
]
