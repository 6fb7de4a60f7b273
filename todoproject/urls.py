from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("todoproject.api_urls")),
]

handler500 = "todoproject.api_views.server_error"
