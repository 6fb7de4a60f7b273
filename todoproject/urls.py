from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("todoproject.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("orders/", include("orders.urls")),
    path("", include("todos.urls")),
]

handler500 = "core.views.server_error"
